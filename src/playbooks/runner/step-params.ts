// A step's `with:` rendered into the action's typed parameters: every string is one template
// filling one field or one argv element (never split, never parsed as a shell string), then the
// whole is validated by the action's own schema.

import type { PlaybookActionDefinition } from '../actions/action-registry';
import type { PlaybookStep } from '../playbook-types';
import { isTemplate, renderValue, type TemplateScope } from '../template';

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

export function renderStepParams(
  step: PlaybookStep,
  definition: PlaybookActionDefinition<Record<string, unknown>>,
  scope: TemplateScope,
): Record<string, unknown> {
  const rendered = renderField(step.with, scope, 'with');
  const parsed = definition.params.safeParse(rendered);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue && issue.path.length > 0 ? `with.${issue.path.join('.')}` : 'with';
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
