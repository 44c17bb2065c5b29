// A step's `with:` rendered into the action's typed parameters: every string is one template
// filling one field or one argv element (never split, never parsed as a shell string), then the
// whole is validated by the action's own schema.

import type { PlaybookActionDefinition } from '../actions/action-registry';
import type { PlaybookStep } from '../playbook-types';
import type { PlaybookLanguage, StepScope, TemplateScope } from './runner-dependencies';

export class StepParamsError extends Error {}

function renderValue(value: unknown, scope: TemplateScope, language: PlaybookLanguage, path: string): unknown {
  if (typeof value === 'string') {
    if (!value.includes('{{')) return value;
    try {
      return language.render(value, scope);
    } catch (error) {
      throw new StepParamsError(`${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (Array.isArray(value)) return value.map((item, index) => renderValue(item, scope, language, `${path}[${index}]`));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderValue(item, scope, language, `${path}.${key}`)]));
  }
  return value;
}

export function renderStepParams(
  step: PlaybookStep,
  definition: PlaybookActionDefinition<Record<string, unknown>>,
  scope: TemplateScope,
  language: PlaybookLanguage,
): Record<string, unknown> {
  const rendered = renderValue(step.with, scope, language, 'with');
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

/** What later steps see of a finished step: the always-fields, and its outputs when it registers. */
export function stepScopeOf(
  result: { status: string; exitCode?: number; httpStatus?: number; choice?: string; durationMs?: number },
  registered: { stdout?: string; stderr?: string; body?: string; data?: unknown } | undefined,
): StepScope {
  const scope: StepScope = { status: result.status };
  if (result.exitCode !== undefined) scope.exitCode = result.exitCode;
  if (result.httpStatus !== undefined) scope.httpStatus = result.httpStatus;
  if (result.choice !== undefined) scope.choice = result.choice;
  if (result.durationMs !== undefined) scope.durationMs = result.durationMs;
  if (registered) {
    if (registered.stdout !== undefined) scope.stdout = registered.stdout;
    if (registered.stderr !== undefined) scope.stderr = registered.stderr;
    if (registered.body !== undefined) scope.body = registered.body;
    const output = [registered.stdout, registered.stderr].filter((text): text is string => text !== undefined).join('\n');
    scope.output = output;
    if (registered.data !== undefined) scope.data = registered.data;
  }
  return scope;
}
