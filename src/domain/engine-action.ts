// One typed action path: every mutation, from a single key or a playbook step, is an
// EngineAction executed through the action executor with a typed result.

import type { AlertKind, InstanceKind, ResourceKind, ResourceRef, WorkloadKind } from './resource-ref';
import type { Instance, RolloutProgress } from './types';
import { isActivePhase } from './types';

/** Lifecycle verbs a key or a `:` command asks for on the selected instance. */
export type LifecycleVerb = 'restart' | 'stop' | 'start';

/** Kubernetes verbs on a Deployment or StatefulSet (kubectl rollout, scale, set) and on a pod (delete). */
export type WorkloadVerb = 'rollout-restart' | 'rollout-status' | 'rollout-history' | 'rollout-undo' | 'scale' | 'set-resources' | 'set-env';

/** What can be done to a resource. */
export type ActionVerb = LifecycleVerb | 'kill' | 'exec' | 'logs' | 'inspect' | 'stats' | 'archive' | 'restore' | WorkloadVerb | 'delete' | 'top' | 'events' | 'silence';

export type InstanceTarget = ResourceRef & { kind: InstanceKind };
export type WorkloadTarget = ResourceRef & { kind: WorkloadKind };
/** An Alertmanager alert: engineId is the alertmanager source, name the alertname, uid the fingerprint. */
export type AlertTarget = ResourceRef & { kind: AlertKind };

/** One matcher of an Alertmanager silence (v2 API). */
export interface SilenceMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

/** Quantities as Kubernetes writes them ("500m", "1Gi"); an absent field is left as it is. */
export interface ResourceQuantities {
  cpu?: string;
  memory?: string;
}

export type EngineAction =
  | { verb: 'restart'; target: InstanceTarget; timeoutSeconds?: number }
  | { verb: 'stop'; target: InstanceTarget; timeoutSeconds?: number }
  | { verb: 'start'; target: InstanceTarget }
  | { verb: 'kill'; target: InstanceTarget; signal?: string }
  | {
      verb: 'exec';
      target: InstanceTarget;
      argv: readonly string[];
      user?: string;
      workingDir?: string;
      env?: Readonly<Record<string, string>>;
      /** A read-only exec (`vault status`, `nodetool status`) is allowed in read-only mode and runs in dry-run. */
      mutates: boolean;
      /** Pods: the container to run in (default: the first, or kubectl.kubernetes.io/default-container). */
      container?: string;
    }
  | {
      verb: 'logs';
      target: InstanceTarget;
      sinceSeconds?: number;
      tail?: number;
      /** Pods: which container (default: the first); `previous`: the last terminated one (kubectl logs -p). */
      container?: string;
      previous?: boolean;
    }
  | { verb: 'inspect'; target: InstanceTarget }
  | { verb: 'stats'; target: InstanceTarget }
  /** GET /containers/{id}/archive?path=…: the tar stream, gzipped into `destinationFile` on the host (a new file, never overwritten). */
  | { verb: 'archive'; target: InstanceTarget; path: string; destinationFile: string }
  /** PUT /containers/{id}/archive?path=…: extracts a .tar.gz from the host into `path`. */
  | { verb: 'restore'; target: InstanceTarget; path: string; sourceFile: string }
  /** kubectl rollout restart: patches spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]. */
  | { verb: 'rollout-restart'; target: WorkloadTarget }
  /** kubectl rollout status: waits (streaming progress lines) until complete, stalled or `timeoutSeconds` (default 300). Reading. */
  | { verb: 'rollout-status'; target: WorkloadTarget; timeoutSeconds?: number }
  /** kubectl rollout history, from the ReplicaSets' revisions (Deployments) or ControllerRevisions (StatefulSets). Reading. */
  | { verb: 'rollout-history'; target: WorkloadTarget }
  /** kubectl rollout undo [--to-revision]: the previous revision's pod template when `toRevision` is absent. */
  | { verb: 'rollout-undo'; target: WorkloadTarget; toRevision?: number }
  /** kubectl scale: through the scale subresource. */
  | { verb: 'scale'; target: WorkloadTarget; replicas: number }
  /** kubectl set resources: a strategic-merge patch of one container's (default: every container's) limits and requests. */
  | { verb: 'set-resources'; target: WorkloadTarget; container?: string; limits?: ResourceQuantities; requests?: ResourceQuantities }
  /** kubectl set env: `null` removes a variable. One container, or every container when absent. */
  | { verb: 'set-env'; target: WorkloadTarget; container?: string; env: Readonly<Record<string, string | null>> }
  /** kubectl delete pod. */
  | { verb: 'delete'; target: InstanceTarget; gracePeriodSeconds?: number }
  /** kubectl top pods: usage of a pod, or of every pod of a workload, from metrics.k8s.io. Reading. */
  | { verb: 'top'; target: ResourceRef }
  /** kubectl get events --sort-by=.lastTimestamp, for a workload (and its pods and ReplicaSets) or a pod. Reading. */
  | { verb: 'events'; target: ResourceRef; limit?: number }
  /** Acknowledge an Alertmanager alert: POST /api/v2/silences with these matchers for `durationMs` from now. */
  | {
      verb: 'silence';
      target: AlertTarget;
      matchers: readonly SilenceMatcher[];
      durationMs: number;
      comment: string;
      /** Default: the operator running the cockpit (src/journal/operator-identity.ts). */
      createdBy?: string;
    };

/** Whether an action changes the engine (read-only mode refuses these; dry-run sends nothing for them). */
export const MUTATING_VERBS: ReadonlySet<ActionVerb> = new Set<ActionVerb>([
  'restart',
  'stop',
  'start',
  'kill',
  'restore',
  'rollout-restart',
  'rollout-undo',
  'scale',
  'set-resources',
  'set-env',
  'delete',
  'silence',
]);

export function isMutating(action: EngineAction): boolean {
  return action.verb === 'exec' ? action.mutates : MUTATING_VERBS.has(action.verb);
}

/** An instance as `docker inspect` describes it, engine-neutral and sanitised. */
export interface InstanceDetails {
  name: string;
  state: string;
  status?: string;
  health?: string;
  startedAt?: string;
  finishedAt?: string;
  restartCount?: number;
  exitCode?: number;
  oomKilled?: boolean;
  image?: string;
  memoryLimitBytes?: number;
  /** The inspect payload with env values and secret-looking labels redacted, text sanitised: for evidence files only. */
  raw: Record<string, unknown>;
}

/** What a reading action returned. */
export interface ActionOutput {
  exitCode?: number;
  /** exec, logs: sanitised line by line, bounded (about 1 MiB, with a truncation marker). */
  stdout?: string;
  stderr?: string;
  inspect?: InstanceDetails;
  stats?: { cpuPercent?: number; memoryBytes?: number; memoryLimitBytes?: number; memoryPercent?: number };
  /** archive: the file written. */
  file?: { path: string; bytes: number; sha256: string };
  /** rollout-status: the last progress seen (complete, or where it stood at the timeout or stall). */
  rollout?: RolloutProgress;
  /** rollout-history: revisions, oldest first. */
  history?: RolloutRevision[];
  /** top: one row per pod. */
  usage?: PodUsage[];
  /** events: newest last, as kubectl sorts by lastTimestamp. */
  events?: EventSummary[];
  /** A Kubernetes mutation: what the server answered (also for a server-side dry run, dryRun=All). */
  answer?: MutationAnswer;
  /** silence: the id Alertmanager gave the new silence. */
  silenceId?: string;
}

export interface RolloutRevision {
  revision: number;
  /** The ReplicaSet (or ControllerRevision) holding that template. */
  name: string;
  createdAt: number;
  /** kubernetes.io/change-cause, when set. */
  changeCause?: string;
  images: string[];
  /** Whether this is the revision the workload runs now. */
  current: boolean;
  /** Pods of that revision now (ReplicaSet's status.replicas). */
  replicas?: number;
  /** Epoch ms of the template's kubectl.kubernetes.io/restartedAt annotation, when set (a rollout restart's mark). */
  restartedAt?: number;
}

export interface PodUsage {
  pod: string;
  namespace: string;
  cpuMillicores: number;
  memoryBytes: number;
  /** Sum of the containers' memory limits, when all have one. */
  memoryLimitBytes?: number;
  /** Containers, by name. */
  containers: { name: string; cpuMillicores: number; memoryBytes: number }[];
}

export interface EventSummary {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  count: number;
  lastSeen: number;
  /** "Pod/api-7d9f-abcde". */
  object: string;
}

/** What the Kubernetes API server answered to a mutation (or its dry run). */
export interface MutationAnswer {
  /** Whether it was a server-side dry run (nothing was persisted). */
  dryRun: boolean;
  /** One line: "deployment.apps/api scaled from 3 to 5", "pod/api-1 deleted", "deployment.apps/api rolled back to revision 2". */
  summary: string;
  /** The fields that changed, as before/after pairs, e.g. { "spec.replicas": [3, 5] }. */
  changes?: Record<string, [unknown, unknown]>;
  /** The resourceVersion the server gave the object (absent on a dry run of a delete). */
  resourceVersion?: string;
}

/** The exact call an action makes: an engine API request or an argv. */
export type ActionCall =
  | {
      type: 'http';
      method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
      path: string;
      body?: unknown;
      /** The request the answer to this one leads to (exec: create, then start the exec it created). */
      then?: ActionCall;
    }
  | { type: 'argv'; argv: readonly string[] };

export type ActionStatus = 'done' | 'refused' | 'failed' | 'would-do';

export interface ActionResult {
  action: EngineAction;
  status: ActionStatus;
  /** The call made (done, failed) or that would be made (would-do); absent when refused before one was built. */
  call?: ActionCall;
  /** Why it was refused or how it failed. */
  error?: string;
  durationMs: number;
  output?: ActionOutput;
}

export interface ExecuteOptions {
  /** Mutating actions answer would-do with their call and send nothing; reading ones run for real. */
  dryRun?: boolean;
  /** Milliseconds before the call is abandoned (failed with a timeout, its streams closed). */
  timeoutMs?: number;
  /** Aborting fails the action and closes its streams (an exec's process may still run in the container). */
  signal?: AbortSignal;
  /** exec and logs stream through this as the output arrives: one sanitised line per call, without its newline. */
  onOutput?(stream: 'stdout' | 'stderr', text: string): void;
}

/** Runs actions against the engines that own their targets. */
export interface ActionExecutor {
  execute(action: EngineAction, options?: ExecuteOptions): Promise<ActionResult>;
  /** The exact call the action would make, without making it. */
  describe(action: EngineAction): ActionCall | undefined;
  /**
   * Why it would be refused (no such engine, not supported, read-only, or forbidden by an access
   * review already answered), decided before anything is sent.
   */
  refusal(action: EngineAction): string | undefined;
  /**
   * The refusal, after asking the engine whether this user may do it (Kubernetes: a
   * SelfSubjectAccessReview, cached per verb, resource and namespace, and per name where a role allows some names only). Callers ask this before
   * they ask the operator to confirm.
   */
  authorize(action: EngineAction): Promise<string | undefined>;
}

/** Present tense and past tense, for status lines and journals. */
export const VERB_WORDS: Record<ActionVerb, { present: string; progressive: string; past: string }> = {
  restart: { present: 'restart', progressive: 'restarting', past: 'restarted' },
  stop: { present: 'stop', progressive: 'stopping', past: 'stopped' },
  start: { present: 'start', progressive: 'starting', past: 'started' },
  kill: { present: 'kill', progressive: 'killing', past: 'killed' },
  exec: { present: 'run a command in', progressive: 'running a command in', past: 'ran a command in' },
  logs: { present: 'read the logs of', progressive: 'reading the logs of', past: 'read the logs of' },
  inspect: { present: 'inspect', progressive: 'inspecting', past: 'inspected' },
  stats: { present: 'sample', progressive: 'sampling', past: 'sampled' },
  archive: { present: 'archive', progressive: 'archiving', past: 'archived' },
  restore: { present: 'restore into', progressive: 'restoring into', past: 'restored into' },
  'rollout-restart': { present: 'restart the rollout of', progressive: 'restarting the rollout of', past: 'restarted the rollout of' },
  'rollout-status': { present: 'watch the rollout of', progressive: 'watching the rollout of', past: 'watched the rollout of' },
  'rollout-history': { present: 'read the rollout history of', progressive: 'reading the rollout history of', past: 'read the rollout history of' },
  'rollout-undo': { present: 'roll back', progressive: 'rolling back', past: 'rolled back' },
  scale: { present: 'scale', progressive: 'scaling', past: 'scaled' },
  'set-resources': { present: 'set the resources of', progressive: 'setting the resources of', past: 'set the resources of' },
  'set-env': { present: 'set the environment of', progressive: 'setting the environment of', past: 'set the environment of' },
  delete: { present: 'delete', progressive: 'deleting', past: 'deleted' },
  top: { present: 'read the usage of', progressive: 'reading the usage of', past: 'read the usage of' },
  events: { present: 'read the events of', progressive: 'reading the events of', past: 'read the events of' },
  silence: { present: 'silence', progressive: 'silencing', past: 'silenced' },
};

/** Key of an access decision: one verb on one object (a role may allow it on some names only). */
export function accessKeyOf(action: Pick<EngineAction, 'verb' | 'target'>): string {
  return [action.target.engineId, action.target.namespace ?? '', action.target.kind, action.target.name, action.verb].join('|');
}

/** Whether an action addresses a workload (Deployment, StatefulSet, compose service) rather than an instance. */
export function isWorkloadVerb(verb: ActionVerb): verb is WorkloadVerb {
  return (
    verb === 'rollout-restart' ||
    verb === 'rollout-status' ||
    verb === 'rollout-history' ||
    verb === 'rollout-undo' ||
    verb === 'scale' ||
    verb === 'set-resources' ||
    verb === 'set-env'
  );
}

/** Verbs each resource kind supports at all (k9s's Restartable, Stoppable, Startable per kind). */
export const VERBS_BY_KIND: Partial<Record<ResourceKind, readonly LifecycleVerb[]>> = {
  container: ['restart', 'stop', 'start'],
};

/** The verbs that make sense for an instance in its current phase. */
export function verbsFor(instance: Pick<Instance, 'ref' | 'phase'>): LifecycleVerb[] {
  const supported = VERBS_BY_KIND[instance.ref.kind] ?? [];
  const active = isActivePhase(instance.phase);
  return supported.filter((verb) => (verb === 'start' ? !active : verb === 'stop' ? active : true));
}

/** One line for the status bar or a journal: "restarted shop-api-1 (1.2 s)". */
export function describeResult(result: ActionResult): string {
  const words = VERB_WORDS[result.action.verb];
  const name = result.action.target.name;
  const seconds = `${(result.durationMs / 1000).toFixed(1)} s`;
  switch (result.status) {
    case 'done':
      if (result.output?.answer) return `${result.output.answer.summary} (${seconds})`;
      if (result.output?.silenceId) return `silenced ${name}: silence ${result.output.silenceId} (${seconds})`;
      return `${words.past} ${name} (${seconds})`;
    case 'would-do':
      if (result.output?.answer) return `dry run (server): ${result.output.answer.summary}`;
      return `dry run: would ${words.present} ${name}${result.call ? `: ${describeCall(result.call)}` : ''}`;
    case 'refused':
      return result.error ?? `${words.present} ${name} refused`;
    case 'failed':
      return `${words.present} ${name} failed: ${result.error ?? 'unknown error'}`;
  }
}

/** "POST /containers/c0ffee/exec {"Cmd":["cat","/x"]} then POST /exec/{execId}/start". */
export function describeCall(call: ActionCall): string {
  if (call.type === 'argv') return call.argv.join(' ');
  const body = call.body === undefined ? '' : ` ${JSON.stringify(call.body)}`;
  return `${call.method} ${call.path}${body}${call.then ? ` then ${describeCall(call.then)}` : ''}`;
}

/** A call and the ones it leads to, in order (for the journal's list of calls). */
export function callSequence(call: ActionCall): ActionCall[] {
  if (call.type === 'argv' || !call.then) return [call];
  const { then, ...first } = call;
  return [first, ...callSequence(then)];
}
