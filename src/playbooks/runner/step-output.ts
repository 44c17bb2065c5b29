// A step attempt's output on its two ways out: lines to the store (the runs slice buffers them
// and applies them per flush, so 1,000 lines/s cost one render per flush) and text to the
// journal (redacted by its writer), in records of at most RECORD_BYTES, and bounded per attempt.

import type { JournalRecordBody } from '../../journal/journal-types';
import type { OpsdeckStore } from '../../store/create-opsdeck-store';
import type { StepOutcome } from '../actions/action-registry';
import type { Phase } from './run-view-state';

type Stream = 'stdout' | 'stderr' | 'info' | 'body';

/** Journaled output per attempt; the rest is counted and marked truncated. */
export const JOURNAL_OUTPUT_BYTES = 256 * 1024;
const RECORD_BYTES = 16 * 1024;
/** Streamed text kept for `register` when the action's outcome does not carry it. */
const KEPT_FOR_REGISTER_BYTES = 1024 * 1024;

export class StepOutput {
  private readonly journalBuffer = new Map<Stream, string>();
  private readonly streamed = new Map<Stream, string>();
  private journaledBytes = 0;
  private truncated = false;

  constructor(
    private readonly target: {
      store: OpsdeckStore;
      journal(record: JournalRecordBody): void;
      runId: string;
      stepId: string;
      phase: Phase;
      attempt: number;
    },
  ) {}

  /** A line as an action streams it (ActionContext.onOutput: one line per call; a text with newlines is several). */
  write(stream: Stream, text: string): void {
    const lines = text.split('\n');
    if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
    const whole = `${lines.join('\n')}\n`;
    const kept = this.streamed.get(stream) ?? '';
    if (kept.length < KEPT_FOR_REGISTER_BYTES) this.streamed.set(stream, (kept + whole).slice(0, KEPT_FOR_REGISTER_BYTES));
    this.toStore(stream, lines);
    this.toJournal(stream, whole);
  }

  /** Whether anything came through `write` for the stream (else the outcome's text is written at the end). */
  hasStreamed(stream: Stream): boolean {
    return this.streamed.has(stream);
  }

  streamedText(stream: Stream): string | undefined {
    return this.streamed.get(stream);
  }

  /**
   * The outcome's texts that did not stream, then every buffer out. stdout and stderr count as
   * one output: a log read streams both but returns them merged in `stdout`, so once either
   * streamed, writing the outcome's text again would show every streamed line twice.
   */
  finish(outcome: StepOutcome | undefined): void {
    if (outcome) {
      const outputStreamed = this.hasStreamed('stdout') || this.hasStreamed('stderr');
      // An action that reports its lines as info and returns the same lines (a service action, a check).
      const reportedAsInfo = (text: string): boolean => text.trim() === (this.streamedText('info') ?? '').trim();
      for (const stream of ['stdout', 'stderr', 'body'] as const) {
        const text = outcome[stream];
        const streamed = stream === 'body' ? this.hasStreamed('body') : outputStreamed || (text !== undefined && reportedAsInfo(text));
        if (text !== undefined && text !== '' && !streamed) this.write(stream, text);
      }
    }
    for (const stream of [...this.journalBuffer.keys()]) this.flushJournal(stream);
  }

  private toStore(stream: Stream, lines: string[]): void {
    const shown = stream === 'stderr' ? lines.map((line) => `! ${line}`) : lines;
    this.target.store.getState().runOutput(this.target.runId, this.target.stepId, this.target.phase, shown);
  }

  private toJournal(stream: Stream, text: string): void {
    if (this.truncated) return;
    const buffered = (this.journalBuffer.get(stream) ?? '') + text;
    if (buffered.length < RECORD_BYTES) {
      this.journalBuffer.set(stream, buffered);
      return;
    }
    // Whole lines per record, so a secret on one line is redacted in one piece.
    const end = buffered.lastIndexOf('\n') + 1 || buffered.length;
    this.journalBuffer.set(stream, buffered.slice(0, end));
    this.flushJournal(stream);
    if (end < buffered.length) this.journalBuffer.set(stream, buffered.slice(end));
  }

  private flushJournal(stream: Stream): void {
    const buffered = this.journalBuffer.get(stream);
    this.journalBuffer.delete(stream);
    if (!buffered || this.truncated) return;
    const room = JOURNAL_OUTPUT_BYTES - this.journaledBytes;
    const cut = Buffer.byteLength(buffered) > room;
    const text = cut ? Buffer.from(buffered).subarray(0, Math.max(0, room)).toString('utf8') : buffered;
    this.journaledBytes += Buffer.byteLength(text);
    if (cut) this.truncated = true;
    const { journal, stepId, attempt } = this.target;
    // The journal writer redacts tokens, passwords and keys as it writes.
    journal({ type: 'step-output', stepId, attempt, stream, text, ...(cut ? { truncated: true } : {}) });
  }
}
