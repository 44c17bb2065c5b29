// Input values are checked, all of them, before any step runs: required ones present, numbers,
// booleans and durations parsed, choices among the allowed values, strings against the
// author's pattern (the whole value must match), live objects found in the live state. A value
// with a control character or a line break is refused whatever its type. Anything else is
// passed on as inert text: the runner only ever puts a value into one argv element or one
// typed field, never into a shell string, so `api; rm -rf /` stays a (strange) name.

import { parseDurationValue } from '../domain/duration';
import { compilePattern } from '../domain/pattern';
import { LIVE_INPUT_TYPES, type InputType, type InputValues, type PlaybookInput, type RawInputs } from './playbook-types';

/** Resolves a live object (container, service, engine, ...) by name or ref key. */
export interface LiveResolver {
  /**
   * The ref key (the engine id for `engine` and `context`, the name for `namespace`) the value
   * names; undefined when nothing matches; a problem when it names several (a deployment in two contexts).
   */
  resolve(type: InputType, value: string): string | { problem: string } | undefined;
}

export type InputValidation = { values: InputValues } | { errors: Record<string, string> };

// C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const TRUE_WORDS = new Set(['true', 'yes', 'y', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'n', 'off', '0']);

/** The typed value of one input, or the problem with it (no live lookup: see validateInputs). */
export function parseInputValue(input: PlaybookInput, text: string): { value: string | number | boolean } | { problem: string } {
  if (CONTROL_CHARACTERS.test(text)) return { problem: 'must not contain control characters or line breaks' };
  const trimmed = text.trim();
  switch (input.type) {
    case 'number': {
      const value = trimmed === '' ? Number.NaN : Number(trimmed);
      return Number.isFinite(value) ? { value } : { problem: `expected a number, got ${JSON.stringify(text)}` };
    }
    case 'boolean': {
      const word = trimmed.toLowerCase();
      if (TRUE_WORDS.has(word)) return { value: true };
      if (FALSE_WORDS.has(word)) return { value: false };
      return { problem: `expected true or false, got ${JSON.stringify(text)}` };
    }
    case 'duration':
      try {
        return { value: parseDurationValue(trimmed) };
      } catch (error) {
        return { problem: (error as Error).message };
      }
    case 'choice': {
      const allowed = input.allowed ?? [];
      return allowed.includes(trimmed) ? { value: trimmed } : { problem: `expected one of: ${allowed.join(', ')}; got ${JSON.stringify(text)}` };
    }
    case 'string': {
      if (input.pattern === undefined) return { value: text };
      // The whole value must match, even when the author forgot the anchors.
      const pattern = compilePattern(input.pattern);
      const anchored = new RegExp(`^(?:${pattern.source})$`, pattern.flags);
      return anchored.test(text) ? { value: text } : { problem: `must match ${input.pattern}, got ${JSON.stringify(text)}` };
    }
    default:
      // Live objects: the name as typed (resolved against the live state by validateInputs).
      return trimmed === '' ? { problem: 'must not be empty' } : { value: trimmed };
  }
}

/**
 * Checks every input of a playbook. Values come as strings (`--input k=v`, the form, a
 * suggestion's binding); missing ones take their default. Returns every value typed, or an
 * error for each input that is missing or wrong (and for each value given for no input).
 */
export function validateInputs(inputs: readonly PlaybookInput[], raw: RawInputs, live: LiveResolver): InputValidation {
  const values: Record<string, string | number | boolean> = {};
  const errors: Record<string, string> = {};
  const declared = new Set(inputs.map((input) => input.name));
  for (const name of Object.keys(raw)) {
    if (!declared.has(name)) errors[name] = `unknown input (${declared.size > 0 ? `inputs: ${[...declared].join(', ')}` : 'the playbook has no inputs'})`;
  }
  for (const input of inputs) {
    const given = Object.hasOwn(raw, input.name) ? raw[input.name] : undefined;
    const text = given !== undefined && given.trim() !== '' ? given : input.default !== undefined ? String(input.default) : undefined;
    if (text === undefined) {
      if (input.required) errors[input.name] = 'required: give a value';
      continue;
    }
    const parsed = parseInputValue(input, text);
    if ('problem' in parsed) {
      errors[input.name] = parsed.problem;
      continue;
    }
    if (LIVE_INPUT_TYPES.has(input.type)) {
      const resolved = live.resolve(input.type, String(parsed.value));
      if (resolved === undefined) {
        errors[input.name] = `no ${input.type} ${JSON.stringify(String(parsed.value))} in the live state`;
        continue;
      }
      if (typeof resolved !== 'string') {
        errors[input.name] = resolved.problem;
        continue;
      }
      values[input.name] = resolved;
      continue;
    }
    values[input.name] = parsed.value;
  }
  return Object.keys(errors).length > 0 ? { errors } : { values };
}
