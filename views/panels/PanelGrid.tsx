import { Box } from 'ink';
import type { ComponentType } from 'react';
import type { PanelId } from '../../src/store/slices/ui-slice';
import type { ScreenLayout } from '../layout/screen-layout';
import { ErrorsPanel } from './ErrorsPanel';
import { GatesPanel } from './GatesPanel';
import { PANEL_SUMMARIES } from './PanelSummaries';
import { ResourcesPanel } from './ResourcesPanel';
import type { PanelProps } from './row-cells';
import { ServicesPanel } from './ServicesPanel';

const PANELS: Record<PanelId, ComponentType<PanelProps>> = {
  services: ServicesPanel,
  resources: ResourcesPanel,
  errors: ErrorsPanel,
  gates: GatesPanel,
};

/** The four panels as the layout places them: a 2x2 grid, or stacked with the focused one large. */
export function PanelGrid(props: { layout: ScreenLayout; focusedPanel: PanelId }) {
  const { layout } = props;
  return (
    <Box flexDirection="column" width={layout.width} height={layout.bodyHeight} overflow="hidden">
      {layout.rows.map((row) => (
        <Box key={row.panels.join('+')} flexDirection="row" width={layout.width} height={row.height} flexShrink={0}>
          {row.panels.map((panel) => {
            const box = layout.panels[panel];
            if (box.collapsed) {
              const Summary = PANEL_SUMMARIES[panel];
              return <Summary key={panel} width={box.width} />;
            }
            const Panel = PANELS[panel];
            return <Panel key={panel} width={box.width} height={box.height} focused={panel === props.focusedPanel} />;
          })}
        </Box>
      ))}
    </Box>
  );
}
