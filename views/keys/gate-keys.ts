// Keys of the gates panel and of a gate's detail screen: enter shows the evidence and flips, r
// re-runs the gate's check now (offered only when the cockpit has a gate scheduler), ! opens the
// recovery playbook (wizard-keys.ts), and on a failing gate without one the hint bar says so.
// Part of the key table.

import { gateRecoveryProblem, selectSelectedGate } from '../../src/store/selectors/gate-panel';
import { selectRowFix } from '../../src/store/selectors/suggestion-sources';
import type { OpsdeckState } from '../../src/store/store-types';
import type { KeyBinding } from './key-table';

/** A failing (or warning) gate is selected that `!` cannot recover: the hint bar says `! no recovery`. */
const failingWithoutRecovery = (state: OpsdeckState): boolean => {
  const gate = selectSelectedGate(state);
  if (!gate || (gate.status !== 'fail' && gate.status !== 'warn')) return false;
  return selectRowFix(state) === undefined && gateRecoveryProblem(state, gate) !== undefined;
};

const gateSelected = (state: OpsdeckState): boolean => selectSelectedGate(state) !== undefined;

export const GATE_PANEL_KEYS: readonly KeyBinding[] = [
  { command: 'gate.openDetail', keys: ['enter'], label: 'gate: evidence, recovery, flips', scope: 'main', hint: 'evidence', panels: ['gates'], when: gateSelected },
  {
    command: 'gate.runNow',
    keys: ['r'],
    label: "gate: re-run its check now",
    scope: 'main',
    hint: 're-check',
    panels: ['gates'],
    requires: 'gates',
  },
  {
    command: 'playbook.fix',
    keys: ['!'],
    label: 'gate: says why it has no recovery',
    scope: 'main',
    hint: 'no recovery',
    help: false,
    panels: ['gates'],
    when: failingWithoutRecovery,
  },
];

export const GATE_DETAIL_KEYS: readonly KeyBinding[] = [
  { command: 'gateDetail.down', keys: ['j', 'down'], label: 'scroll down', scope: 'gate-detail', hint: 'scroll' },
  { command: 'gateDetail.up', keys: ['k', 'up'], label: 'scroll up', scope: 'gate-detail', hint: 'scroll' },
  { command: 'gateDetail.pageDown', keys: ['pagedown', 'ctrl+d', 'space'], label: 'page down', scope: 'gate-detail' },
  { command: 'gateDetail.pageUp', keys: ['pageup', 'ctrl+u', 'b'], label: 'page up', scope: 'gate-detail' },
  {
    command: 'playbook.fix',
    keys: ['!'],
    label: "open the gate's recovery playbook, its inputs bound",
    scope: 'gate-detail',
    hint: 'recover',
    offered: (state) => selectRowFix(state) !== undefined,
  },
  { command: 'gate.runNow', keys: ['r'], label: "re-run the gate's check now", scope: 'gate-detail', hint: 're-check', requires: 'gates' },
  { command: 'gateDetail.close', keys: ['escape', 'q'], label: 'back to the panels', scope: 'gate-detail', hint: 'back' },
];
