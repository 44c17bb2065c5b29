// The shape of a playbook file (format: playbook-types.ts). Every mapping is strict, so a typo
// in a key is an error rather than a silently ignored setting; values that have a syntax of
// their own (durations, `onFailure`, exit code lists) are parsed here, and their problems come
// out as issues located at the value. Checks across the file (templates, actions, step
// references) are in playbook-checks.ts.

import { z } from 'zod';
import { parseDurationValue } from '../domain/duration';
import type { ConfirmMode, FailurePolicy, InputType } from './playbook-types';

/** Playbook and step ids: `restart-service`, `diag`. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
/** Input names, as templates use them: `inputs.container`, `inputs.since_minutes`. */
export const INPUT_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export const INPUT_TYPES = ['string', 'number', 'boolean', 'choice', 'duration', 'engine', 'service', 'container', 'pod', 'deployment', 'statefulset', 'namespace', 'context'] as const satisfies readonly InputType[];
export const CONFIRM_MODES = ['none', 'yes-no', 'type-target', 'second-operator'] as const satisfies readonly ConfirmMode[];

const MAX_RETRIES = 100;

/** A value with a syntax of its own: `parse` returns the value or the problem, reported at the value. */
export function parsedValue<T>(parse: (value: unknown) => { value: T } | { problem: string }) {
  return z.unknown().transform((value, context): T => {
    const result = parse(value);
    if ('problem' in result) {
      context.issues.push({ code: 'custom', message: result.problem, input: value });
      return z.NEVER;
    }
    return result.value;
  });
}

function describeInput(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}

/** `30s`, `500ms`, `5m`, `1h`, or a whole number of milliseconds. */
export const durationSchema = parsedValue<number>((value) => {
  if (typeof value !== 'string' && typeof value !== 'number') {
    return { problem: `expected a duration such as 500ms, 30s, 5m or 1h (or milliseconds), got ${describeInput(value)}` };
  }
  try {
    return { value: parseDurationValue(value) };
  } catch (error) {
    return { problem: (error as Error).message };
  }
});

/** `0` or `[0, 1]`; `200` or `[200, 204]`. */
export const codeListSchema = parsedValue<number[]>((value) => {
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  if (list.length === 0 || !list.every((item) => typeof item === 'number' && Number.isInteger(item))) {
    return { problem: `expected a whole number or a list of them, got ${describeInput(value)}` };
  }
  return { value: list as number[] };
});

const FAILURE_POLICY_TEXT = 'abort, continue, rollback or goto:<step id>';

/** `abort`, `continue`, `rollback` or `goto:<step id>`. */
export function parseFailurePolicy(value: unknown): { value: FailurePolicy } | { problem: string } {
  if (value === 'abort' || value === 'continue' || value === 'rollback') return { value: { kind: value } };
  if (typeof value === 'string') {
    const match = /^goto:\s*(.*)$/.exec(value);
    if (match) {
      const step = (match[1] ?? '').trim();
      return ID_PATTERN.test(step) ? { value: { kind: 'goto', step } } : { problem: `goto needs a step id, got ${JSON.stringify(value)}` };
    }
  }
  return { problem: `expected ${FAILURE_POLICY_TEXT}, got ${describeInput(value)}` };
}

const failurePolicySchema = parsedValue<FailurePolicy>(parseFailurePolicy);

const idSchema = z.string().regex(ID_PATTERN, 'expected lower-case letters, digits and "-", starting with a letter or digit (e.g. restart-service)');
const textSchema = z.string().trim().min(1);

const expectSchema = z.strictObject({
  exitCode: codeListSchema.optional(),
  status: codeListSchema.optional(),
  output: z.string().min(1).optional(),
  body: z.string().min(1).optional(),
});

export const stepSchema = z.strictObject({
  id: idSchema,
  title: textSchema,
  action: textSchema,
  with: z.record(z.string(), z.unknown()).optional(),
  confirm: z.enum(CONFIRM_MODES).optional(),
  timeout: durationSchema.optional(),
  retries: z.number().int().min(0).max(MAX_RETRIES).optional(),
  retryDelay: durationSchema.optional(),
  expect: expectSchema.optional(),
  register: z.boolean().optional(),
  when: textSchema.optional(),
  onFailure: failurePolicySchema.optional(),
});

export const inputSchema = z.strictObject({
  name: z.string().regex(INPUT_NAME_PATTERN, 'expected letters, digits, "_" and "-", starting with a letter or "_" (e.g. container)'),
  type: z.enum(INPUT_TYPES),
  description: z.string().optional(),
  default: z.union([z.string(), z.number(), z.boolean()]).optional(),
  pattern: z.string().min(1).optional(),
  allowed: z.array(z.string().min(1)).min(1).optional(),
});

export const suggestSchema = z.strictObject({
  alert: textSchema.optional(),
  fingerprint: z.string().min(1).optional(),
  gate: textSchema.optional(),
  resource: z.enum(['deployment', 'statefulset', 'pod']).optional(),
  state: z.string().min(1).optional(),
  bind: z.record(z.string(), z.string()).optional(),
});

export const playbookFileSchema = z.strictObject({
  id: idSchema,
  title: textSchema,
  description: textSchema,
  source: z.strictObject({ runbook: textSchema, section: textSchema }).optional(),
  tags: z.array(textSchema).optional(),
  suggest: z.array(suggestSchema).optional(),
  inputs: z.array(inputSchema).optional(),
  steps: z.array(stepSchema).min(1),
  rollback: z.array(stepSchema).optional(),
});

export type PlaybookFile = z.infer<typeof playbookFileSchema>;
export type StepFile = z.infer<typeof stepSchema>;
export type InputFile = z.infer<typeof inputSchema>;
