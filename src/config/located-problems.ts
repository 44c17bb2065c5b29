// Problems found in a YAML document, located: each one becomes `file:line:col: field: detail`,
// pointing at the value, the key or the enclosing mapping. Shared by every file opsdeck reads
// (opsdeck.yaml now, playbooks next).

import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from './config-error';

export type PathSegment = string | number;

export interface ConfigProblem {
  path: PathSegment[];
  detail: string;
  /** Where to point: the value (default), the key named last in path, or the enclosing mapping. */
  target: 'value' | 'key' | 'parent';
}

export function problemFromIssue(issue: z.core.$ZodIssue): ConfigProblem {
  const issuePath = issue.path.filter((segment): segment is PathSegment => typeof segment !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    return { path: [...issuePath, issue.keys[0] ?? ''], detail: issue.message, target: 'key' };
  }
  if (issue.code === 'invalid_type' && issue.message === MISSING_KEY_MESSAGE) {
    return { path: issuePath, detail: issue.message, target: 'parent' };
  }
  return { path: issuePath, detail: issue.message, target: 'value' };
}

export const MISSING_KEY_MESSAGE = 'required key is missing';

const EXPECTED_NAMES: Readonly<Record<string, string>> = {
  number: 'a number',
  int: 'a whole number',
  string: 'a string',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
  boolean: 'true or false',
};

/** zod error map: messages phrased for someone editing YAML. */
export function issueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  const got = `got ${describeValue(issue.input)}`;
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return MISSING_KEY_MESSAGE;
      return `expected ${EXPECTED_NAMES[issue.expected] ?? issue.expected}, ${got}`;
    case 'unrecognized_keys': {
      const shape = (issue.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
      const known = shape ? Object.keys(shape) : [];
      return known.length > 0 ? `unknown key (expected one of: ${known.join(', ')})` : 'unknown key';
    }
    case 'too_small':
      if (issue.origin === 'array') return `must list at least ${String(issue.minimum)} item${Number(issue.minimum) === 1 ? '' : 's'}`;
      if (issue.origin === 'string') return 'must not be empty';
      return `must be ${issue.inclusive ? 'at least' : 'more than'} ${String(issue.minimum)}, ${got}`;
    case 'too_big':
      return `must be ${issue.inclusive ? 'at most' : 'less than'} ${String(issue.maximum)}, ${got}`;
    case 'invalid_value':
      return `expected ${issue.values.map((value) => JSON.stringify(value)).join(' or ')}, ${got}`;
    case 'invalid_union': {
      const discriminator = (issue as { discriminator?: string }).discriminator;
      const options = (issue as { options?: unknown[] }).options;
      if (!discriminator || !options) return undefined;
      const value = issue.input !== null && typeof issue.input === 'object' ? (issue.input as Record<string, unknown>)[discriminator] : issue.input;
      return `expected ${options.map((option) => JSON.stringify(option)).join(' or ')}, got ${describeValue(value)}`;
    }
    default:
      return undefined;
  }
}

/** A value as an error message quotes it: a string quoted, a list or mapping by its kind. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

export function errorForProblems(problems: ConfigProblem[], document: Document, lineCounter: LineCounter, fileName: string): ConfigError {
  const located = problems.map((problem) => ({ problem, position: positionOf(problem, document, lineCounter) }));
  located.sort((left, right) => left.position.line - right.position.line || left.position.col - right.position.col);
  const first = located[0] as (typeof located)[number];
  const others = problems.length - 1;
  const suffix = others > 0 ? ` (and ${others} more problem${others === 1 ? '' : 's'})` : '';
  return new ConfigError({
    file: fileName,
    line: first.position.line,
    column: first.position.col,
    field: fieldName(first.problem.path) || undefined,
    detail: first.problem.detail + suffix,
  });
}

/** Line and column (1-based) of the node a problem is about, or of its nearest existing ancestor. */
function positionOf(problem: ConfigProblem, document: Document, lineCounter: LineCounter): { line: number; col: number } {
  const segments = problem.target === 'parent' ? problem.path.slice(0, -1) : problem.path;
  let node: unknown = document.contents;
  let offset = rangeStart(node) ?? 0;
  for (let index = 0; index < segments.length; index += 1) {
    const segment = segments[index] as PathSegment;
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      const keyOffset = rangeStart(pair.key);
      const valueOffset = rangeStart(pair.value);
      const wantsKey = problem.target === 'key' && index === segments.length - 1;
      offset = wantsKey || valueOffset === undefined || isNullScalar(pair.value) ? (keyOffset ?? offset) : valueOffset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      const itemOffset = rangeStart(item);
      if (itemOffset === undefined) break;
      offset = itemOffset;
      node = item;
    } else {
      break;
    }
  }
  return lineCounter.linePos(offset);
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as YamlNode | null | undefined)?.range;
  return range ? range[0] : undefined;
}

function isNullScalar(node: unknown): boolean {
  return isScalar(node) && node.value === null;
}

/** thresholds.cpu.warning, engines[0].host */
function fieldName(segments: readonly PathSegment[]): string {
  let name = '';
  for (const segment of segments) {
    name += typeof segment === 'number' ? `[${segment}]` : name === '' ? segment : `.${segment}`;
  }
  return name;
}

/** Drops mapping keys whose value is empty (`key:` with nothing after it), so they take their default. */
export function withoutNullValues(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return value.map((item: unknown) => (item === null ? item : withoutNullValues(item)));
  if (typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) {
      if (entry !== null && entry !== undefined) result[key] = withoutNullValues(entry);
    }
    return result;
  }
  return value;
}

/** A YAML file read for validation: its data (empty keys dropped) and what locating a problem needs. */
export interface YamlSource {
  data: unknown;
  document: Document;
  lineCounter: LineCounter;
  fileName: string;
}

/** Parses YAML text; a syntax error throws a ConfigError `file:line:col: invalid YAML: ...`. */
export function parseYamlSource(text: string, fileName: string): YamlSource {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: true });
  const syntaxError = document.errors[0];
  if (syntaxError) {
    const position = syntaxError.linePos?.[0];
    throw new ConfigError({
      file: fileName,
      detail: `invalid YAML: ${firstLine(syntaxError.message).replace(/ at line \d+, column \d+:?$/, '')}`,
      line: position?.line ?? 1,
      column: position?.col ?? 1,
    });
  }
  return { data: withoutNullValues(document.toJS()), document, lineCounter, fileName };
}

/** The one-line error for problems found in a parsed source. */
export function errorForSource(problems: ConfigProblem[], source: YamlSource): ConfigError {
  return errorForProblems(problems, source.document, source.lineCounter, source.fileName);
}

/** 1-based line of the node at a path (or of its nearest existing ancestor). */
export function lineOfPath(segments: PathSegment[], source: YamlSource): number {
  return positionOf({ path: segments, detail: '', target: 'value' }, source.document, source.lineCounter).line;
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}

export { displayFileName } from './config-error';
