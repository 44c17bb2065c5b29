// A step's `with:` rendered into the action's typed parameters: every string is one template
// filling one field or one argv element (never split, never parsed as a shell string), then the
// whole is validated by the action's own schema.

import type { z } from 'zod';
import type { PlaybookActionDefinition } from '../actions/action-registry';
import type { PlaybookStep } from '../playbook-types';
import { isTemplate, renderTemplate, renderValue, type TemplateScope } from '../template';

export class StepParamsError extends Error {}

function renderField(value: unknown, scope: TemplateScope, path: string): unknown {
  if (typeof value === 'string') {
    if (!isTemplate(value)) return value;
    try {
      return renderValue(value, scope);
    } catch (error) {
      throw new StepParamsError(`${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (Array.isArray(value)) return value.map((item, index) => renderField(item, scope, `${path}[${index}]`));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderField(item, scope, `${path}.${key}`)]));
  }
  return value;
}

type Path = ReadonlyArray<PropertyKey>;

function valueAt(value: unknown, path: Path): unknown {
  return path.reduce<unknown>((current, key) => (current !== null && typeof current === 'object' ? (current as Record<PropertyKey, unknown>)[key] : undefined), value);
}

function setAt(value: unknown, path: Path, replacement: unknown): void {
  const parent = valueAt(value, path.slice(0, -1));
  if (parent !== null && typeof parent === 'object') (parent as Record<PropertyKey, unknown>)[path[path.length - 1] as PropertyKey] = replacement;
}

/**
 * A placeholder alone keeps its value's type (`{{ inputs.days }}` stays a number), so a text
 * field (an argv element) that received a number or boolean gets the value's text instead.
 * The schema says which fields are text; nothing else is converted.
 */
function textWhereTextIsExpected(rendered: unknown, written: unknown, issues: ReadonlyArray<z.core.$ZodIssue>, scope: TemplateScope): boolean {
  let changed = false;
  for (const issue of issues) {
    if (issue.code !== 'invalid_type' || issue.expected !== 'string') continue;
    const value = valueAt(rendered, issue.path);
    const source = valueAt(written, issue.path);
    if ((typeof value !== 'number' && typeof value !== 'boolean') || !isTemplate(source)) continue;
    setAt(rendered, issue.path, renderTemplate(source, scope));
    changed = true;
  }
  return changed;
}

export function renderStepParams(
  step: PlaybookStep,
  definition: PlaybookActionDefinition<Record<string, unknown>>,
  scope: TemplateScope,
): Record<string, unknown> {
  const rendered = renderField(step.with, scope, 'with');
  let parsed = definition.params.safeParse(rendered);
  if (!parsed.success && textWhereTextIsExpected(rendered, step.with, parsed.error.issues, scope)) parsed = definition.params.safeParse(rendered);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue && issue.path.length > 0 ? `with.${issue.path.map(String).join('.')}` : 'with';
    throw new StepParamsError(`${field}: ${issue?.message ?? 'invalid parameters'}`);
  }
  return parsed.data;
}

/** Whether the step mutates, decided before rendering (for the step list): false when it cannot tell yet. */
export function mutatesAsWritten(step: PlaybookStep, definition: PlaybookActionDefinition<Record<string, unknown>> | undefined): boolean {
  if (!definition) return false;
  try {
    const parsed = definition.params.safeParse(step.with);
    return parsed.success ? definition.mutates(parsed.data) : definition.mutates(step.with as Record<string, unknown>);
  } catch {
    return false;
  }
}
