// The points where a run waits for its operator. The machine awaits `next(awaiting)`; the
// controls the views call (RunControl) turn into answers that settle the wait. An answer that
// does not fit what is awaited is dropped, so a stray key never drives a step.

import type { RunAwaiting } from '../run-types';

export type OperatorAnswer =
  | { kind: 'inputs'; values: Readonly<Record<string, string>> }
  | { kind: 'run-next' }
  | { kind: 'skip' }
  | { kind: 'retry' }
  | { kind: 'abort' }
  | { kind: 'rollback' }
  | { kind: 'confirm'; answer: boolean | string }
  | { kind: 'choose'; optionId: string }
  | { kind: 'acknowledge'; ticked?: readonly boolean[] }
  | { kind: 'take-over' }
  /** Settled by the runner itself: an approval arrived, a held lock came free. */
  | { kind: 'approved'; approver: string }
  | { kind: 'lock-free' };

/** The answers each kind of wait accepts (abort always). */
const ACCEPTED: Record<RunAwaiting['kind'], ReadonlySet<OperatorAnswer['kind']>> = {
  inputs: new Set(['inputs', 'abort']),
  'next-step': new Set(['run-next', 'skip', 'abort', 'rollback']),
  confirm: new Set(['confirm', 'skip', 'abort']),
  approval: new Set(['approved', 'skip', 'abort']),
  decision: new Set(['choose', 'abort']),
  checklist: new Set(['acknowledge', 'abort']),
  'lock-held': new Set(['take-over', 'retry', 'run-next', 'lock-free', 'skip', 'abort']),
  failure: new Set(['retry', 'skip', 'abort', 'rollback']),
  resume: new Set(['run-next', 'retry', 'confirm', 'skip', 'abort']),
};

export class OperatorWaits {
  private current: { awaiting: RunAwaiting; resolve(answer: OperatorAnswer): void } | undefined;

  constructor(private readonly onAwaiting: (awaiting: RunAwaiting | undefined) => void) {}

  get awaiting(): RunAwaiting | undefined {
    return this.current?.awaiting;
  }

  /** Shows `awaiting` and resolves with the first answer that fits it. */
  next(awaiting: RunAwaiting): Promise<OperatorAnswer> {
    return new Promise((resolve) => {
      this.current = { awaiting, resolve };
      this.onAwaiting(awaiting);
    });
  }

  /** Settles the wait when the answer fits; returns whether it did. */
  answer(answer: OperatorAnswer): boolean {
    const current = this.current;
    if (!current || !ACCEPTED[current.awaiting.kind].has(answer.kind)) return false;
    this.current = undefined;
    this.onAwaiting(undefined);
    current.resolve(answer);
    return true;
  }

  /** Changes what is shown without settling (a ticked checklist item, input errors). */
  update(awaiting: RunAwaiting): void {
    if (!this.current) return;
    this.current.awaiting = awaiting;
    this.onAwaiting(awaiting);
  }
}
