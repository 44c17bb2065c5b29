import { memo, useCallback } from 'react';
import type { GateResult } from '../../src/domain/types';
import { countGates, selectGate, selectGateRowIds } from '../../src/store/selectors/gate-rows';
import { useDisplay } from '../display-context';
import type { Glyphs } from '../format/glyphs';
import { fitText } from '../format/text';
import { RowText } from '../RowText';
import { fitSegments, type Segment } from '../segments';
import { useOpsdeck, useOpsdeckShallow } from '../store-context';
import { gateTone } from '../theme';
import { PanelFrame } from './PanelFrame';
import type { PanelProps } from './row-cells';
import { usePanelList } from './use-panel-list';
import { VirtualRows } from './VirtualRows';

export function gateGlyph(gate: Pick<GateResult, 'status'>, glyphs: Glyphs): string {
  return gate.status === 'pass' ? glyphs.gatePass : gate.status === 'fail' ? glyphs.gateFail : glyphs.gateUnknown;
}

export function gateSegments(gate: GateResult, width: number, glyphs: Glyphs): Segment[] {
  const tone = gateTone(gate.status);
  const titleWidth = Math.min(28, Math.max(10, Math.floor(width * 0.45)));
  return [
    { text: `${gateGlyph(gate, glyphs)} `, tone, bold: true },
    { text: fitText(gate.title, titleWidth, 'left', glyphs.ellipsis), bold: gate.status === 'fail' },
    { text: ' ' },
    { text: fitText(gate.detail, Math.max(0, width - titleWidth - 3), 'left', glyphs.ellipsis), tone: gate.status === 'fail' ? 'critical' : undefined, dim: gate.status !== 'fail' },
  ];
}

const GateRow = memo(function GateRow(props: { gateId: string; width: number; highlighted: boolean }) {
  const { glyphs } = useDisplay();
  const gate = useOpsdeck((state) => selectGate(state, props.gateId));
  if (!gate) return null;
  const segments: Segment[] = [
    { text: props.highlighted ? glyphs.selected : ' ', bold: true, tone: 'accent' },
    { text: ' ' },
    ...gateSegments(gate, props.width - 2, glyphs),
  ];
  return <RowText segments={fitSegments(segments, props.width, glyphs.ellipsis)} inverse={props.highlighted} />;
});

/** Readiness gates: pass/fail/unknown with their detail. */
export const GatesPanel = memo(function GatesPanel(props: PanelProps) {
  const ids = useOpsdeck(selectGateRowIds);
  const counts = useOpsdeckShallow((state) => countGates(state.gates));
  const rows = Math.max(0, props.height - 2);
  const { selectedIndex, info } = usePanelList('gates', ids, rows);
  const rowWidth = Math.max(0, props.width - 2);

  const renderRow = useCallback(
    (key: string, selected: boolean) => <GateRow key={key} gateId={key} width={rowWidth} highlighted={selected && props.focused} />,
    [rowWidth, props.focused],
  );

  const title = counts.fail > 0 ? `Gates (${counts.fail} failing)` : 'Gates';
  return (
    <PanelFrame title={title} info={info} width={props.width} height={props.height} focused={props.focused}>
      <VirtualRows keys={ids} selectedIndex={selectedIndex} rows={rows} renderRow={renderRow} emptyText="no gates" />
    </PanelFrame>
  );
});
