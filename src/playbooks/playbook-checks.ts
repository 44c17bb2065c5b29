// Checks across a playbook file once its shape is right: actions exist and their `with:`
// parameters fit, templates and `when` conditions name declared inputs and earlier steps (and
// registered outputs), step ids are unique, every `goto` names a step of its own phase. Each
// problem is located at the value it is about. Also turns the checked file into a Playbook.

import type { ConfigProblem, PathSegment } from '../config/located-problems';
import { issueMessage, problemFromIssue } from '../config/located-problems';
import { patternProblem } from '../domain/pattern';
import type { ActionRegistry } from './actions/action-registry';
import { validateCondition } from './condition';
import { parseInputValue } from './input-values';
import type { Playbook, PlaybookInput, PlaybookStep, SuggestRule } from './playbook-types';
import type { InputFile, PlaybookFile, StepFile } from './playbook-schema';
import { isTemplate, templateProblems, validateTemplate, type ReferenceContext } from './template';

type Phase = 'steps' | 'rollback';

/** Every problem of a file whose shape is valid. */
export function playbookProblems(file: PlaybookFile, registry: ActionRegistry): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const at = (path: PathSegment[], detail: string, target: ConfigProblem['target'] = 'value') => problems.push({ path, detail, target });
  const inputs = file.inputs ?? [];
  const inputNames = new Set<string>();
  inputs.forEach((input, index) => {
    if (inputNames.has(input.name)) at(['inputs', index, 'name'], `duplicate input ${JSON.stringify(input.name)}`);
    inputNames.add(input.name);
    for (const problem of inputProblems(input)) at(['inputs', index, problem.field], problem.detail, problem.target);
  });

  const mainSteps = file.steps;
  const rollbackSteps = file.rollback ?? [];
  const allSteps = new Set<string>();
  const phaseOf = new Map<string, Phase>();
  for (const [phase, steps] of [['steps', mainSteps], ['rollback', rollbackSteps]] as const) {
    steps.forEach((step, index) => {
      if (allSteps.has(step.id)) at([phase, index, 'id'], `duplicate step id ${JSON.stringify(step.id)}`);
      allSteps.add(step.id);
      if (!phaseOf.has(step.id)) phaseOf.set(step.id, phase);
    });
  }

  const earlier = new Map<string, { register: boolean }>();
  for (const [phase, steps] of [['steps', mainSteps], ['rollback', rollbackSteps]] as const) {
    steps.forEach((step, index) => {
      const context: ReferenceContext = { inputs: inputNames, earlierSteps: new Map(earlier), allSteps, currentStep: step.id, place: 'step' };
      for (const problem of stepProblems(step, context, registry, (target) => gotoProblem(target, phase, phaseOf))) {
        at([phase, index, ...problem.path], problem.detail, problem.target);
      }
      // Rollback steps may read every main step's result, and earlier rollback steps'.
      if (!earlier.has(step.id)) earlier.set(step.id, { register: step.register ?? false });
    });
  }

  const suggestContext: ReferenceContext = { inputs: inputNames, earlierSteps: new Map(), allSteps, place: 'suggest' };
  (file.suggest ?? []).forEach((rule, index) => {
    const given = (['alert', 'fingerprint', 'gate', 'resource'] as const).filter((key) => rule[key] !== undefined);
    if (given.length !== 1) {
      at(['suggest', index], given.length === 0 ? 'give one of alert, fingerprint, gate or resource' : `give only one of alert, fingerprint, gate or resource (got ${given.join(', ')})`);
    }
    const fingerprintProblem = rule.fingerprint !== undefined ? patternProblem(rule.fingerprint) : undefined;
    if (fingerprintProblem) at(['suggest', index, 'fingerprint'], fingerprintProblem);
    if (rule.state !== undefined && rule.resource === undefined) at(['suggest', index, 'state'], 'only a resource rule takes a state', 'key');
    const stateProblem = rule.state !== undefined ? patternProblem(rule.state) : undefined;
    if (stateProblem) at(['suggest', index, 'state'], stateProblem);
    for (const [name, template] of Object.entries(rule.bind ?? {})) {
      if (!inputNames.has(name)) at(['suggest', index, 'bind', name], `binds unknown input ${JSON.stringify(name)}`, 'key');
      const problem = validateTemplate(template, suggestContext);
      if (problem) at(['suggest', index, 'bind', name], problem);
    }
  });
  return problems;
}

function gotoProblem(target: string, phase: Phase, phaseOf: ReadonlyMap<string, Phase>): string | undefined {
  const targetPhase = phaseOf.get(target);
  if (targetPhase === undefined) return `goto unknown step ${JSON.stringify(target)}`;
  if (targetPhase !== phase) return phase === 'rollback' ? `a rollback step cannot go to main step ${JSON.stringify(target)}` : `a step cannot go to rollback step ${JSON.stringify(target)} (use onFailure: rollback)`;
  return undefined;
}

interface LocalProblem {
  path: PathSegment[];
  detail: string;
  target?: ConfigProblem['target'];
}

function inputProblems(input: InputFile): Array<{ field: string; detail: string; target?: ConfigProblem['target'] }> {
  const problems: Array<{ field: string; detail: string; target?: ConfigProblem['target'] }> = [];
  if (input.pattern !== undefined && input.type !== 'string') problems.push({ field: 'pattern', detail: 'only a string input takes a pattern', target: 'key' });
  const pattern = input.pattern !== undefined ? patternProblem(input.pattern) : undefined;
  if (pattern) problems.push({ field: 'pattern', detail: pattern });
  if (input.type === 'choice' && input.allowed === undefined) problems.push({ field: 'type', detail: 'a choice input needs allowed: [its values]' });
  if (input.type !== 'choice' && input.allowed !== undefined) problems.push({ field: 'allowed', detail: 'only a choice input takes allowed values', target: 'key' });
  if (input.default !== undefined && !pattern) {
    const parsed = parseInputValue(toPlaybookInput(input), String(input.default));
    if ('problem' in parsed) problems.push({ field: 'default', detail: parsed.problem });
  }
  return problems;
}

function stepProblems(step: StepFile, context: ReferenceContext, registry: ActionRegistry, gotoCheck: (target: string) => string | undefined): LocalProblem[] {
  const problems: LocalProblem[] = [];
  const parameters = step.with ?? {};
  const definition = registry.get(step.action);
  if (!definition) {
    problems.push({ path: ['action'], detail: `unknown action ${JSON.stringify(step.action)} (known: ${registry.names().join(', ') || 'none'})` });
  } else {
    const parsed = definition.params.safeParse(parameters, { error: issueMessage });
    if (!parsed.success) {
      // An unknown key first: `containr:` explains the missing `container` at the same place.
      const issues = [...parsed.error.issues].sort((left, right) => Number(right.code === 'unrecognized_keys') - Number(left.code === 'unrecognized_keys'));
      for (const issue of issues) {
        const problem = problemFromIssue(issue);
        // A field written as a template is typed once rendered; its template is checked below.
        if (problem.target === 'value' && isTemplate(valueAt(parameters, problem.path))) continue;
        problems.push({ path: ['with', ...problem.path], detail: problem.detail, target: problem.target });
      }
    }
  }
  for (const problem of templateProblems(parameters, context)) problems.push({ path: ['with', ...problem.path], detail: problem.detail });
  if (step.when !== undefined) {
    const problem = validateCondition(step.when, context);
    if (problem) problems.push({ path: ['when'], detail: problem });
  }
  for (const key of ['output', 'body'] as const) {
    const source = step.expect?.[key];
    const problem = source !== undefined ? patternProblem(source) : undefined;
    if (problem) problems.push({ path: ['expect', key], detail: problem });
  }
  if (step.timeout !== undefined && step.timeout <= 0) problems.push({ path: ['timeout'], detail: 'must be longer than 0' });
  if (step.onFailure?.kind === 'goto') {
    const problem = gotoCheck(step.onFailure.step);
    if (problem) problems.push({ path: ['onFailure'], detail: problem });
  }
  // A decision's branches jump to steps too.
  const options = step.action === 'decision' && Array.isArray(parameters['options']) ? (parameters['options'] as unknown[]) : [];
  options.forEach((option, index) => {
    const target = option !== null && typeof option === 'object' ? (option as Record<string, unknown>)['goto'] : undefined;
    const problem = typeof target === 'string' && !isTemplate(target) ? gotoCheck(target) : undefined;
    if (problem) problems.push({ path: ['with', 'options', index, 'goto'], detail: problem });
  });
  return problems;
}

function valueAt(value: unknown, path: readonly PathSegment[]): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[String(segment)];
  }
  return current;
}

function toPlaybookInput(input: InputFile): PlaybookInput {
  return {
    name: input.name,
    type: input.type,
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.default !== undefined ? { default: input.default } : {}),
    ...(input.pattern !== undefined ? { pattern: input.pattern } : {}),
    ...(input.allowed !== undefined ? { allowed: input.allowed } : {}),
    required: input.default === undefined,
  };
}

/** Whether a step changes something with its parameters as written (decides the default confirmation). */
function stepMutates(step: StepFile, registry: ActionRegistry): boolean {
  const definition = registry.get(step.action);
  if (!definition) return true;
  const parsed = definition.params.safeParse(step.with ?? {});
  try {
    return definition.mutates((parsed.success ? parsed.data : (step.with ?? {})) as Record<string, unknown>);
  } catch {
    // Parameters only known once rendered: ask, as for any mutating step.
    return true;
  }
}

function toPlaybookStep(step: StepFile, line: number, registry: ActionRegistry): PlaybookStep {
  return {
    id: step.id,
    title: step.title,
    action: step.action,
    with: step.with ?? {},
    confirm: step.confirm ?? (stepMutates(step, registry) ? 'yes-no' : 'none'),
    ...(step.timeout !== undefined ? { timeoutMs: step.timeout } : {}),
    retries: step.retries ?? 0,
    retryDelayMs: step.retryDelay ?? 0,
    ...(step.expect !== undefined ? { expect: step.expect } : {}),
    register: step.register ?? false,
    ...(step.when !== undefined ? { when: step.when } : {}),
    onFailure: step.onFailure ?? { kind: 'abort' },
    line,
  };
}

/** The Playbook of a checked file. `lineOf` gives the line a path starts on. */
export function toPlaybook(
  file: PlaybookFile,
  options: { file: string; sha256: string; registry: ActionRegistry; lineOf: (path: PathSegment[]) => number },
): Playbook {
  const suggest: SuggestRule[] = (file.suggest ?? []).map((rule) => ({
    ...(rule.alert !== undefined ? { alert: rule.alert } : {}),
    ...(rule.fingerprint !== undefined ? { fingerprint: rule.fingerprint } : {}),
    ...(rule.gate !== undefined ? { gate: rule.gate } : {}),
    ...(rule.resource !== undefined ? { resource: rule.resource } : {}),
    ...(rule.state !== undefined ? { state: rule.state } : {}),
    bind: rule.bind ?? {},
  }));
  return {
    id: file.id,
    title: file.title,
    description: file.description,
    ...(file.source !== undefined ? { source: file.source } : {}),
    tags: file.tags ?? [],
    suggest,
    inputs: (file.inputs ?? []).map(toPlaybookInput),
    steps: file.steps.map((step, index) => toPlaybookStep(step, options.lineOf(['steps', index]), options.registry)),
    rollback: (file.rollback ?? []).map((step, index) => toPlaybookStep(step, options.lineOf(['rollback', index]), options.registry)),
    file: options.file,
    sha256: options.sha256,
  };
}
