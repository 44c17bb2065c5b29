import type { GateResult, GateStatus } from '../../src/domain/types';
import { GATE_STATUS_ORDER, selectGatePanelCounts, selectGatePanelRow, selectGatePanelRowKeys, type GatePanelRow } from '../../src/store/selectors/gate-panel';
import { scopeText } from '../../src/store/selectors/view-scope';
import { gateGlyph, type Glyphs } from '../format/glyphs';
import { formatAgo } from '../format/numbers';
import { useClockValue, useOpsdeck, useOpsdeckShallow } from '../store-context';
import { gateTone } from '../theme';
import type { Cell } from './list-columns';
import { listPanel, type ListPanelDefinition, type ListRow } from './ListPanel';

/** `G5` for a gate of pipeline stage 5; nothing for an independent gate. */
export function stageLabel(gate: Pick<GateResult, 'stage'>): string {
  return gate.stage === undefined ? '' : `G${gate.stage}`;
}

/** The status as a cell, its glyph (given the glyphs) or its word, coloured; an invalid entry fails like a gate, and is named `invalid`. */
function statusCell(row: GatePanelRow, glyphs?: Glyphs): Cell {
  if (row.kind === 'invalid') return { text: glyphs ? glyphs.gateFail : 'invalid', tone: 'critical', bold: true };
  const { status } = row.gate;
  return { text: glyphs ? gateGlyph(status, glyphs) : status, tone: gateTone(status), bold: status === 'fail' };
}

function detailCell(row: GatePanelRow): Cell {
  if (row.kind === 'invalid') return { text: row.invalid.message, tone: 'warning' };
  const { status, detail } = row.gate;
  if (status === 'fail') return { text: detail, tone: 'critical' };
  // The status column already says blocked: the detail is what blocks it.
  if (status === 'blocked') return { text: row.gate.blockedBy ?? detail, dim: true };
  if (status === 'warn') return { text: detail, tone: 'warning' };
  return { text: detail, dim: true };
}

interface GateRowData {
  row: GatePanelRow;
  /** "5m ago" since the gate's status: a clock tick re-renders the row only when it changes. */
  sinceText: string;
}

/** The counts the title names: what needs a look, worst first ("2 failing, 1 blocked, 1 unknown, 1 invalid"), as the folded summary counts them. */
const TITLE_WORDS: Partial<Record<GateStatus, string>> = { fail: 'failing', warn: 'warning', blocked: 'blocked', unknown: 'unknown' };

/** Gates in pipeline order: status, stage, title, since when, detail; invalid `gates:` entries after them. */
export const GATES_PANEL: ListPanelDefinition<GateRowData> = {
  panel: 'gates',
  selectKeys: selectGatePanelRowKeys,
  useTitle() {
    const counts = useOpsdeck(selectGatePanelCounts);
    const scope = useOpsdeck(scopeText);
    const named = GATE_STATUS_ORDER.flatMap((status) => (TITLE_WORDS[status] !== undefined && counts[status] > 0 ? [`${counts[status]} ${TITLE_WORDS[status]}`] : []));
    if (counts.invalid > 0) named.push(`${counts.invalid} invalid`);
    const title = named.length > 0 ? `Gates (${named.join(', ')})` : 'Gates';
    return scope === '' ? title : `${title} ${scope}`;
  },
  useRow(key): ListRow<GateRowData> | undefined {
    const row = useOpsdeckShallow((state) => selectGatePanelRow(state, key));
    const since = row?.kind === 'gate' ? row.gate.since : undefined;
    const sinceText = useClockValue((_state, now) => (since === undefined ? '' : formatAgo(since, now)));
    if (!row) return undefined;
    return { data: { row, sinceText }, dim: row.kind === 'gate' && (row.gate.status === 'blocked' || row.gate.status === 'pending') };
  },
  markers: 'selection',
  columns: [
    { id: 'status', width: 2, cell: ({ row }, { glyphs }) => statusCell(row, glyphs) },
    { id: 'stage', width: 4, cell: ({ row }) => ({ text: row.kind === 'gate' ? stageLabel(row.gate) : '', bold: true }) },
    { id: 'word', width: 8, cell: ({ row }) => statusCell(row) },
    {
      id: 'title',
      width: (contentWidth) => Math.min(28, Math.max(10, Math.floor(contentWidth * 0.35))),
      cell: ({ row }) => (row.kind === 'gate' ? { text: row.gate.title, bold: row.gate.status === 'fail' } : { text: row.invalid.id, bold: true }),
    },
    {
      id: 'since',
      gap: 1,
      width: 9,
      hiddenBelow: 50,
      cell: ({ sinceText }) => ({ text: sinceText, dim: true }),
    },
    { id: 'detail', gap: 1, width: 'fill', cell: ({ row }) => detailCell(row) },
  ],
  emptyText: (filter) => (filter === '' ? 'no gates' : `no gate matches "${filter}"`),
};

export const GatesPanel = listPanel(GATES_PANEL);
