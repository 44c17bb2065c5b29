// Error detection and grouping for log lines.
//
// A line is an error when it matches one of the error patterns (the runbooks'
// `grep -i "error\|exception\|fatal"`, `grep "auth.*fail"`, "slow query",
// "denied", OutOfMemoryError/OOM, timeouts). Matching lines are grouped by a
// fingerprint: the message with its variable parts (timestamps, ids, addresses,
// quoted values, numbers) replaced by placeholders, so "user 42 timed out" and
// "user 7 timed out" count as one problem.

import type { ErrorFingerprint, RefKey } from './types';

/** Pattern sources, matched case-insensitively anywhere in the line. */
export const DEFAULT_ERROR_PATTERNS: readonly string[] = [
  'error',
  'exception',
  'fatal',
  'panic',
  'OutOfMemoryError',
  // OOM as a word ("OOM killer", "oom-kill") and OOMKilled, but not "room" or "bloom".
  '\\boom(?:\\b|kill)',
  // Same matches as the runbooks' `auth.*fail` ("authentication failed", "auth_fail").
  'auth.*fail',
  'denied',
  'slow\\s+quer(?:y|ies)',
  // timeout, SocketTimeoutException, timed out, time-out; not "sometime output".
  'timeout|timed[\\s_-]?out|\\btime[\\s_-]out\\b',
];

/** Longest fingerprint kept; longer normalised messages are cut. */
export const MAX_FINGERPRINT_LENGTH = 300;
/**
 * Only this many characters of a line are normalised: the fingerprint keeps
 * at most MAX_FINGERPRINT_LENGTH characters, and placeholders rarely shrink
 * text by more than this factor.
 */
const MAX_NORMALISED_INPUT_LENGTH = MAX_FINGERPRINT_LENGTH * 4;

/**
 * Compiles pattern sources into case-insensitive regular expressions.
 * Throws an Error naming the first pattern that is empty or invalid.
 */
export function compileErrorPatterns(sources: readonly string[]): RegExp[] {
  return sources.map((source, index) => {
    if (typeof source !== 'string' || source.trim() === '') {
      throw new Error(`error pattern #${index + 1} is empty: it would match every line`);
    }
    try {
      // No `g` flag: test() must not carry lastIndex from one line to the next.
      return new RegExp(source, 'i');
    } catch (error) {
      const reason = error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : String(error);
      throw new Error(`invalid error pattern ${JSON.stringify(source)}: ${reason}`);
    }
  });
}

export function isErrorLine(text: string, patterns: readonly RegExp[]): boolean {
  for (const pattern of patterns) {
    if (pattern.test(text)) return true;
  }
  return false;
}

// Normalisation runs ordered passes, each a single regular expression, so the
// engine can skip quickly to where a token may start (one big alternation was
// several times slower). The order gives the precedence: quoted values, uuids,
// timestamps, emails, addresses, then hex ids, then the remaining numbers.
// Tokens are anchored on a token start (lookbehind) so a long word is never
// rescanned from each of its characters. A pass with a precheck is skipped when
// the precheck finds nothing.
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const HEX_GROUP = '[0-9a-f]{1,4}';

type Replacer = (match: string, ...rest: unknown[]) => string;

type Precheck = RegExp | string | ((text: string) => boolean);

interface NormalisationPass {
  pattern: RegExp;
  replacement: string | Replacer;
  precheck?: Precheck;
}

const normalisationPass = (source: string, replacement: string | Replacer, precheck?: Precheck): NormalisationPass => ({
  pattern: new RegExp(source, 'gi'),
  replacement,
  ...(precheck !== undefined ? { precheck } : {}),
});

const NORMALISATION_PASSES: readonly NormalisationPass[] = [
  normalisationPass(`"(?:[^"\\\\\\n]|\\\\.)*"|(?<![\\w'])'(?:[^'\\\\\\n]|\\\\.)*'(?!\\w)`, replaceQuoted, /["']/),
  normalisationPass(
    '(?<![0-9a-z])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-z])',
    '<uuid>',
    /-[0-9a-f]{4}-/i,
  ),
  // ISO 8601 / RFC 3339 and "2026-01-28 09:00:00,123"; a bare date too.
  normalisationPass(
    '(?<!\\d)\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{2}:\\d{2}(?::\\d{2}(?:[.,]\\d+)?)?(?:\\s?Z|\\s?[+-]\\d{2}:?\\d{2}(?!\\d))?)?(?!\\d)',
    '<ts>',
  ),
  normalisationPass(`(?<![a-z])${MONTH}\\s+\\d{1,2}\\s+\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?(?!\\d)`, '<ts>'),
  // Apache / nginx access log: 28/Jan/2026:09:00:00 +0000
  normalisationPass(`(?<!\\d)\\d{1,2}/${MONTH}/\\d{4}:\\d{2}:\\d{2}:\\d{2}(?:\\s[+-]\\d{4})?(?!\\d)`, '<ts>', '/'),
  normalisationPass('(?<![\\w.+-])[\\w.+-]+@[a-z0-9-]+(?:\\.[a-z0-9-]+)+(?![\\w-])', '<email>', '@'),
  normalisationPass('(?<![\\d.])(?:\\d{1,3}\\.){3}\\d{1,3}(?::\\d{1,5})?(?!\\.?\\d)', '<ip>', '.'),
  normalisationPass(
    `(?<![\\w:])(?:(?:${HEX_GROUP}:){7}${HEX_GROUP}|${HEX_GROUP}(?::${HEX_GROUP})*::(?:${HEX_GROUP}(?::${HEX_GROUP})*)?|::${HEX_GROUP}(?::${HEX_GROUP})*)(?![\\w:])`,
    '<ip>',
    // An IPv6 address has "::" or seven colons.
    (text) => text.includes('::') || countOf(text, ':') >= 7,
  ),
  normalisationPass('(?<![\\d:])\\d{1,2}:\\d{2}:\\d{2}(?:[.,]\\d+)?(?![\\d:])', '<ts>', ':'),
  // Epoch seconds (10 digits) or milliseconds (13 digits), optionally fractional.
  normalisationPass('(?<![\\d.])(?:\\d{13}|\\d{10})(?:\\.\\d+)?(?![\\d.])', '<ts>', /\d{10}/),
  normalisationPass('(?<![0-9a-z])0x[0-9a-f]+(?![0-9a-z])', '<hex>', /0x/i),
  // Six or more hex characters with at least one digit and one letter, so plain
  // words ("decade") and plain numbers stay out.
  normalisationPass('(?<![0-9a-z])(?=[0-9a-f]*\\d)(?=[0-9a-f]*[a-f])[0-9a-f]{6,}(?![0-9a-z])', '<hex>', /[0-9a-f]{6}/i),
  normalisationPass('\\d+(?:\\.\\d+)?', '<n>'),
];

const WHITESPACE_RUN = /\s+/g;

/**
 * Message with its variable parts replaced by placeholders: timestamps `<ts>`,
 * uuids `<uuid>`, hex ids `<hex>`, IP addresses (with port) `<ip>`, emails
 * `<email>`, quoted values `<str>`, other numbers `<n>`. Whitespace is
 * collapsed and the result is at most MAX_FINGERPRINT_LENGTH characters.
 *
 * Quoted text that contains whitespace (a sentence, a JSON "msg" value) and
 * quoted JSON keys are kept, with their own variable parts replaced, because
 * they carry the meaning of the message rather than a variable value.
 */
export function normaliseLogMessage(text: string): string {
  let normalised = text.length > MAX_NORMALISED_INPUT_LENGTH ? text.slice(0, MAX_NORMALISED_INPUT_LENGTH) : text;
  for (const pass of NORMALISATION_PASSES) {
    if (pass.precheck !== undefined) {
      const precheck = pass.precheck;
      const found =
        typeof precheck === 'string' ? normalised.includes(precheck) : typeof precheck === 'function' ? precheck(normalised) : precheck.test(normalised);
      if (!found) continue;
    }
    const replacement = pass.replacement;
    normalised = typeof replacement === 'string' ? normalised.replace(pass.pattern, replacement) : normalised.replace(pass.pattern, replacement);
  }
  return cutAtCharacterBoundary(normalised.replace(WHITESPACE_RUN, ' ').trim(), MAX_FINGERPRINT_LENGTH);
}

function countOf(text: string, character: string): number {
  let count = 0;
  for (let index = text.indexOf(character); index !== -1; index = text.indexOf(character, index + 1)) count += 1;
  return count;
}

function replaceQuoted(quoted: string, ...rest: unknown[]): string {
  const offset = rest[0] as number;
  const whole = rest[1] as string;
  const end = offset + quoted.length;
  const isKey = /^\s*:/.test(whole.slice(end, end + 8));
  return isKey || /\s/.test(quoted.slice(1, -1)) ? quoted : '<str>';
}

function cutAtCharacterBoundary(text: string, maximumLength: number): string {
  if (text.length <= maximumLength) return text;
  let end = maximumLength;
  const lastCode = text.charCodeAt(end - 1);
  // Do not leave half of a surrogate pair at the end.
  if (lastCode >= 0xd800 && lastCode <= 0xdbff) end -= 1;
  return text.slice(0, end).trimEnd();
}

export interface RecordedErrorLine {
  text: string;
  workloadKey: RefKey;
  timestamp: number;
}

interface FingerprintEntry {
  fingerprint: string;
  count: number;
  workloadKeys: Set<RefKey>;
  firstSeen: number;
  lastSeen: number;
  sampleLine: string;
  sampleWorkloadKey: RefKey;
}

/**
 * Counts error lines per fingerprint, keeping at most `capacity` fingerprints.
 * When full, recording a new fingerprint evicts the one recorded least
 * recently (the Map keeps entries in recording order: an update moves the
 * entry to the end, so the first entry is always the eviction candidate).
 */
export class FingerprintTable {
  readonly capacity: number;
  private readonly entries = new Map<string, FingerprintEntry>();
  private changeCount = 0;

  constructor(options: { capacity: number }) {
    if (!Number.isInteger(options.capacity) || options.capacity < 1) {
      throw new RangeError(`FingerprintTable capacity must be a positive integer, got ${String(options.capacity)}`);
    }
    this.capacity = options.capacity;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Increases on every record() and clear(); lets views skip unchanged snapshots. */
  get version(): number {
    return this.changeCount;
  }

  /** Records one line that already matched the error patterns. */
  record(line: RecordedErrorLine): void {
    const fingerprint = normaliseLogMessage(line.text);
    const existing = this.entries.get(fingerprint);
    this.changeCount += 1;
    if (existing) {
      this.entries.delete(fingerprint);
      this.entries.set(fingerprint, existing);
      existing.count += 1;
      existing.workloadKeys.add(line.workloadKey);
      if (line.timestamp < existing.firstSeen) existing.firstSeen = line.timestamp;
      if (line.timestamp >= existing.lastSeen) {
        existing.lastSeen = line.timestamp;
        existing.sampleLine = line.text;
        existing.sampleWorkloadKey = line.workloadKey;
      }
      return;
    }
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(fingerprint, {
      fingerprint,
      count: 1,
      workloadKeys: new Set([line.workloadKey]),
      firstSeen: line.timestamp,
      lastSeen: line.timestamp,
      sampleLine: line.text,
      sampleWorkloadKey: line.workloadKey,
    });
  }

  /** Copies of all fingerprints, most recently seen first, then most frequent. */
  snapshot(): ErrorFingerprint[] {
    const result: ErrorFingerprint[] = [];
    for (const entry of this.entries.values()) {
      result.push({
        fingerprint: entry.fingerprint,
        count: entry.count,
        workloadKeys: [...entry.workloadKeys].sort(),
        firstSeen: entry.firstSeen,
        lastSeen: entry.lastSeen,
        sampleLine: entry.sampleLine,
        sampleWorkloadKey: entry.sampleWorkloadKey,
      });
    }
    return result.sort(
      (left, right) =>
        right.lastSeen - left.lastSeen ||
        right.count - left.count ||
        (left.fingerprint < right.fingerprint ? -1 : left.fingerprint > right.fingerprint ? 1 : 0),
    );
  }

  clear(): void {
    this.entries.clear();
    this.changeCount += 1;
  }
}
