// The run journal: one append-only JSONL file per run under $XDG_STATE_HOME/opsdeck/runs/
// (fallback ~/.local/state/opsdeck/runs/), named `<run-id>.jsonl`. Every record carries `seq`
// (0, 1, 2, ...), `at` (ms since epoch) and `prev`: the sha256 (hex) of the previous record's
// line exactly as written, without its newline (the first record's prev is 64 zeros). A record
// is written with one write() of the whole line and fsynced before append() returns, so a
// step's intent is on disk before its call is sent. Output text is bounded and redacted
// (tokens, passwords, keys) before it is written.

import type { ActionCall } from '../domain/engine-action';

export type RunVerdict = 'passed' | 'failed' | 'aborted' | 'rolled-back';
export type StepVerdict = 'passed' | 'failed' | 'skipped' | 'refused' | 'would-do';

export interface OperatorIdentity {
  /** SUDO_USER, else USER, else the login name. */
  operator: string;
  /** SSH_CONNECTION as set by sshd ("client port server port"), when there is one. */
  sshConnection?: string;
  host: string;
  pid: number;
}

export type JournalRecordBody =
  | ({
      type: 'run-start';
      runId: string;
      playbook: { id: string; title: string; file: string; sha256: string };
      inputs: Record<string, string | number | boolean>;
      dryRun: boolean;
      readOnly: boolean;
    } & OperatorIdentity)
  | {
      type: 'step-intent';
      stepId: string;
      attempt: number;
      /** Phase 'rollback' for rollback steps. */
      phase: 'main' | 'rollback';
      action: string;
      /** The rendered parameters. */
      params: Record<string, unknown>;
      mutates: boolean;
      calls: ActionCall[];
      dryRun: boolean;
    }
  | { type: 'step-output'; stepId: string; attempt: number; stream: 'stdout' | 'stderr' | 'info' | 'body'; text: string; truncated?: boolean }
  | { type: 'confirmation'; stepId: string; mode: 'yes-no' | 'type-target' | 'takeover' | 'resume'; operator: string; answer: string; accepted: boolean }
  | { type: 'approval'; stepId: string; requestedBy: string; approver: string; accepted: boolean; reason?: string }
  | { type: 'lock'; stepId: string; target: string; event: 'acquired' | 'released' | 'taken-over' | 'held-by-other'; holder?: { operator: string; runId: string; stepId: string } }
  | {
      type: 'step-result';
      stepId: string;
      attempt: number;
      phase: 'main' | 'rollback';
      verdict: StepVerdict;
      exitCode?: number;
      httpStatus?: number;
      durationMs: number;
      error?: string;
      /** skipped: why (condition false, operator skipped, already happened on resume). */
      reason?: string;
      /** decision: the option chosen (resume follows its branch). */
      choice?: string;
      /** A registering step's structured result (`steps.ID.data`), when small: restored on resume. */
      data?: unknown;
    }
  | ({ type: 'resume'; observations: Array<{ stepId: string; attempt: number; verdict: 'happened' | 'not-happened' | 'unknown'; detail: string }> } & OperatorIdentity)
  | { type: 'note'; text: string; operator: string }
  | { type: 'run-end'; verdict: RunVerdict; durationMs: number; reason?: string };

export type JournalRecord = JournalRecordBody & { seq: number; at: number; prev: string };

export interface RunSummary {
  runId: string;
  path: string;
  playbookId: string;
  title: string;
  operator: string;
  startedAt: number;
  endedAt?: number;
  verdict?: RunVerdict;
  /** No run-end record: the runner died (crash, SSH drop, kill -9) or is still running. */
  unfinished: boolean;
  /** The pid in run-start is still alive on this host (a live run, not a dead one). */
  running: boolean;
}

export interface JournalWriter {
  readonly runId: string;
  readonly path: string;
  /** Writes and fsyncs one record; returns it with seq, at and prev filled. */
  append(record: JournalRecordBody): JournalRecord;
  close(): void;
}

export interface ReadJournal {
  records: JournalRecord[];
  /** A torn last line (crash mid-write) is reported here and ignored. */
  problems: string[];
}
