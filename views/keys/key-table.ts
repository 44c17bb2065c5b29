// The key table: every key the cockpit reacts to, as data. The dispatcher matches keys
// against it and the hint bar and help overlay are drawn from it, so they never lie.

import type { ActionVerb } from '../../src/domain/engine-action';
import type { OpsdeckState } from '../../src/store/store-types';
import type { PanelId } from '../../src/store/slices/ui-slice';
import type { CommandId } from './command-ids';
import { KUBERNETES_DETAIL_KEYS, KUBERNETES_ROW_KEYS, onWorkloadRow, SCALE_INPUT_KEYS } from './kubernetes-keys';
import { GATE_DETAIL_KEYS, GATE_PANEL_KEYS } from './gate-keys';
import { MAIN_WIZARD_KEYS, PICKER_KEYS, RUN_KEYS } from './wizard-keys';
import { onExternalAlertRow } from '../commands/alert-commands';
import { INCIDENT_KEYS, MAIN_INCIDENT_KEYS } from './incident-keys';

/**
 * Where a binding applies: each screen of the screen stack (views/screens/screen-stack.ts)
 * has a scope of its own and says which scopes are live while it is on top.
 */
export type KeyScope =
  | 'global'
  | 'input'
  | 'confirm'
  | 'prompt'
  | 'filter'
  | 'search'
  | 'help'
  | 'detail'
  | 'log'
  | 'main'
  | 'kubernetes-rows'
  /** Alertmanager alerts in the errors panel (help lists it only with an alertmanager: source). */
  | 'alert-rows'
  | 'picker'
  | 'run'
  | 'run-form'
  | 'run-typed'
  | 'run-question'
  | 'scale'
  | 'resource-detail'
  | 'gate-detail'
  | 'incident'
  | 'incident-form'
  | 'escalation';

/** A service of the command context a key needs (CommandContext.gates, .incidents, .playbooks). */
export type KeyService = 'gates' | 'incidents' | 'playbooks';

export interface KeyBinding {
  command: CommandId;
  /** Key names as produced by toKeyPress ("j", "G", "enter", "shift+tab", "ctrl+c"). */
  keys: readonly string[];
  /** What the command does, for the help overlay. */
  label: string;
  scope: KeyScope;
  /** Short text for the hint bar; bindings without it are listed in help only. Equal hints merge ("j/k move"). */
  hint?: string;
  /** The keys as the hint bar writes them when not the first key ("1-3" for the options of a decision). */
  hintKeys?: (state: OpsdeckState) => string;
  /** Changes containers: refused in read-only mode, so dropped from the table there. */
  destructive?: boolean;
  /**
   * The engine action the key asks for: offered in the hint bar only while the selected
   * target supports it (a running container is not offered `start`). The key still answers
   * elsewhere, saying why it cannot act.
   */
  verb?: ActionVerb;
  /** Offered in the hint bar only while this holds; the key still answers otherwise, saying why it does nothing. */
  offered?: (state: OpsdeckState) => boolean;
  /**
   * Offered in the hint bar only while the cockpit has this service (a gate scheduler); the key
   * still answers without it, saying why it does nothing.
   */
  requires?: KeyService;
  /**
   * false: a variant of another binding of the same key and command that only changes the hint bar
   * (the gates panel's `! no recovery`); help lists the binding it varies, not this one.
   */
  help?: false;
  /** Only when one of these panels has the focus (main scope). */
  panels?: readonly PanelId[];
  /** Only when this holds (e.g. a filter is set). */
  when?: (state: OpsdeckState) => boolean;
}

const CONTAINER_PANELS: readonly PanelId[] = ['services', 'resources'];

export const KEY_TABLE: readonly KeyBinding[] = [
  // Confirmation dialog: y confirms, anything else cancels (see SCOPE_FALLBACK).
  { command: 'confirm.accept', keys: ['y', 'Y'], label: 'confirm', scope: 'confirm', hint: 'confirm' },
  { command: 'confirm.cancel', keys: ['n', 'N', 'escape'], label: 'cancel (any other key too)', scope: 'confirm', hint: 'cancel' },

  // Filter input: typed text narrows the focused panel.
  { command: 'filter.accept', keys: ['enter'], label: 'keep the filter', scope: 'filter', hint: 'keep' },
  { command: 'filter.cancel', keys: ['escape'], label: 'clear the filter', scope: 'filter', hint: 'clear' },
  { command: 'selection.down', keys: ['down'], label: 'move down', scope: 'filter', hint: 'move' },
  { command: 'selection.up', keys: ['up'], label: 'move up', scope: 'filter', hint: 'move' },

  // Log search input.
  { command: 'search.accept', keys: ['enter'], label: 'find (newest match first)', scope: 'search', hint: 'find' },
  { command: 'search.cancel', keys: ['escape'], label: 'cancel the search', scope: 'search', hint: 'cancel' },

  // The : command prompt (views/commands/command-registry.ts).
  { command: 'prompt.accept', keys: ['enter'], label: 'run the command', scope: 'prompt', hint: 'run' },
  { command: 'prompt.complete', keys: ['tab'], label: 'complete the command or its target', scope: 'prompt', hint: 'complete' },
  { command: 'prompt.cancel', keys: ['escape'], label: 'close the prompt', scope: 'prompt', hint: 'cancel' },

  // Deployment, StatefulSet and pod rows, the replicas typed for a scale and the detail of a workload or pod (kubernetes-keys.ts).
  ...KUBERNETES_ROW_KEYS,
  ...SCALE_INPUT_KEYS,
  ...KUBERNETES_DETAIL_KEYS,

  // The playbook picker and the run screen of the wizard (wizard-keys.ts).
  ...PICKER_KEYS,
  ...RUN_KEYS,

  // Incident mode: the declare and other forms, the due escalation's dialog, the incident screen (incident-keys.ts).
  ...INCIDENT_KEYS,

  // Every text input (filter, log search, : prompt); typed and pasted text goes in at the cursor.
  { command: 'input.left', keys: ['left'], label: 'cursor left', scope: 'input' },
  { command: 'input.right', keys: ['right'], label: 'cursor right', scope: 'input' },
  { command: 'input.home', keys: ['home', 'ctrl+a'], label: 'start of the line', scope: 'input' },
  { command: 'input.end', keys: ['end', 'ctrl+e'], label: 'end of the line', scope: 'input' },
  { command: 'input.deleteBackward', keys: ['backspace'], label: 'delete the previous character', scope: 'input' },
  { command: 'input.deleteForward', keys: ['ctrl+d'], label: 'delete the character at the cursor', scope: 'input' },
  { command: 'input.deleteWord', keys: ['ctrl+w'], label: 'delete the word before the cursor', scope: 'input' },
  { command: 'input.historyPrevious', keys: ['up', 'ctrl+p'], label: 'earlier entry (history)', scope: 'input' },
  { command: 'input.historyNext', keys: ['down', 'ctrl+n'], label: 'later entry (history)', scope: 'input' },

  // Help overlay.
  { command: 'help.close', keys: ['escape', '?'], label: 'close help', scope: 'help', hint: 'close' },

  // Raw sample of an error fingerprint.
  { command: 'detail.openLogs', keys: ['enter'], label: "open the service's logs", scope: 'detail', hint: 'logs' },
  { command: 'detail.close', keys: ['escape'], label: 'back', scope: 'detail', hint: 'back' },

  // A gate's evidence, recovery and flips (gate-keys.ts).
  ...GATE_DETAIL_KEYS,

  // Log view.
  { command: 'log.up', keys: ['k', 'up'], label: 'scroll up (stops following)', scope: 'log', hint: 'scroll' },
  { command: 'log.down', keys: ['j', 'down'], label: 'scroll down', scope: 'log', hint: 'scroll' },
  { command: 'log.pageUp', keys: ['pageup', 'ctrl+u', 'b'], label: 'page up', scope: 'log' },
  { command: 'log.pageDown', keys: ['pagedown', 'ctrl+d', 'space'], label: 'page down', scope: 'log' },
  { command: 'log.top', keys: ['g', 'home'], label: 'oldest line', scope: 'log' },
  { command: 'log.follow', keys: ['G', 'f', 'end'], label: 'follow the tail', scope: 'log', hint: 'follow' },
  { command: 'log.search', keys: ['/'], label: 'search', scope: 'log', hint: 'search' },
  {
    command: 'log.nextMatch',
    keys: ['n'],
    label: 'next match (older)',
    scope: 'log',
    hint: 'match',
    when: (state) => (state.ui.logView?.search ?? '') !== '',
  },
  {
    command: 'log.previousMatch',
    keys: ['N'],
    label: 'previous match (newer)',
    scope: 'log',
    hint: 'match',
    when: (state) => (state.ui.logView?.search ?? '') !== '',
  },
  // q leaves the log view as it leaves `less`: in the middle of an incident it must not close opsdeck.
  { command: 'log.close', keys: ['escape', 'q'], label: 'back to the panels', scope: 'log', hint: 'back' },

  // Panels.
  { command: 'panel.next', keys: ['tab'], label: 'next panel', scope: 'main', hint: 'panel' },
  { command: 'panel.previous', keys: ['shift+tab'], label: 'previous panel', scope: 'main' },
  { command: 'selection.down', keys: ['j', 'down'], label: 'move down', scope: 'main', hint: 'move' },
  { command: 'selection.up', keys: ['k', 'up'], label: 'move up', scope: 'main', hint: 'move' },
  { command: 'selection.pageDown', keys: ['pagedown', 'ctrl+d'], label: 'page down', scope: 'main' },
  { command: 'selection.pageUp', keys: ['pageup', 'ctrl+u'], label: 'page up', scope: 'main' },
  { command: 'selection.top', keys: ['g', 'home'], label: 'first row', scope: 'main' },
  { command: 'selection.bottom', keys: ['G', 'end'], label: 'last row', scope: 'main' },
  { command: 'service.openLogs', keys: ['enter'], label: 'logs of the selected service', scope: 'main', hint: 'logs', panels: CONTAINER_PANELS },
  { command: 'error.openDetail', keys: ['enter'], label: 'raw sample of the fingerprint', scope: 'main', hint: 'sample', panels: ['errors'] },
  ...GATE_PANEL_KEYS,
  {
    command: 'alert.acknowledge',
    keys: ['a'],
    label: 'silence the Alertmanager alert (2h)',
    scope: 'alert-rows',
    hint: 'ack',
    destructive: true,
    panels: ['errors'],
    when: onExternalAlertRow,
  },
  { command: 'project.toggle', keys: ['space'], label: 'collapse/expand the project', scope: 'main', panels: ['services'] },
  { command: 'filter.start', keys: ['/'], label: 'filter the rows of the panel', scope: 'main', hint: 'filter' },
  { command: 'prompt.open', keys: [':'], label: 'command prompt (:restart, :help)', scope: 'main', hint: 'command' },
  {
    command: 'filter.clear',
    keys: ['escape'],
    label: 'clear the filter',
    scope: 'main',
    hint: 'clear filter',
    when: (state) => state.ui.filterPanel !== undefined,
  },
  // On a Deployment or StatefulSet row r and s are its rollout restart and scale (kubernetes-keys.ts).
  {
    command: 'container.restart',
    keys: ['r'],
    label: 'restart the container',
    scope: 'main',
    hint: 'restart',
    destructive: true,
    verb: 'restart',
    panels: CONTAINER_PANELS,
    when: (state) => !onWorkloadRow(state),
  },
  {
    command: 'container.stop',
    keys: ['s'],
    label: 'stop the container',
    scope: 'main',
    hint: 'stop',
    destructive: true,
    verb: 'stop',
    panels: CONTAINER_PANELS,
    when: (state) => !onWorkloadRow(state),
  },
  { command: 'container.start', keys: ['S', 'u'], label: 'start the container', scope: 'main', hint: 'start', destructive: true, verb: 'start', panels: CONTAINER_PANELS },
  ...MAIN_WIZARD_KEYS,
  ...MAIN_INCIDENT_KEYS,

  // Everywhere except dialogs and text input.
  { command: 'help.open', keys: ['?'], label: 'help: every key and command', scope: 'global', hint: 'help' },
  { command: 'app.quit', keys: ['q', 'ctrl+c'], label: 'quit', scope: 'global', hint: 'quit' },
];

/**
 * The table for a session. Read-only mode offers no destructive action (no hint, help says it
 * is refused); its keys still answer, with the reason, instead of doing nothing silently.
 */
export function keyTableFor(readOnly: boolean, table: readonly KeyBinding[] = KEY_TABLE): readonly KeyBinding[] {
  if (!readOnly) return table;
  return table.map((binding) => {
    if (!binding.destructive) return binding;
    const { hint: _hint, ...refused } = binding;
    return { ...refused, label: `${binding.label} (refused: read-only)` };
  });
}

/** The table with the actions an access review forbade on the selected row marked so (help does not offer them). */
export function markForbidden(table: readonly KeyBinding[], forbidden: ReadonlyMap<ActionVerb, string>): readonly KeyBinding[] {
  if (forbidden.size === 0) return table;
  return table.map((binding) => {
    const reason = binding.verb === undefined ? undefined : forbidden.get(binding.verb);
    return reason === undefined ? binding : { ...binding, label: `${binding.label} (forbidden here: ${reason})` };
  });
}

const readWriteTable = keyTableFor(false);
const readOnlyTable = keyTableFor(true);

export function selectKeyTable(state: Pick<OpsdeckState, 'readOnly'>): readonly KeyBinding[] {
  return state.readOnly ? readOnlyTable : readWriteTable;
}
