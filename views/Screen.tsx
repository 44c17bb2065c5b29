import { Box, Text } from 'ink';
import { useMemo, useRef, type ComponentType } from 'react';
import { selectPanelRowKeys } from '../src/store/selectors/panel-rows';
import { ConfirmDialog } from './overlays/ConfirmDialog';
import { ErrorDetail } from './overlays/ErrorDetail';
import { GateDetail } from './overlays/GateDetail';
import { ResourceDetail } from './overlays/ResourceDetail';
import { HelpOverlay } from './overlays/HelpOverlay';
import { Header } from './Header';
import { HintBar } from './HintBar';
import { KeyController } from './KeyController';
import type { Viewport } from './keys/command-context';
import { DEFAULT_VIEWPORT } from './keys/command-context';
import { MIN_HEIGHT, MIN_WIDTH, computeScreenLayout, listRowsOf, type ScreenLayout } from './layout/screen-layout';
import { LogView, logRowsFor } from './logs/LogView';
import { PanelGrid } from './panels/PanelGrid';
import { EscalationDialog } from './incident/EscalationDialog';
import { IncidentFormDialog } from './incident/IncidentFormDialog';
import { IncidentScreen } from './incident/IncidentScreen';
import { PlaybookPicker } from './playbooks/PlaybookPicker';
import { RunQuestionDialog } from './playbooks/RunQuestionDialog';
import { RunScreen } from './playbooks/RunScreen';
import { showsUnfinishedNotice, UnfinishedRunsNotice } from './playbooks/UnfinishedRunsNotice';
import { bodyOf, screenStack, type BodyId, type OverlayId } from './screens/screen-stack';
import { useOpsdeck, useOpsdeckShallow } from './store-context';
import { useTerminalSize } from './use-terminal-size';
import type { PanelId } from '../src/store/slices/ui-slice';
import type { OpsdeckState } from '../src/store/store-types';

interface AreaProps {
  width: number;
  height: number;
  layout: ScreenLayout;
  focusedPanel: PanelId;
}

/** What each body of the screen stack draws. */
const BODIES: Record<BodyId, ComponentType<AreaProps>> = {
  panels: (props) => <PanelGrid layout={props.layout} focusedPanel={props.focusedPanel} />,
  log: LogView,
  detail: ErrorDetail,
  resource: ResourceDetail,
  gate: GateDetail,
  help: HelpOverlay,
  picker: PlaybookPicker,
  run: RunScreen,
  incident: IncidentScreen,
};

/** What each overlay of the screen stack draws over the body. */
const OVERLAYS: Record<OverlayId, ComponentType<AreaProps>> = {
  confirm: ConfirmDialog,
  'run-question': RunQuestionDialog,
  'incident-form': IncidentFormDialog,
  escalation: EscalationDialog,
};

/** The overlays of the open screens, bottom first, as one string (a primitive for the store subscription). */
function openOverlays(state: OpsdeckState): string {
  return screenStack(state)
    .flatMap((screen) => (screen.overlay ? [screen.overlay] : []))
    .reverse()
    .join(' ');
}

function viewportOf(layout: ScreenLayout): Viewport {
  return {
    listRows: {
      services: listRowsOf(layout.panels.services, 'services'),
      resources: listRowsOf(layout.panels.resources, 'resources'),
      errors: listRowsOf(layout.panels.errors, 'errors'),
      gates: listRowsOf(layout.panels.gates, 'gates'),
    },
    logRows: logRowsFor(layout.bodyHeight),
    detail: { width: layout.width, height: layout.bodyHeight },
  };
}

/** Header, the body and overlays of the screen stack (views/screens/screen-stack.ts), and the hint bar. */
export function Screen(props: { width?: number | undefined; height?: number | undefined }) {
  const size = useTerminalSize(props);
  const focusedPanel = useOpsdeck((state) => state.ui.focusedPanel);
  const body = useOpsdeck(bodyOf);
  const overlays = useOpsdeck(openOverlays);
  // A run that never ended is offered on the panels, on a line of its own under the header.
  const noticeLines = useOpsdeck((state) => (bodyOf(state) === 'panels' && showsUnfinishedNotice(state) ? 1 : 0));
  // Panels share the height by content: the layout changes only when a panel's row count does.
  // A panel never shows more rows than the screen has, so counts are capped there: typing a
  // filter over 500 containers (500 -> 111 -> 11 rows) does not lay the screen out anew each key.
  const rowCounts = useOpsdeckShallow((state) => {
    const cap = (panel: PanelId): number => Math.min(selectPanelRowKeys(state, panel).length, size.height);
    return { services: cap('services'), resources: cap('resources'), errors: cap('errors'), gates: cap('gates') };
  });
  const layout = useMemo(
    () => computeScreenLayout(size.width, size.height - noticeLines, focusedPanel, rowCounts),
    [size.width, size.height, noticeLines, focusedPanel, rowCounts],
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
  const Body = BODIES[body];
  return (
    <Box flexDirection="column" width={width} height={layout.frameHeight + noticeLines} overflow="hidden">
      <KeyController viewport={viewport} />
      <Header width={width} />
      {noticeLines > 0 ? <UnfinishedRunsNotice width={width} /> : null}
      <Box flexDirection="column" width={width} height={bodyHeight} overflow="hidden">
        <Body width={width} height={bodyHeight} layout={layout} focusedPanel={focusedPanel} />
        {overlays === ''
          ? null
          : overlays.split(' ').map((overlay) => {
              const Overlay = OVERLAYS[overlay as OverlayId];
              return <Overlay key={overlay} width={width} height={bodyHeight} layout={layout} focusedPanel={focusedPanel} />;
            })}
      </Box>
      <HintBar width={width} />
    </Box>
  );
}
