// What the selected row offers the playbooks' suggest rules (src/playbooks/suggestions.ts):
// the alerts about it (services, resources), its error fingerprint, its failing gate. The
// picker puts the playbooks they suggest first; `!` starts the first of them.

import { suggestionsFor, type Suggestion, type SuggestionSource } from '../../playbooks/suggestions';
import type { Alert, ErrorFingerprint, GateResult, Instance, RefKey } from '../../domain/types';
import type { PlaybookSummary } from '../slices/runs-slice';
import type { OpsdeckState } from '../store-types';
import { selectFingerprint } from './error-rows';
import { selectGate } from './gate-rows';
import { memoizeLast } from './memoize';
import { selectSelectedKey } from './panel-rows';
import { selectServiceRow } from './service-tree';

/** Alert targets a row stands for: its container and service (a service row: every container of it), or its engine. */
function rowTargets(state: OpsdeckState): string[] {
  const panel = state.ui.focusedPanel;
  const key = selectSelectedKey(state, panel);
  if (key === undefined) return [];
  if (panel === 'resources') {
    const instance = state.instances[key];
    return instance ? [instance.key, instance.workloadKey] : [];
  }
  if (panel !== 'services') return [];
  const row = selectServiceRow(state, key);
  if (!row) return [];
  if (row.kind === 'engine') return [row.engineId];
  if (row.instanceKey !== undefined) return [row.instanceKey, row.workloadKey ?? ''];
  if (row.kind === 'service' && row.workloadKey !== undefined) {
    const workloadKey = row.workloadKey;
    return [workloadKey, ...Object.values(state.instances).filter((instance) => instance.workloadKey === workloadKey).map((instance) => instance.key)];
  }
  return [];
}

const alertSources = memoizeLast((alerts: readonly Alert[], targets: string): SuggestionSource[] => {
  const wanted = new Set(targets.split('\n'));
  return alerts
    .filter((alert) => wanted.has(alert.target))
    .map((alert): SuggestionSource => ({ kind: 'alert', alert: { kind: alert.kind, target: alert.target, message: alert.message } }));
});

/** An instance of the fingerprint's sample workload, for `error.container` (a running one first). */
function sampleInstanceKey(instances: Readonly<Record<RefKey, Instance>>, workloadKey: RefKey): RefKey | undefined {
  const members = Object.values(instances).filter((instance) => instance.workloadKey === workloadKey);
  return (members.find((instance) => instance.phase === 'running') ?? members[0])?.key;
}

const errorSources = memoizeLast((entry: ErrorFingerprint, container: RefKey | undefined): SuggestionSource[] => [
  { kind: 'error', error: { fingerprint: entry.fingerprint, service: entry.sampleWorkloadKey, container } },
]);

const gateSources = memoizeLast((gate: GateResult): SuggestionSource[] =>
  gate.status === 'fail' ? [{ kind: 'gate', gate: { id: gate.id, detail: gate.detail } }] : [],
);

const NO_SOURCES: SuggestionSource[] = [];

/** The sources of the row selected in the focused panel, most severe alert first; the same array while nothing changed. */
export function selectSuggestionSources(state: OpsdeckState): SuggestionSource[] {
  const panel = state.ui.focusedPanel;
  if (panel === 'errors') {
    const key = selectSelectedKey(state, panel);
    const entry = key === undefined ? undefined : selectFingerprint(state, key);
    return entry ? errorSources(entry, sampleInstanceKey(state.instances, entry.sampleWorkloadKey)) : NO_SOURCES;
  }
  if (panel === 'gates') {
    const key = selectSelectedKey(state, panel);
    const gate = key === undefined ? undefined : selectGate(state, key);
    return gate ? gateSources(gate) : NO_SOURCES;
  }
  const targets = rowTargets(state);
  return targets.length === 0 ? NO_SOURCES : alertSources(state.alerts, targets.join('\n'));
}

const suggestionsOf = memoizeLast((playbooks: readonly PlaybookSummary[], sources: readonly SuggestionSource[]) => suggestionsFor(playbooks, sources));

/** The playbooks suggested for the selected row, with their bound inputs (memoized: safe in a store subscription). */
export function selectRowSuggestions(state: OpsdeckState): Suggestion[] {
  return suggestionsOf(state.catalog.playbooks, selectSuggestionSources(state));
}
