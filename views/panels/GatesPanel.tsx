import type { GateResult } from '../../src/domain/types';
import { countGates, selectGate, selectGateRowIds, selectShownGates } from '../../src/store/selectors/gate-rows';
import { scopeText } from '../../src/store/selectors/view-scope';
import type { Glyphs } from '../format/glyphs';
import { useOpsdeck, useOpsdeckShallow } from '../store-context';
import { gateTone } from '../theme';
import { listPanel, type ListPanelDefinition } from './ListPanel';

export function gateGlyph(gate: Pick<GateResult, 'status'>, glyphs: Glyphs): string {
  return gate.status === 'pass' ? glyphs.gatePass : gate.status === 'fail' ? glyphs.gateFail : glyphs.gateUnknown;
}

/** Readiness gates: pass/fail/unknown with their detail. */
export const GATES_PANEL: ListPanelDefinition<GateResult> = {
  panel: 'gates',
  selectKeys: selectGateRowIds,
  useTitle() {
    const counts = useOpsdeckShallow((state) => ({ ...countGates(selectShownGates(state)), scope: scopeText(state) }));
    const title = counts.fail > 0 ? `Gates (${counts.fail} failing)` : 'Gates';
    return counts.scope === '' ? title : `${title} ${counts.scope}`;
  },
  useRow(key) {
    const gate = useOpsdeck((state) => selectGate(state, key));
    return gate ? { data: gate } : undefined;
  },
  markers: 'selection',
  columns: [
    { id: 'status', width: 2, cell: (gate, { glyphs }) => ({ text: gateGlyph(gate, glyphs), tone: gateTone(gate.status), bold: true }) },
    {
      id: 'title',
      width: (contentWidth) => Math.min(28, Math.max(10, Math.floor(contentWidth * 0.45))),
      cell: (gate) => ({ text: gate.title, bold: gate.status === 'fail' }),
    },
    {
      id: 'detail',
      gap: 1,
      width: 'fill',
      cell: (gate) => ({ text: gate.detail, tone: gate.status === 'fail' ? 'critical' : undefined, dim: gate.status !== 'fail' }),
    },
  ],
  emptyText: () => 'no gates',
};

export const GatesPanel = listPanel(GATES_PANEL);
