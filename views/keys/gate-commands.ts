// Commands of the gates panel and a gate's detail screen: open the detail, scroll it (clamped
// to the lines it draws), close it, and re-run the selected gate's check now through the gate
// scheduler of the command context (the check itself runs there, never here).

import { selectGateDetail, selectGatePanelRow } from '../../src/store/selectors/gate-panel';
import { selectSelectedKey } from '../../src/store/selectors/panel-rows';
import { gateDetailLines } from '../overlays/gate-detail-lines';
import { maxDetailScroll } from '../overlays/DetailScreen';
import type { CommandId } from './command-ids';
import type { CommandContext, CommandHandler } from './command-context';

/** The gate the keys act on: the open detail's, else the selected row's (an invalid entry is named, not run). */
function targetGateId(context: CommandContext): string | undefined {
  const state = context.store.getState();
  const open = state.ui.gateDetail?.gateId;
  if (open !== undefined) return open;
  const key = selectSelectedKey(state, 'gates');
  const row = key === undefined ? undefined : selectGatePanelRow(state, key);
  if (row?.kind === 'invalid') {
    state.showStatus(`${row.invalid.id} is not run: fix its entry (${row.invalid.file}:${row.invalid.line})`, 'warning');
    return undefined;
  }
  return row?.gate.id;
}

function scrollBy(delta: (rows: number) => number): CommandHandler {
  return (context) => {
    const state = context.store.getState();
    const detail = selectGateDetail(state);
    const open = state.ui.gateDetail;
    if (!detail || !open) return;
    const { width, height } = context.viewport.detail;
    const lineCount = gateDetailLines(detail, Math.max(0, width - 2), Date.now()).length;
    const scroll = Math.min(maxDetailScroll(lineCount, height), Math.max(0, open.scroll + delta(Math.max(1, height - 3))));
    if (scroll !== open.scroll) state.scrollGateDetail(scroll);
  };
}

export const GATE_COMMANDS = {
  'gate.openDetail': (context) => {
    const state = context.store.getState();
    const key = selectSelectedKey(state, 'gates');
    const row = key === undefined ? undefined : selectGatePanelRow(state, key);
    if (row?.kind !== 'gate') return;
    state.clearStatus();
    state.openGateDetail(row.gate.id);
  },
  'gate.runNow': (context) => {
    const state = context.store.getState();
    const gateId = targetGateId(context);
    if (gateId === undefined) return;
    if (!context.gates) {
      state.showStatus('gate checks are not scheduled in this session', 'warning');
      return;
    }
    context.gates.runNow(gateId);
    state.showStatus(`re-checking gate ${gateId}`);
  },
  'gateDetail.close': (context) => context.store.getState().openGateDetail(undefined),
  'gateDetail.down': scrollBy(() => 1),
  'gateDetail.up': scrollBy(() => -1),
  'gateDetail.pageDown': scrollBy((rows) => rows),
  'gateDetail.pageUp': scrollBy((rows) => -rows),
} satisfies Partial<Record<CommandId, CommandHandler>>;
