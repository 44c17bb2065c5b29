// The playbook actions: each declares its typed parameters, whether it mutates, the exact
// calls it makes (for dry-run and the journal's intent record), how it runs, and how a
// resumed run can observe whether an interrupted attempt took effect. The registry stays
// open: the Kubernetes and gates issues add `k8s.*` and `gate.check` by registering more.

import type { z } from 'zod';
import type { ActionCall, ActionExecutor, EngineAction } from '../../domain/engine-action';
import type { ResourceRef } from '../../domain/resource-ref';
import type { HostCommands } from '../../adapters/host/host-commands';
import type { OpsdeckState } from '../../store/store-types';

/** The resource a step names: a name or ref key of a kind, narrowed (Kubernetes) by namespace and context. */
export interface StepTargetName {
  name: string;
  kind: ResourceRef['kind'];
  namespace?: string;
  context?: string;
}

/** What a step's attempt produced. Output text is already sanitised (untrusted) and bounded. */
export interface StepOutcome {
  /** passed: the action did what it should (before `expect` is applied); refused: read-only or unsupported; would-do: dry-run of a mutating action. */
  status: 'passed' | 'failed' | 'refused' | 'would-do';
  /** The exact calls made (or that would be made), in order. */
  calls: readonly ActionCall[];
  exitCode?: number;
  httpStatus?: number;
  stdout?: string;
  stderr?: string;
  body?: string;
  /** Structured result for `{{ steps.ID.data.PATH }}` (inspect summary, stats numbers, archive file). */
  data?: unknown;
  /** decision: the branch chosen. */
  choice?: string;
  error?: string;
}

/** What an interactive action needs from the operator; the runner turns it into a RunAwaiting. */
export type InteractionRequest =
  | { kind: 'decision'; question: string; options: ReadonlyArray<{ id: string; label: string; goto?: string }> }
  | { kind: 'checklist'; instructions: string; items: readonly string[] };

export type InteractionAnswer = { kind: 'decision'; choice: string } | { kind: 'checklist'; ticked: readonly boolean[] };

/** Everything an action may use; built by the runner for each attempt. */
export interface ActionContext {
  /** The one action path for engine actions (read-only and dry-run decided there too). */
  executor: ActionExecutor;
  /** Host-side commands: argv without a shell, HTTP and TCP checks (read-only enforced there). */
  host: HostCommands;
  /** Finds a container/pod/service by name (or ref key) in the live state; undefined when unknown. */
  resolveTarget(nameOrKey: string, kind: ResourceRef['kind']): ResourceRef | undefined;
  /** The live state (services, instances, errors, alerts) for actions that report on it. */
  state(): OpsdeckState;
  dryRun: boolean;
  readOnly: boolean;
  /** Aborted on step timeout, abort, or process shutdown. */
  signal: AbortSignal;
  /** Step timeout in ms (the action's own default when the step sets none). */
  timeoutMs: number;
  /** Streams output lines to the store (bounded there) and the journal (bounded, redacted). */
  onOutput(stream: 'stdout' | 'stderr' | 'info', text: string): void;
  /** "waiting for shop-api-1 healthy: attempt 3/20, 12 s left". */
  onProgress(text: string): void;
  /** For interactive actions: resolves with the operator's answer. */
  ask(request: InteractionRequest): Promise<InteractionAnswer>;
  /** The run's artefact directory (archives, evidence folders): created on demand. */
  runDirectory: string;
  now(): number;
}

/** What a resumed run found for an attempt whose intent was journaled but whose result was not. */
export interface Observation {
  /** happened: the effect is visible (skip re-running); not-happened: safe to run; unknown: ask the operator. */
  verdict: 'happened' | 'not-happened' | 'unknown';
  /** What was checked and seen: "shop-api-1 StartedAt 11:02:07 is after the intent (11:02:05)". */
  detail: string;
}

export interface PlaybookActionDefinition<Params = Record<string, unknown>> {
  /** `container.restart`. */
  name: string;
  /** One line for the picker's help and `playbooks list`. */
  summary: string;
  /** Strict parameter schema, applied to the rendered parameters (strings from templates are coerced). */
  params: z.ZodType<Params>;
  /** Parameters that name a resource (for locks, type-target confirmation and the journal). */
  targetOf?(params: Params): StepTargetName | undefined;
  /** Whether this use changes anything (engine, host, files). Mutating steps: confirmed by default, dry-run sends nothing, read-only refuses. */
  mutates(params: Params): boolean;
  /** The exact calls the step would make (API method and path with body, or argv). */
  describe(params: Params, context: ActionContext): readonly ActionCall[];
  /**
   * The engine actions the step would execute, from the live state. The runner asks the
   * executor to authorize each (a SelfSubjectAccessReview on Kubernetes) before it asks the
   * operator to confirm: a forbidden step is refused without a question.
   */
  actionsOf?(params: Params, context: ActionContext): readonly EngineAction[];
  /**
   * Every effect goes through the executor, which answers a dry run itself (Kubernetes: the
   * server's dryRun=All answer): in a dry run the runner runs the step instead of only listing
   * its calls, so the run shows what the server said.
   */
  answersDryRun?: boolean;
  run(params: Params, context: ActionContext): Promise<StepOutcome>;
  /** The step timeout when the step sets none (wait.until: its own `timeout` and a margin); absent: the runner's default. */
  defaultTimeoutMs?(params: Params): number;
  /** Resume: did an interrupted attempt whose intent was journaled at `intentAt` take effect? Absent: unknown. */
  observe?(params: Params, context: ActionContext, intentAt: number): Promise<Observation>;
}

export type AnyActionDefinition = PlaybookActionDefinition<never>;

export interface ActionRegistry {
  get(name: string): PlaybookActionDefinition<Record<string, unknown>> | undefined;
  names(): readonly string[];
}

export function createActionRegistry(definitions: ReadonlyArray<PlaybookActionDefinition<never>>): ActionRegistry {
  const byName = new Map<string, PlaybookActionDefinition<Record<string, unknown>>>();
  for (const definition of definitions) {
    if (byName.has(definition.name)) throw new Error(`action ${definition.name} is registered twice`);
    byName.set(definition.name, definition as unknown as PlaybookActionDefinition<Record<string, unknown>>);
  }
  return {
    get: (name) => byName.get(name),
    names: () => [...byName.keys()].sort(),
  };
}
