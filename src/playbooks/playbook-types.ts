// The playbook model: what a validated playbook file becomes (playbook file -> validated plan ->
// runner -> action executor -> adapters). The YAML format (playbooks/*.yaml) maps onto it
// one to one; load-playbooks.ts validates files into these types.
//
// YAML shape (every mapping strict: unknown keys are errors with file:line:col):
//   id: restart-service                # [a-z0-9][a-z0-9-]*, unique across the library
//   title: Restart a service gracefully
//   description: ...                   # names the runbook section it comes from
//   source: { runbook: "000 Operations Runbook", section: "Appendix A: Command Reference" }
//   tags: [docker, restart]
//   suggest:                           # when this playbook is the suggested fix
//     - alert: restarting              # an AlertKind (restarting, unhealthy, cpu, memory, disk, ...)
//       bind: { container: "{{ alert.target }}" }
//     - fingerprint: "(?i)connection refused"   # regex on an error fingerprint's text
//       bind: { service: "{{ error.service }}" }
//     - gate: no-unhealthy
//     - resource: pod                  # a Kubernetes row (deployment, statefulset, pod) ...
//       state: "(?i)crash-loop|not-ready"   # ... whose state words match (optional)
//       bind: { deployment: "{{ resource.workload }}" }
//   inputs:
//     - name: container
//       type: container                # string number boolean choice duration engine service container
//                                      # pod deployment statefulset namespace context (live: chosen from the live state)
//       description: The container to restart
//       default: ...                   # optional; an input without default is required
//       pattern: "^[a-z0-9-]+$"        # string only
//       allowed: [a, b]                # choice only (required for choice)
//   steps:
//     - id: diag
//       title: Inspect the container
//       action: container.inspect
//       with: { container: "{{ inputs.container }}" }   # typed parameters of the action
//       confirm: none                  # none | yes-no | type-target | second-operator (default: yes-no for mutating actions, none otherwise)
//       timeout: 30s                   # duration: 500ms, 30s, 5m, 1h
//       retries: 2                     # extra attempts after a failure
//       retryDelay: 5s
//       expect: { exitCode: 0, status: [200, 204], output: "regex", body: "regex" }
//       register: true                 # keep the output (stdout, stderr, body, data) for later steps
//       when: "steps.diag.exitCode != 0 and inputs.force"
//       onFailure: abort               # abort | continue | rollback | goto:<step id>
//   rollback:                          # optional; the same step shape, run on `rollback` or when asked after abort
//     - ...
//
// Templates: "{{ inputs.NAME }}", "{{ steps.ID.FIELD }}" (status, exitCode, httpStatus, choice,
// durationMs always; stdout, stderr, body, output, data.PATH only when that step registers),
// "{{ run.id }}", "{{ run.timestamp }}" (UTC yyyymmddThhmmssZ), "{{ run.directory }}" (the
// run's artefact directory). A template fills exactly one typed field or one argv element: it
// is never parsed as a shell string, and the rendered value is validated against the field's
// type after rendering.

import type { ResourceKind } from '../domain/resource-ref';

export type InputType =
  | 'string'
  | 'number'
  | 'boolean'
  | 'choice'
  | 'duration'
  | 'engine'
  | 'service'
  | 'container'
  | 'pod'
  | 'deployment'
  | 'statefulset'
  | 'namespace'
  | 'context';

/** Input types whose values are objects of the live state (chosen from a list in the wizard). */
export const LIVE_INPUT_TYPES: ReadonlySet<InputType> = new Set<InputType>(['engine', 'service', 'container', 'pod', 'deployment', 'statefulset', 'namespace', 'context']);

/**
 * The resource kind a live input resolves to. engine and context have none: they name an
 * engine id (context: a Kubernetes engine, by id or kubeconfig context); namespace names a
 * namespace a Kubernetes engine shows.
 */
export const LIVE_INPUT_KINDS: Partial<Record<InputType, ResourceKind>> = {
  service: 'compose-service',
  container: 'container',
  pod: 'pod',
  deployment: 'deployment',
  statefulset: 'statefulset',
};

export interface PlaybookInput {
  name: string;
  type: InputType;
  description?: string;
  default?: string | number | boolean;
  /** string: the whole value must match (anchored by the author). */
  pattern?: string;
  /** choice: the allowed values. */
  allowed?: readonly string[];
  /** True when there is no default. */
  required: boolean;
}

export type ConfirmMode = 'none' | 'yes-no' | 'type-target' | 'second-operator';

export type FailurePolicy = { kind: 'abort' } | { kind: 'continue' } | { kind: 'rollback' } | { kind: 'goto'; step: string };

export interface StepExpect {
  exitCode?: readonly number[];
  /** HTTP status codes accepted. */
  status?: readonly number[];
  /** Regex (JavaScript syntax, `(?i)` prefix allowed for case-insensitive) on stdout+stderr / output. */
  output?: string;
  /** Regex on an HTTP body. */
  body?: string;
}

export interface PlaybookStep {
  id: string;
  title: string;
  /** Registered action name (actions/action-registry.ts), e.g. `container.restart`. */
  action: string;
  /** The action's parameters as written: values may be template strings, rendered before the step runs. */
  with: Readonly<Record<string, unknown>>;
  confirm: ConfirmMode;
  timeoutMs?: number;
  retries: number;
  retryDelayMs: number;
  expect?: StepExpect;
  register: boolean;
  /** A condition (condition.ts syntax); the step is skipped when it is false. */
  when?: string;
  onFailure: FailurePolicy;
  /** Where the step starts in its file (1-based), for messages. */
  line: number;
}

export interface SuggestRule {
  /** An AlertKind from the thresholds (restarting, unhealthy, cpu, memory, disk, engine, ...). */
  alert?: string;
  /** Regex on an error fingerprint's text. */
  fingerprint?: string;
  /** A gate id. */
  gate?: string;
  /** A Kubernetes row selected in the cockpit: a deployment, statefulset or pod. */
  resource?: 'deployment' | 'statefulset' | 'pod';
  /**
   * With `resource`: a regex on the row's state words (a pod: its phase, state, reason,
   * ready/not-ready, OOMKilled; a workload: its rollout state, available/unavailable,
   * failing-pods). A rule without it matches every row of the kind: offered in the picker,
   * while `!` starts only a playbook whose rule matched a problem.
   */
  state?: string;
  /**
   * How inputs are bound from the match: input name -> template over `alert.*`
   * (target: the alert's target ref key, kind, message), `error.*` (service, container,
   * fingerprint), `gate.*` (id, detail, workload: the first offender's workload ref key) or
   * `resource.*` (target, kind, name, namespace, context, workload: the ref key of the row's
   * workload, state).
   */
  bind: Readonly<Record<string, string>>;
}

export interface Playbook {
  id: string;
  title: string;
  description: string;
  source?: { runbook: string; section: string };
  tags: readonly string[];
  suggest: readonly SuggestRule[];
  inputs: readonly PlaybookInput[];
  steps: readonly PlaybookStep[];
  rollback: readonly PlaybookStep[];
  /** Absolute path of its file, and the sha256 of the file's bytes (journaled at run start). */
  file: string;
  sha256: string;
}

/** A file that did not validate: listed with its one-line error, the others still load. */
export interface InvalidPlaybook {
  file: string;
  /** The id when it could be read, for the listing. */
  id?: string;
  /** `file:line:col: field: detail`. */
  error: string;
}

export interface PlaybookCatalog {
  playbooks: readonly Playbook[];
  invalid: readonly InvalidPlaybook[];
  /** Directories searched, in order (later ones override earlier ids). */
  directories: readonly string[];
}

/** Input values as given (`--input k=v`, the wizard's form, a suggestion's binding): strings until validated. */
export type RawInputs = Readonly<Record<string, string>>;

/** Validated input values: numbers, booleans, milliseconds for durations, ref keys for live objects. */
export type InputValues = Readonly<Record<string, string | number | boolean>>;
