// `.metrics.avg_query_time_ms < 1000`, `.sealed == false`, `.status == "ok"`, `< 0.05`: a JSON
// path compared with a literal. Parsed once at config load (no eval), evaluated by the checks.

import type { ValueComparison } from './gate-types';

const OPERATORS = ['<=', '>=', '==', '!=', '<', '>'] as const;
type Operator = ValueComparison['operator'];

/** Parses a comparison; throws an Error whose message is one line naming what is wrong. */
export function parseComparison(text: string, options: { pathAllowed?: boolean } = {}): ValueComparison {
  const source = text.trim();
  const pathAllowed = options.pathAllowed ?? true;
  const match = /^((?:[^<>=!"]|"[^"]*")*?)\s*(<=|>=|==|!=|<|>)\s*(.+)$/.exec(source);
  if (!match) throw new Error(`expected "<.path> <operator> <value>" such as ".sealed == false" (operators ${OPERATORS.join(' ')}), got ${JSON.stringify(text)}`);
  const [, writtenPath, operatorText, valueText] = match;
  const pathText = writtenPath === undefined || writtenPath.trim() === '' ? undefined : writtenPath.trim();
  if (pathText !== undefined && !pathText.startsWith('.')) throw new Error(`expected a path starting with "." before the operator, got ${JSON.stringify(text)}`);
  if (pathText !== undefined && !pathAllowed) throw new Error(`expected "<operator> <value>" such as "< 0.05" (no path: each sample's value is compared), got ${JSON.stringify(text)}`);
  if (pathText === undefined && pathAllowed) throw new Error(`expected a path starting with "." before the operator, got ${JSON.stringify(text)}`);
  const path = pathText === undefined ? [] : parsePath(pathText);
  const value = parseLiteral((valueText ?? '').trim());
  const operator = operatorText as Operator;
  if ((operator === '<' || operator === '<=' || operator === '>' || operator === '>=') && typeof value !== 'number') {
    throw new Error(`${operator} compares numbers, got ${JSON.stringify(valueText)}`);
  }
  return { source, path, operator, value };
}

/** `.a.b[0].c` -> ['a', 'b', 0, 'c']; `.` -> []. */
function parsePath(text: string): Array<string | number> {
  if (text === '.') return [];
  const segments: Array<string | number> = [];
  const pattern = /\.([A-Za-z_][\w-]*)|\[(\d+)\]|\["([^"]*)"\]/y;
  let index = 0;
  while (index < text.length) {
    pattern.lastIndex = index;
    const match = pattern.exec(text);
    if (!match) throw new Error(`bad path ${JSON.stringify(text)} at ${JSON.stringify(text.slice(index))} (expected .name, [index] or ["key"])`);
    segments.push(match[1] ?? (match[2] !== undefined ? Number(match[2]) : (match[3] ?? '')));
    index = pattern.lastIndex;
  }
  return segments;
}

function parseLiteral(text: string): ValueComparison['value'] {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  if (/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return Number(text);
  if (/^"(?:[^"\\]|\\.)*"$/.test(text)) return JSON.parse(text) as string;
  if (/^'[^']*'$/.test(text)) return text.slice(1, -1);
  throw new Error(`expected a number, true, false, null or a quoted string after the operator, got ${JSON.stringify(text)}`);
}

export interface ComparisonResult {
  holds: boolean;
  /** The value found (JSON text), or `missing`. */
  actual: string;
  found: boolean;
}

/** Reads the path in a parsed document and compares; a missing path does not hold. */
export function compareValue(document: unknown, comparison: ValueComparison): ComparisonResult {
  let current: unknown = document;
  for (const segment of comparison.path) {
    if (current === null || typeof current !== 'object') return { holds: false, actual: 'missing', found: false };
    current = (current as Record<string | number, unknown>)[segment];
    if (current === undefined) return { holds: false, actual: 'missing', found: false };
  }
  const actual = current === undefined ? 'missing' : JSON.stringify(current);
  return { holds: holds(current, comparison.operator, comparison.value), actual: actual ?? String(current), found: true };
}

function holds(actual: unknown, operator: Operator, expected: ValueComparison['value']): boolean {
  if (operator === '==' || operator === '!=') {
    const equal = typeof expected === 'number' && typeof actual === 'string' && actual.trim() !== '' ? Number(actual) === expected : actual === expected;
    return operator === '==' ? equal : !equal;
  }
  const number = typeof actual === 'number' ? actual : typeof actual === 'string' && actual.trim() !== '' ? Number(actual) : Number.NaN;
  if (!Number.isFinite(number) || typeof expected !== 'number') return false;
  if (operator === '<') return number < expected;
  if (operator === '<=') return number <= expected;
  if (operator === '>') return number > expected;
  return number >= expected;
}
