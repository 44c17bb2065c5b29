import { describe, expect, it } from 'vitest';
import { evaluateCondition, parseCondition, validateCondition } from '../../src/playbooks/condition';
import { stepScopeOf, type ReferenceContext, type TemplateScope } from '../../src/playbooks/template';

const scope: TemplateScope = {
  inputs: { force: true, quiet: false, mode: 'full', threshold: 80 },
  steps: {
    diag: stepScopeOf({ exitCode: 137, stdout: 'Killed: OOM killer', data: { oomKilled: true, memoryPercent: 91.5, state: 'exited' } }, { status: 'failed', register: true }),
    check: stepScopeOf({ httpStatus: 503 }, { status: 'failed', register: false }),
    pick: stepScopeOf({ choice: 'restart' }, { status: 'passed', register: false }),
  },
};

const evaluate = (text: string) => evaluateCondition(text, scope);

describe('evaluateCondition', () => {
  it.each([
    ['inputs.force', true],
    ['not inputs.force', false],
    ['inputs.quiet', false],
    ['not not inputs.quiet', false],
    ['steps.diag.exitCode != 0', true],
    ['steps.diag.exitCode == 137', true],
    ['steps.diag.exitCode == "137"', true],
    ['steps.check.status == "failed"', true],
    ["steps.check.status == 'passed'", false],
    ['steps.check.httpStatus >= 500', true],
    ['steps.check.httpStatus < 500', false],
    ['steps.pick.choice == "restart"', true],
    ['steps.pick.choice != "restart"', false],
    ['steps.diag.stdout =~ "(?i)oom"', true],
    ['steps.diag.stdout =~ "oom"', false],
    ['steps.diag.stdout !~ "segfault"', true],
    ['steps.diag.data.oomKilled', true],
    ['steps.diag.data.oomKilled == true', true],
    ['steps.diag.data.memoryPercent > inputs.threshold', true],
    ['steps.diag.data.state == "exited" and inputs.mode == "full"', true],
    ['inputs.quiet or steps.pick.choice == "restart"', true],
    ['inputs.quiet and steps.pick.choice == "restart" or inputs.force', true],
    ['inputs.quiet and (steps.pick.choice == "restart" or inputs.force)', false],
    ['not (inputs.quiet or inputs.force)', false],
    ['(inputs.force)', true],
    ['steps.diag.exitCode == -1', false],
    ['true', true],
    ['false or 0', false],
    ['"text"', true],
  ])('%s is %s', (text, expected) => {
    expect(evaluate(text)).toBe(expected);
  });

  it('treats a value that does not exist (a step that did not run) as false and equal to nothing', () => {
    expect(evaluate('steps.never.status == "passed"')).toBe(false);
    expect(evaluate('steps.never.exitCode != 0')).toBe(true);
    expect(evaluate('steps.never.exitCode > 0')).toBe(false);
    expect(evaluate('steps.never.stdout =~ "x"')).toBe(false);
    expect(evaluate('inputs.missing')).toBe(false);
  });

  it('evaluates a condition parsed once at load', () => {
    const parsed = parseCondition('steps.diag.exitCode != 0 and inputs.force');
    if (!('condition' in parsed)) throw new Error(parsed.problem);
    expect(parsed.condition.references.map((entry) => entry.source)).toEqual(['steps.diag.exitCode', 'inputs.force']);
    expect(evaluateCondition(parsed.condition, scope)).toBe(true);
    expect(evaluateCondition(parsed.condition, { ...scope, inputs: { force: false } })).toBe(false);
  });
});

describe('parseCondition', () => {
  it.each([
    ['', 'empty condition'],
    ['inputs.force and', 'expected a value at character 17'],
    ['steps.diag.exitCode != == 0', 'expected a value before "==" at character 24'],
    ['steps.diag.exitCode = 0', 'unexpected "=" at character 21'],
    ['(inputs.force', 'expected ")" at character 14'],
    ['inputs.force)', 'unexpected ")" at character 13'],
    ['steps.diag.stdout =~ "(oom"', 'invalid regular expression "(oom"'],
    ['steps.diag.stdout =~ steps.check.stdout', 'needs a "quoted" regular expression'],
    ['steps.diag.stdout == "unclosed', 'unclosed string at character 22'],
    ['inputs.force inputs.quiet', 'unexpected "inputs.quiet" at character 14'],
    ['inputs.force; rm -rf /', 'unexpected ";" at character 13'],
    ['$(id)', 'unexpected "$" at character 1'],
    ['secrets.token', 'unknown name "secrets"'],
    ['and inputs.force', 'expected a value before "and"'],
  ])('%s: %s', (text, problem) => {
    const parsed = parseCondition(text);
    expect('problem' in parsed ? parsed.problem : 'parsed').toContain(problem);
  });
});

describe('validateCondition', () => {
  const context: ReferenceContext = {
    inputs: new Set(['force']),
    earlierSteps: new Map([['diag', { register: false }]]),
    allSteps: new Set(['diag', 'now', 'later']),
    currentStep: 'now',
    place: 'step',
  };

  it('checks every reference against the playbook', () => {
    expect(validateCondition('steps.diag.exitCode != 0 and inputs.force', context)).toBeUndefined();
    expect(validateCondition('inputs.forse', context)).toBe('inputs.forse: unknown input "forse" (inputs: force)');
    expect(validateCondition('steps.later.status == "passed"', context)).toContain('step "later" comes later');
    expect(validateCondition('steps.diag.stdout =~ "oom"', context)).toContain('step "diag" does not keep its stdout');
    expect(validateCondition('steps.now.status == "failed"', context)).toContain('cannot use its own result');
  });
});
