// Templates in playbook values: "{{ inputs.service }}", "restart {{ steps.diag.data.name }}".
// Checked when the file loads (every reference must name a declared input, an earlier step, a
// registered output, ...) and rendered just before a step runs. A rendered template fills one
// typed field or one argv element: it is never split and never handed to a shell.

import type { InputValues } from './playbook-types';

/** What a placeholder names. */
export type Reference =
  | { kind: 'input'; name: string }
  | { kind: 'step'; step: string; field: string; path: readonly string[] }
  | { kind: 'run'; field: string }
  | { kind: 'binding'; root: BindingRoot; field: string };

export type BindingRoot = 'alert' | 'error' | 'gate' | 'resource';

/** Step result fields available to later steps whether or not the step registers. */
export const ALWAYS_STEP_FIELDS: readonly string[] = ['status', 'exitCode', 'httpStatus', 'choice', 'durationMs'];
/** Output fields, kept only for a step with `register: true` (`data` takes a path: data.startedAt). */
export const REGISTERED_STEP_FIELDS: readonly string[] = ['stdout', 'stderr', 'body', 'output', 'data'];
export const RUN_FIELDS: readonly string[] = ['id', 'timestamp', 'directory'];
/** What a suggestion binds inputs from (suggest[].bind only). */
export const BINDING_FIELDS: Readonly<Record<BindingRoot, readonly string[]>> = {
  alert: ['target', 'kind', 'message'],
  error: ['service', 'container', 'fingerprint'],
  gate: ['id', 'detail', 'workload'],
  resource: ['target', 'kind', 'name', 'namespace', 'context', 'workload', 'state'],
};

const SEGMENT = /^[A-Za-z0-9_-]+$/;

/** Parses `inputs.name`, `steps.diag.data.state`, `run.id`, `alert.target`. Returns the reference or the problem. */
export function parseReference(text: string): Reference | { problem: string } {
  const segments = text.split('.');
  if (text === '' || segments.some((segment) => !SEGMENT.test(segment))) {
    return { problem: `${JSON.stringify(text)} is not a reference (expected inputs.NAME, steps.ID.FIELD, run.FIELD)` };
  }
  const [root, first, ...rest] = segments as [string, ...string[]];
  switch (root) {
    case 'inputs':
      if (first === undefined || rest.length > 0) return { problem: `${text}: expected inputs.NAME` };
      return { kind: 'input', name: first };
    case 'steps': {
      const [field, ...path] = rest;
      if (first === undefined || field === undefined) return { problem: `${text}: expected steps.ID.FIELD (${[...ALWAYS_STEP_FIELDS, ...REGISTERED_STEP_FIELDS].join(', ')})` };
      if (![...ALWAYS_STEP_FIELDS, ...REGISTERED_STEP_FIELDS].includes(field)) {
        return { problem: `${text}: unknown step field ${JSON.stringify(field)} (expected one of: ${[...ALWAYS_STEP_FIELDS, ...REGISTERED_STEP_FIELDS].join(', ')})` };
      }
      if (path.length > 0 && field !== 'data') return { problem: `${text}: only data takes a path (steps.ID.data.PATH)` };
      return { kind: 'step', step: first, field, path };
    }
    case 'run':
      if (first === undefined || rest.length > 0 || !RUN_FIELDS.includes(first)) return { problem: `${text}: expected run.${RUN_FIELDS.join(', run.')}` };
      return { kind: 'run', field: first };
    case 'alert':
    case 'error':
    case 'gate':
    case 'resource': {
      const fields = BINDING_FIELDS[root];
      if (first === undefined || rest.length > 0 || !fields.includes(first)) return { problem: `${text}: expected ${root}.${fields.join(`, ${root}.`)}` };
      return { kind: 'binding', root, field: first };
    }
    default:
      return { problem: `${JSON.stringify(text)}: unknown name ${JSON.stringify(root)} (expected inputs, steps or run)` };
  }
}

/** What a reference may name at one place of a playbook. */
export interface ReferenceContext {
  /** Declared input names. */
  inputs: ReadonlySet<string>;
  /** Steps whose results exist when this value is rendered, and whether each registers its output. */
  earlierSteps: ReadonlyMap<string, { register: boolean }>;
  /** Every step id of the file (to tell a later step from an unknown one). */
  allSteps: ReadonlySet<string>;
  /** The step this value belongs to. */
  currentStep?: string;
  /** `suggest`: alert.*, error.*, gate.*, resource.* only; `step`: inputs.*, steps.*, run.*. */
  place: 'step' | 'suggest';
}

/** Why a reference cannot be used here, or undefined when it can. */
export function referenceProblem(reference: Reference, context: ReferenceContext): string | undefined {
  if (context.place === 'suggest') {
    return reference.kind === 'binding' ? undefined : 'a suggestion binds inputs from alert.*, error.*, gate.* or resource.* only';
  }
  switch (reference.kind) {
    case 'binding':
      return `${reference.root}.${reference.field} is only known in a suggestion's bind`;
    case 'run':
      return undefined;
    case 'input':
      if (context.inputs.has(reference.name)) return undefined;
      return `unknown input ${JSON.stringify(reference.name)} (${context.inputs.size > 0 ? `inputs: ${[...context.inputs].join(', ')}` : 'the playbook declares no inputs'})`;
    case 'step': {
      const { step, field } = reference;
      if (step === context.currentStep) return `step ${JSON.stringify(step)} cannot use its own result`;
      const earlier = context.earlierSteps.get(step);
      if (!earlier) {
        return context.allSteps.has(step)
          ? `step ${JSON.stringify(step)} comes later: a step can only use the results of earlier steps`
          : `unknown step ${JSON.stringify(step)}`;
      }
      if (REGISTERED_STEP_FIELDS.includes(field) && !earlier.register) {
        return `step ${JSON.stringify(step)} does not keep its ${field} (add register: true to it)`;
      }
      return undefined;
    }
  }
}

export type TemplatePart = { text: string } | { reference: Reference; source: string };

/** Splits text into literal parts and placeholders. Returns the parts or the first syntax problem. */
export function parseTemplate(text: string): { parts: TemplatePart[] } | { problem: string } {
  const parts: TemplatePart[] = [];
  let position = 0;
  while (position < text.length) {
    const open = text.indexOf('{{', position);
    if (open < 0) {
      parts.push({ text: text.slice(position) });
      break;
    }
    if (open > position) parts.push({ text: text.slice(position, open) });
    const close = text.indexOf('}}', open + 2);
    if (close < 0) return { problem: `unclosed {{ at character ${open + 1} of ${JSON.stringify(text)}` };
    const inner = text.slice(open + 2, close).trim();
    if (inner === '') return { problem: `empty {{ }} at character ${open + 1}` };
    if (inner.includes('{{')) return { problem: `unclosed {{ at character ${open + 1} of ${JSON.stringify(text)}` };
    const reference = parseReference(inner);
    if ('problem' in reference) return { problem: `{{ ${inner} }}: ${reference.problem}` };
    parts.push({ reference, source: inner });
    position = close + 2;
  }
  return { parts };
}

export function isTemplate(value: unknown): value is string {
  return typeof value === 'string' && value.includes('{{');
}

/** The first problem of a template at this place (syntax, then each reference), or undefined. */
export function validateTemplate(text: string, context: ReferenceContext): string | undefined {
  const parsed = parseTemplate(text);
  if ('problem' in parsed) return parsed.problem;
  for (const part of parsed.parts) {
    if (!('reference' in part)) continue;
    const problem = referenceProblem(part.reference, context);
    if (problem) return `{{ ${part.source} }}: ${problem}`;
  }
  return undefined;
}

/** A problem at a path inside a value (for located errors). */
export interface ValueProblem {
  path: Array<string | number>;
  detail: string;
}

/** Checks every template string inside a value (mapping, list or scalar). */
export function templateProblems(value: unknown, context: ReferenceContext, path: Array<string | number> = []): ValueProblem[] {
  if (typeof value === 'string') {
    const problem = isTemplate(value) ? validateTemplate(value, context) : undefined;
    return problem ? [{ path, detail: problem }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item: unknown, index) => templateProblems(item, context, [...path, index]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => templateProblems(item, context, [...path, key]));
  }
  return [];
}

/** A step's result as later steps see it (built by the runner from the step's outcome). */
export interface StepScope {
  status: string;
  exitCode?: number;
  httpStatus?: number;
  choice?: string;
  durationMs?: number;
  stdout?: string;
  stderr?: string;
  body?: string;
  output?: string;
  data?: unknown;
}

export interface TemplateScope {
  inputs?: InputValues;
  steps?: Readonly<Record<string, StepScope>>;
  run?: { id: string; timestamp: string; directory: string };
  alert?: Readonly<Partial<Record<string, string>>>;
  error?: Readonly<Partial<Record<string, string>>>;
  gate?: Readonly<Partial<Record<string, string>>>;
  resource?: Readonly<Partial<Record<string, string>>>;
}

/** The result of a step for later templates: output fields only when the step registers. */
export function stepScopeOf(
  outcome: { exitCode?: number; httpStatus?: number; choice?: string; stdout?: string; stderr?: string; body?: string; data?: unknown },
  options: { status: string; durationMs?: number; register: boolean },
): StepScope {
  const scope: StepScope = { status: options.status, exitCode: outcome.exitCode, httpStatus: outcome.httpStatus, choice: outcome.choice, durationMs: options.durationMs };
  if (!options.register) return scope;
  const output = [outcome.stdout, outcome.stderr, outcome.body].filter((text): text is string => text !== undefined && text !== '').join('\n');
  return { ...scope, stdout: outcome.stdout, stderr: outcome.stderr, body: outcome.body, output, data: outcome.data };
}

/** The value a reference names in a scope; undefined when it has none. */
export function lookupReference(reference: Reference, scope: TemplateScope): unknown {
  switch (reference.kind) {
    case 'input':
      return scope.inputs?.[reference.name];
    case 'run':
      return scope.run?.[reference.field as keyof NonNullable<TemplateScope['run']>];
    case 'binding':
      return scope[reference.root]?.[reference.field];
    case 'step': {
      const step = scope.steps?.[reference.step];
      let value: unknown = step?.[reference.field as keyof StepScope];
      for (const segment of reference.path) {
        value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[segment] : undefined;
      }
      return value;
    }
  }
}

/** A template that cannot be rendered: a referenced value does not exist (its step was skipped, ...). */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

function describeMissing(part: { reference: Reference; source: string }, scope: TemplateScope): string {
  const reference = part.reference;
  if (reference.kind === 'step' && !scope.steps?.[reference.step]) return `{{ ${part.source} }}: step ${JSON.stringify(reference.step)} has no result (it did not run)`;
  return `{{ ${part.source} }} has no value`;
}

function valueOf(part: { reference: Reference; source: string }, scope: TemplateScope): unknown {
  const value = lookupReference(part.reference, scope);
  if (value === undefined) throw new TemplateError(describeMissing(part, scope));
  return value;
}

function stringOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function partsOrThrow(text: string): TemplatePart[] {
  const parsed = parseTemplate(text);
  if ('problem' in parsed) throw new TemplateError(parsed.problem);
  return parsed.parts;
}

/** Renders text: each placeholder becomes its value as text. Throws TemplateError. */
export function renderTemplate(text: string, scope: TemplateScope): string {
  return partsOrThrow(text)
    .map((part) => ('reference' in part ? stringOf(valueOf(part, scope)) : part.text))
    .join('');
}

/**
 * Renders every template inside a value. A string that is exactly one placeholder keeps the
 * referenced value's type (a number stays a number, so `port: "{{ inputs.port }}"` is typed);
 * any other string renders to a string, and a list element stays one element.
 */
export function renderValue(value: unknown, scope: TemplateScope): unknown {
  if (typeof value === 'string') {
    if (!isTemplate(value)) return value;
    const parts = partsOrThrow(value);
    const only = parts.length === 1 ? parts[0] : undefined;
    if (only && 'reference' in only) return valueOf(only, scope);
    return renderTemplate(value, scope);
  }
  if (Array.isArray(value)) return value.map((item: unknown) => renderValue(item, scope));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderValue(item, scope)]));
  }
  return value;
}
