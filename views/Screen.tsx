import { Box, Text } from 'ink';
import { useMemo, useRef } from 'react';
import { selectPanelRowKeys } from '../src/store/selectors/panel-rows';
import { ConfirmDialog } from './overlays/ConfirmDialog';
import { ErrorDetail } from './overlays/ErrorDetail';
import { HelpOverlay } from './overlays/HelpOverlay';
import { Header } from './Header';
import { HintBar } from './HintBar';
import { KeyController } from './KeyController';
import type { Viewport } from './keys/command-context';
import { DEFAULT_VIEWPORT } from './keys/command-context';
import { MIN_HEIGHT, MIN_WIDTH, computeScreenLayout, listRowsOf, type ScreenLayout } from './layout/screen-layout';
import { LogView, logRowsFor } from './logs/LogView';
import { PanelGrid } from './panels/PanelGrid';
import { useOpsdeck, useOpsdeckShallow } from './store-context';
import { useTerminalSize } from './use-terminal-size';

type BodyView = 'panels' | 'log' | 'detail' | 'help';

function viewportOf(layout: ScreenLayout): Viewport {
  return {
    listRows: {
      services: listRowsOf(layout.panels.services, 'services'),
      resources: listRowsOf(layout.panels.resources, 'resources'),
      errors: listRowsOf(layout.panels.errors, 'errors'),
      gates: listRowsOf(layout.panels.gates, 'gates'),
    },
    logRows: logRowsFor(layout.bodyHeight),
  };
}

/** Header, body (panels, log view, error sample or help, with the confirm dialog on top) and hint bar. */
export function Screen(props: { width?: number | undefined; height?: number | undefined }) {
  const size = useTerminalSize(props);
  const focusedPanel = useOpsdeck((state) => state.ui.focusedPanel);
  const body = useOpsdeck((state): BodyView => {
    if (state.ui.helpOpen) return 'help';
    if (state.ui.errorDetail !== undefined) return 'detail';
    if (state.ui.logView) return 'log';
    return 'panels';
  });
  // Panels share the height by content: the layout changes only when a panel's row count does.
  const rowCounts = useOpsdeckShallow((state) => ({
    services: selectPanelRowKeys(state, 'services').length,
    resources: selectPanelRowKeys(state, 'resources').length,
    errors: selectPanelRowKeys(state, 'errors').length,
    gates: selectPanelRowKeys(state, 'gates').length,
  }));
  const layout = useMemo(
    () => computeScreenLayout(size.width, size.height, focusedPanel, rowCounts),
    [size.width, size.height, focusedPanel, rowCounts],
  );
  const viewport = useRef<Viewport>(DEFAULT_VIEWPORT);
  viewport.current = viewportOf(layout);

  if (layout.mode === 'too-small') {
    return (
      <Box width={layout.width} height={layout.frameHeight} overflow="hidden">
        <KeyController viewport={viewport} />
        <Text wrap="truncate-end">{`opsdeck: terminal too small (${size.width}x${size.height}, need ${MIN_WIDTH}x${MIN_HEIGHT}); q quits`}</Text>
      </Box>
    );
  }

  const { width, bodyHeight } = layout;
  return (
    <Box flexDirection="column" width={width} height={layout.frameHeight} overflow="hidden">
      <KeyController viewport={viewport} />
      <Header width={width} />
      <Box flexDirection="column" width={width} height={bodyHeight} overflow="hidden">
        {body === 'help' ? <HelpOverlay width={width} height={bodyHeight} /> : null}
        {body === 'detail' ? <ErrorDetail width={width} height={bodyHeight} /> : null}
        {body === 'log' ? <LogView width={width} height={bodyHeight} /> : null}
        {body === 'panels' ? <PanelGrid layout={layout} focusedPanel={focusedPanel} /> : null}
        <ConfirmDialog width={width} height={bodyHeight} />
      </Box>
      <HintBar width={width} />
    </Box>
  );
}
