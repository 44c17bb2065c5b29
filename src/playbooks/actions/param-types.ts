// Parameter types shared by the action schemas. A template fills a field with a string
// ("{{ inputs.lines }}" renders "200"), so numbers, booleans and durations accept their text
// form too; the rendered value is still validated against the field's type.

import { z } from 'zod';
import { parseDuration } from '../../domain/duration';
import { compilePattern } from '../../domain/pattern';

/** Milliseconds, from `30s`, `5m`, `500ms`, `1h30m` or a number of ms. */
export const durationParam = z.union([z.number(), z.string()]).transform((value, context) => {
  const milliseconds = parseDuration(value);
  if (milliseconds === undefined) {
    context.addIssue({ code: 'custom', message: `invalid duration ${JSON.stringify(value)}: use a number and a unit (ms, s, m, h, d), e.g. 30s or 5m` });
    return z.NEVER;
  }
  return milliseconds;
});

/** An RFC 3339 time as engines print it (`2026-12-01T11:59:19.377486504Z`): kept as text, checked to parse. */
export const timestampParam = z
  .string()
  .trim()
  .refine((text) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text) && !Number.isNaN(Date.parse(text)), 'expected a time such as 2026-12-01T11:59:19Z');

/** A duration back from now (ms), or the time to start from. */
export const sinceParam = z.union([timestampParam.transform((time) => ({ time })), durationParam.transform((ms) => ({ ms }))]);

/** A whole number, from a number or its digits. */
export const integerParam = z.union([z.number(), z.string().trim().regex(/^-?\d+$/, 'expected a whole number').transform(Number)]).pipe(z.number().int());

export const positiveIntegerParam = integerParam.pipe(z.number().int().min(0));

export const portParam = integerParam.pipe(z.number().int().min(1).max(65_535));

/** true/false, from a boolean or its text. */
export const booleanParam = z.union([z.boolean(), z.enum(['true', 'false']).transform((text) => text === 'true')]);

/** A non-empty name (container, service, file): one line, no control characters. */
export const nameParam = z
  .string()
  .min(1, 'must not be empty')
  .refine((text) => !/[\u0000-\u001f\u007f]/.test(text), 'must be one line without control characters');

/** An argv: the program and its arguments, each one element (never split, never given to a shell). */
export const argvParam = z.array(z.string()).min(1, 'needs at least the program').refine((argv) => argv[0] !== '', 'the program (first element) must not be empty');

export const stringMapParam = z.record(z.string(), z.string());

/** A regular expression (JavaScript syntax, `(?i)` prefix for case-insensitive), checked when the playbook loads. */
export const patternParam = z.string().superRefine((source, context) => {
  try {
    compilePattern(source);
  } catch (error) {
    context.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
  }
});

/** One or several whole numbers (exit codes, HTTP statuses): `0`, `[200, 204]`. */
export const integerListParam = z.union([integerParam.transform((value) => [value]), z.array(integerParam)]);

/** Which container: a name as the cockpit shows it (or a ref key), and the engine when several have one of that name. */
export const containerParams = {
  container: nameParam,
  engine: nameParam.optional(),
};
