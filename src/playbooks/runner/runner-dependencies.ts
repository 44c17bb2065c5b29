// What one run needs from the rest of opsdeck, as narrow interfaces: the runner is a state
// machine over these, so its tests drive it with small test actions and in-memory journals,
// and the service wires the real journal, locks and approvals.

import type { HostCommands } from '../../adapters/host/host-commands';
import type { ActionExecutor } from '../../domain/engine-action';
import type { JournalWriter, OperatorIdentity } from '../../journal/journal-types';
import type { OpsdeckStore } from '../../store/create-opsdeck-store';
import type { ActionRegistry } from '../actions/action-registry';
import type { LockHolder } from '../../journal/target-locks';
import type { PendingApproval } from '../run-types';

export type { StepScope, TemplateScope } from '../template';

export type { LockHolder } from '../../journal/target-locks';

/** Host-wide target locks (src/journal/target-locks.ts). */
export interface TargetLocks {
  acquire(target: string, holder: Omit<LockHolder, 'since'>): { acquired: true; release(): void } | { acquired: false; holder: LockHolder };
  takeOver(target: string, holder: Omit<LockHolder, 'since'>): { release(): void; previous?: LockHolder };
}

/** Second-operator approvals (src/journal/approvals.ts). */
export interface Approvals {
  request(request: { runId: string; stepId: string; requestedBy: string; question: string; calls: string[] }): void;
  wait(options: { runId: string; stepId: string; signal: AbortSignal }): Promise<{ approver: string; at: number }>;
  withdraw(runId: string, stepId: string): void;
  /** Another operator's approval; refused for the requester's own step or when nothing waits. */
  approve(options: { runId: string; stepId?: string; approver: string }): { accepted: boolean; reason?: string };
  pending(): PendingApproval[];
}

/** Opens journals (src/journal/journal-writer.ts). */
export interface Journals {
  create(runId: string): JournalWriter;
  continue(path: string): JournalWriter;
}

export interface RunnerDependencies {
  store: OpsdeckStore;
  executor: ActionExecutor;
  host: HostCommands;
  registry: ActionRegistry;
  journals: Journals;
  locks: TargetLocks;
  approvals: Approvals;
  operator: OperatorIdentity;
  /** Engine and host adapters refuse mutations (the runtime's mode, not per run). */
  readOnly: boolean;
  /** Where runs' artefact directories go: `<runsDirectory>/<run-id>/`. */
  runsDirectory: string;
  now(): number;
  /** Test hook: ms to wait between a step's intent and its call (crash tests); 0 otherwise. */
  pauseAfterIntentMs?: number;
}
