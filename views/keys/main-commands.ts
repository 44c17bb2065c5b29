// Commands of the panel screen: focus, selection, filter, opening logs and samples,
// container actions (which only ask for confirmation: keys/container-actions.ts runs them).

import { filterFor } from '../../src/store/selectors/filter';
import { externalAlertFingerprint } from '../../src/store/selectors/source-rows';
import { openAcknowledge } from '../commands/alert-commands';
import { moveSelection, selectPanelRowKeys, selectSelectedKey } from '../../src/store/selectors/panel-rows';
import { selectServiceRow } from '../../src/store/selectors/service-tree';
import { runCommand } from '../commands/command-registry';
import type { CommandId } from './command-ids';
import type { CommandContext, CommandHandler } from './command-context';

function moveBy(context: CommandContext, delta: number): void {
  const state = context.store.getState();
  const panel = state.ui.focusedPanel;
  const keys = selectPanelRowKeys(state, panel);
  const next = moveSelection(keys, state.ui.selectedKeyByPanel[panel], delta);
  if (next !== undefined) state.selectRow(panel, next);
}

function pageSize(context: CommandContext): number {
  const state = context.store.getState();
  return Math.max(1, context.viewport.listRows[state.ui.focusedPanel] - 1);
}

function toggleProject(context: CommandContext): void {
  const state = context.store.getState();
  if (filterFor(state.ui, 'services') !== '') {
    state.showStatus('projects stay unfolded while the filter is set (esc clears it)');
    return;
  }
  const key = selectSelectedKey(state, 'services');
  const row = key === undefined ? undefined : selectServiceRow(state, key);
  if (!row) return;
  state.toggleProjectCollapsed(row.projectKey);
  // Folding from a service row keeps the selection on something visible: its project.
  if (row.kind !== 'project') state.selectRow('services', `project:${row.projectKey}`);
}

export const MAIN_COMMANDS = {
  'panel.next': (context) => context.store.getState().focusNextPanel(1),
  'panel.previous': (context) => context.store.getState().focusNextPanel(-1),
  'selection.down': (context) => moveBy(context, 1),
  'selection.up': (context) => moveBy(context, -1),
  'selection.pageDown': (context) => moveBy(context, pageSize(context)),
  'selection.pageUp': (context) => moveBy(context, -pageSize(context)),
  'selection.top': (context) => moveBy(context, -Number.MAX_SAFE_INTEGER),
  'selection.bottom': (context) => moveBy(context, Number.MAX_SAFE_INTEGER),
  'project.toggle': toggleProject,
  'service.openLogs': (context) => {
    const state = context.store.getState();
    if (state.ui.focusedPanel === 'services') {
      const key = selectSelectedKey(state, 'services');
      if (key !== undefined && selectServiceRow(state, key)?.kind === 'project') {
        toggleProject(context);
        return;
      }
    }
    runCommand(context, 'logs');
  },
  'error.openDetail': (context) => {
    const state = context.store.getState();
    const key = selectSelectedKey(state, 'errors');
    // An Alertmanager alert has no raw sample: enter there says what it can do.
    if (key !== undefined && externalAlertFingerprint(key) !== undefined) state.showStatus('an Alertmanager alert: a (or :silence) acknowledges it with a silence');
    else if (key !== undefined) state.openErrorDetail(key);
  },
  'alert.acknowledge': openAcknowledge,
  // The keys run the registry's commands on the selection, as `:restart` does on a named target.
  'container.restart': (context) => runCommand(context, 'restart'),
  'container.stop': (context) => runCommand(context, 'stop'),
  'container.start': (context) => runCommand(context, 'start'),
  'filter.start': (context) => {
    const state = context.store.getState();
    state.startFilter(state.ui.focusedPanel);
  },
  'filter.clear': (context) => context.store.getState().clearFilter(),
  'filter.accept': (context) => {
    const state = context.store.getState();
    if (state.ui.filter.trim() === '') {
      state.clearFilter();
      return;
    }
    state.endTextInput(true);
    state.setFilterEditing(false);
  },
  'filter.cancel': (context) => context.store.getState().clearFilter(),
} satisfies Partial<Record<CommandId, CommandHandler>>;
