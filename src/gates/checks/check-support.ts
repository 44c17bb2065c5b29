// What every gate checker shares: bounded, sanitised excerpts for evidence, the outcome of an
// aborted check, regular expressions and JSON comparisons judged the same way for bodies,
// command output and status files. A checker never throws: it answers with one of these.

import { compilePattern } from '../../domain/pattern';
import { toDisplayText } from '../../domain/untrusted-text';
import type { GateEvidence, GateOutcome, ValueComparison } from '../gate-types';
import { compareValue } from '../value-comparison';

/** Characters of a body, an output or a file kept as evidence. */
export const EXCERPT_CHARACTERS = 500;
/** Characters of a body or a command's stream read and judged (the rest is not kept). */
export const READ_LIMIT_CHARACTERS = 64 * 1024;
/**
 * The scheduler aborts a check at the gate's timeout; this only bounds a check run without one
 * (setTimeout cannot take more than 2^31-1 ms).
 */
export const BACKSTOP_TIMEOUT_MS = 10 * 60 * 1000;

/** Untrusted text cut to an excerpt: each line sanitised (newlines kept), at most EXCERPT_CHARACTERS. */
export function excerptOf(text: string): string {
  const lines = text.split('\n').map((line) => toDisplayText(line));
  const joined = lines.join('\n').trimEnd();
  return joined.length <= EXCERPT_CHARACTERS ? joined : `${joined.slice(0, EXCERPT_CHARACTERS)}…`;
}

/** An error's message as one sanitised line. */
export function errorText(error: unknown): string {
  return toDisplayText(error instanceof Error ? error.message : String(error));
}

/** The scheduler aborted the check (its timeout): it writes the timeout outcome, this only stops quickly. */
export function abortedOutcome(): GateOutcome {
  return { status: 'unknown', detail: 'aborted', evidence: { error: 'aborted' } };
}

/** A check that could not be judged (an unreadable CA file, a bad pattern): unknown, with why. */
export function unknownOutcome(detail: string, evidence: GateEvidence = {}): GateOutcome {
  return { status: 'unknown', detail, evidence: { ...evidence, error: evidence.error ?? detail } };
}

/** The pattern compiled, or the outcome saying why it cannot be. */
export function patternOrOutcome(source: string | undefined): RegExp | undefined | GateOutcome {
  if (source === undefined) return undefined;
  try {
    return compilePattern(source);
  } catch (error) {
    return unknownOutcome(errorText(error));
  }
}

export function isOutcome(value: unknown): value is GateOutcome {
  return typeof value === 'object' && value !== null && 'status' in value && 'detail' in value;
}

/** `/ok/` as a detail names it. */
export function patternText(pattern: RegExp): string {
  return `/${pattern.source}/${pattern.flags}`;
}

export interface JsonJudgement {
  holds: boolean;
  /** One line: `.sealed == false (got true)`, `output is not JSON: Unexpected token`. */
  detail: string;
  evidence: Pick<GateEvidence, 'value' | 'comparison'> & { error?: string };
}

/** Parses `text` as JSON and compares; the value found (untrusted) is sanitised for the evidence. */
export function judgeJson(text: string, comparison: ValueComparison, what: string): JsonJudgement {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    const reason = errorText(error);
    return { holds: false, detail: `${what} is not JSON: ${reason}`, evidence: { comparison: comparison.source, error: `not JSON: ${reason}` } };
  }
  const result = compareValue(document, comparison);
  const value = excerptOf(result.actual);
  if (!result.found) return { holds: false, detail: `${comparison.source}: ${pathText(comparison)} is missing from the ${what}`, evidence: { comparison: comparison.source, value } };
  return { holds: result.holds, detail: `${comparison.source} ${result.holds ? 'holds' : 'does not hold'} (got ${value})`, evidence: { comparison: comparison.source, value } };
}

function pathText(comparison: ValueComparison): string {
  return `.${comparison.path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : segment)).join('.')}`.replace(/\.\[/g, '[');
}

/** Runs a checker's body; whatever it throws becomes an unknown outcome (a checker never throws). */
export async function guarded(signal: AbortSignal, body: () => Promise<GateOutcome>): Promise<GateOutcome> {
  if (signal.aborted) return abortedOutcome();
  try {
    return await body();
  } catch (error) {
    return signal.aborted ? abortedOutcome() : unknownOutcome(`check failed: ${errorText(error)}`);
  }
}
