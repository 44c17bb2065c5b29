// What the selected row offers the playbooks' suggest rules (src/playbooks/suggestions.ts):
// a Kubernetes row's pod or workload and its state, the alerts about it (services,
// resources), its error fingerprint, its failing gate (and its own recovery playbook). The picker puts the playbooks they
// suggest first; `!` starts the first that answers a problem.

import { fixFor, suggestionsFor, type Suggestion, type SuggestionSource } from '../../playbooks/suggestions';
import type { Alert, ErrorFingerprint, GateResult, Instance, RefKey, Workload } from '../../domain/types';
import type { PlaybookSummary } from '../slices/runs-slice';
import type { OpsdeckState } from '../store-types';
import { selectFingerprint } from './error-rows';
import { selectGate } from './gate-rows';
import { memoizeLast } from './memoize';
import { selectSelectedKey } from './panel-rows';
import { selectServiceRow, selectWorkloadInstanceKeys } from './service-tree';

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
    // The service's pods from the tree's grouping: a walk over 10,000 pods was made on every
    // key and store update while a Deployment row was selected (the hint bar asks for `!`).
    return [row.workloadKey, ...selectWorkloadInstanceKeys(state, row.workloadKey)];
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

/** A failing (or warning) gate, with its own recovery playbook and the inputs it bound, when it names one. */
const gateSources = memoizeLast((gate: GateResult): SuggestionSource[] => {
  if (gate.status !== 'fail' && gate.status !== 'warn') return [];
  const recovery = gate.playbook === undefined ? undefined : { playbook: gate.playbook, inputs: gate.playbookInputs ?? {} };
  return [{ kind: 'gate', gate: { id: gate.id, detail: gate.detail, ...(gate.workloadKey !== undefined ? { workload: gate.workloadKey } : {}), ...(gate.builtInGate !== undefined ? { builtIn: gate.builtInGate } : {}) }, recovery }];
});

/** A pod's state words for the rules: its phase, the engine's word, its reason, ready or not, OOMKilled. */
function podStateWords(pod: Instance): string {
  const words = [pod.phase, pod.state, pod.reason, pod.ready ? 'ready' : 'not-ready', pod.oomKilled ? 'OOMKilled' : undefined];
  return [...new Set(words.filter((word): word is string => word !== undefined && word !== ''))].join(' ');
}

/** A Deployment's or StatefulSet's: its rollout state, available or not, ready or not (against the replicas asked for). */
function workloadStateWords(workload: Workload): string {
  const desired = workload.desiredReplicas ?? 0;
  const words = [workload.rollout?.state, (workload.availableReplicas ?? 0) < desired ? 'unavailable' : 'available', (workload.readyReplicas ?? 0) < desired ? 'not-ready' : 'ready'];
  return words.filter((word): word is string => word !== undefined).join(' ');
}

function resourceSource(ref: Instance['ref'] | Workload['ref'], key: RefKey, workloadKey: RefKey, state: string): SuggestionSource | undefined {
  if (ref.kind !== 'pod' && ref.kind !== 'deployment' && ref.kind !== 'statefulset') return undefined;
  return { kind: 'resource', resource: { kind: ref.kind, target: key, name: ref.name, namespace: ref.namespace ?? '', context: ref.engineId, workload: workloadKey, state } };
}

/** A Kubernetes row: a pod (then its workload), or a Deployment or StatefulSet. */
const resourceSources = memoizeLast((instance: Instance | undefined, workload: Workload | undefined): SuggestionSource[] => {
  const sources: Array<SuggestionSource | undefined> = [
    instance && resourceSource(instance.ref, instance.key, instance.workloadKey, podStateWords(instance)),
    workload && resourceSource(workload.ref, workload.key, workload.key, workloadStateWords(workload)),
  ];
  return sources.filter((source): source is SuggestionSource => source !== undefined);
});

const joinedSources = memoizeLast((first: SuggestionSource[], second: SuggestionSource[]): SuggestionSource[] => (first.length === 0 ? second : second.length === 0 ? first : [...first, ...second]));

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
  if (targets.length === 0) return NO_SOURCES;
  // The row's own Kubernetes object first (a pod's state, then its workload), then its alerts.
  const instance = state.instances[targets[0] ?? ''];
  const workload = state.workloads[instance ? instance.workloadKey : (targets[0] ?? '')];
  return joinedSources(resourceSources(instance, workload), alertSources(state.alerts, targets.join('\n')));
}

const suggestionsOf = memoizeLast((playbooks: readonly PlaybookSummary[], sources: readonly SuggestionSource[]) => suggestionsFor(playbooks, sources));

/** The playbooks suggested for the selected row, with their bound inputs (memoized: safe in a store subscription). */
export function selectRowSuggestions(state: OpsdeckState): Suggestion[] {
  return suggestionsOf(state.catalog.playbooks, selectSuggestionSources(state));
}

/** What `!` starts on the selected row: the first suggestion answering a problem of it. */
export function selectRowFix(state: OpsdeckState): Suggestion | undefined {
  return fixFor(selectRowSuggestions(state));
}
