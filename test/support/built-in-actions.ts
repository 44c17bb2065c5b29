// The shipped action definitions, looked up by name, with their parameter schemas applied the
// way the runner applies them (for the action tests).
import { createBuiltInActionRegistry } from '../../src/playbooks/actions/built-in-actions';
import type { PlaybookActionDefinition } from '../../src/playbooks/actions/action-registry';

const registry = createBuiltInActionRegistry();

export function builtInAction(name: string): PlaybookActionDefinition<Record<string, unknown>> {
  const definition = registry.get(name);
  if (!definition) throw new Error(`no action ${name}`);
  return definition;
}

/** The parameters as the action receives them (durations in ms, numbers from their text). */
export function parsedParams(name: string, raw: Record<string, unknown>): Record<string, unknown> {
  return builtInAction(name).params.parse(raw);
}

/** The schema's complaint about `raw` ("field: message; ..."); throws when it accepts them. */
export function paramsProblem(name: string, raw: Record<string, unknown>): string {
  const parsed = builtInAction(name).params.safeParse(raw);
  if (parsed.success) throw new Error(`${name} accepted ${JSON.stringify(raw)}`);
  return parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
}
