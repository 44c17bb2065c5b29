import { describe, expect, it } from 'vitest';
import {
  TemplateError,
  parseTemplate,
  renderTemplate,
  renderValue,
  stepScopeOf,
  validateTemplate,
  type ReferenceContext,
  type TemplateScope,
} from '../../src/playbooks/template';

const context: ReferenceContext = {
  inputs: new Set(['container', 'port', 'force']),
  earlierSteps: new Map([
    ['diag', { register: true }],
    ['quiet', { register: false }],
  ]),
  allSteps: new Set(['diag', 'quiet', 'current', 'later']),
  currentStep: 'current',
  place: 'step',
};

const scope: TemplateScope = {
  inputs: { container: 'shop-api-1', port: 8080, force: false },
  steps: {
    diag: stepScopeOf(
      { exitCode: 0, stdout: 'state running', data: { state: 'running', restartCount: 3, ports: [80, 443] } },
      { status: 'passed', durationMs: 12, register: true },
    ),
    quiet: stepScopeOf({ exitCode: 1, stdout: 'secret' }, { status: 'failed', register: false }),
  },
  run: { id: 'r-1', timestamp: '20261201T113000Z', directory: '/tmp/runs/r-1' },
};

describe('validateTemplate', () => {
  it.each([
    ['{{ inputs.container }}', undefined],
    ['logs of {{inputs.container}} on port {{ inputs.port }}', undefined],
    ['{{ steps.diag.data.state }} after {{ steps.diag.durationMs }} ms', undefined],
    ['{{ steps.quiet.exitCode }} {{ steps.quiet.status }}', undefined],
    ['{{ run.directory }}/evidence-{{ run.timestamp }}', undefined],
    ['{"a":{"b":1}}', undefined],
    ['{{ inputs.containr }}', 'unknown input "containr" (inputs: container, port, force)'],
    ['{{ steps.nope.status }}', 'unknown step "nope"'],
    ['{{ steps.later.status }}', 'step "later" comes later'],
    ['{{ steps.current.status }}', 'step "current" cannot use its own result'],
    ['{{ steps.quiet.stdout }}', 'step "quiet" does not keep its stdout (add register: true to it)'],
    ['{{ steps.diag.exitcode }}', 'unknown step field "exitcode"'],
    ['{{ steps.diag.stdout.first }}', 'only data takes a path'],
    ['{{ run.operator }}', 'expected run.id, run.timestamp, run.directory'],
    ['{{ alert.target }}', "alert.target is only known in a suggestion's bind"],
    ['{{ secrets.token }}', 'unknown name "secrets"'],
    ['{{ inputs.container', 'unclosed {{ at character 1'],
    ['a {{ }} b', 'empty {{ }} at character 3'],
    ['{{ inputs.container; rm -rf / }}', 'is not a reference'],
    ['{{ $(id) }}', 'is not a reference'],
  ])('%s', (text, problem) => {
    const found = validateTemplate(text, context);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });

  it('in a suggestion binds only from alerts, errors and gates', () => {
    const suggest: ReferenceContext = { ...context, place: 'suggest', currentStep: undefined };
    expect(validateTemplate('{{ alert.target }}', suggest)).toBeUndefined();
    expect(validateTemplate('{{ error.service }} {{ gate.id }}', suggest)).toBeUndefined();
    expect(validateTemplate('{{ inputs.container }}', suggest)).toContain('a suggestion binds inputs from alert.*, error.*, gate.* or resource.* only');
    expect(validateTemplate('{{ alert.severity }}', suggest)).toContain('expected alert.target, alert.kind, alert.message');
  });
});

describe('renderTemplate', () => {
  it('fills placeholders with the values as text', () => {
    expect(renderTemplate('restart {{ inputs.container }} on {{ inputs.port }} (force {{ inputs.force }})', scope)).toBe('restart shop-api-1 on 8080 (force false)');
    expect(renderTemplate('{{ steps.diag.data.state }}/{{ steps.diag.data.ports }}/{{ steps.diag.data.ports.1 }}', scope)).toBe('running/[80,443]/443');
    expect(renderTemplate('{{ run.directory }}/{{ run.id }}', scope)).toBe('/tmp/runs/r-1/r-1');
    expect(renderTemplate('no placeholder', scope)).toBe('no placeholder');
  });

  it('keeps output only for steps that register it', () => {
    expect(renderTemplate('{{ steps.diag.stdout }}', scope)).toBe('state running');
    expect(renderTemplate('{{ steps.diag.output }}', scope)).toBe('state running');
    expect(() => renderTemplate('{{ steps.quiet.stdout }}', scope)).toThrow(TemplateError);
    expect(renderTemplate('{{ steps.quiet.exitCode }}', scope)).toBe('1');
  });

  it('refuses a value that does not exist rather than rendering nothing', () => {
    expect(() => renderTemplate('{{ steps.skipped.status }}', scope)).toThrow('{{ steps.skipped.status }}: step "skipped" has no result (it did not run)');
    expect(() => renderTemplate('{{ steps.diag.data.missing }}', scope)).toThrow('{{ steps.diag.data.missing }} has no value');
    expect(() => renderTemplate('{{ inputs.container', scope)).toThrow('unclosed {{');
  });

  it('renders an injection attempt as the same inert text', () => {
    const hostile: TemplateScope = { inputs: { container: 'api; rm -rf / $(id) `id` {{ inputs.container }}' } };
    expect(renderTemplate('{{ inputs.container }}', hostile)).toBe('api; rm -rf / $(id) `id` {{ inputs.container }}');
  });
});

describe('renderValue', () => {
  it('keeps the type of a value that is exactly one placeholder', () => {
    expect(renderValue('{{ inputs.port }}', scope)).toBe(8080);
    expect(renderValue('{{ inputs.force }}', scope)).toBe(false);
    expect(renderValue('{{ steps.diag.data.ports }}', scope)).toEqual([80, 443]);
    expect(renderValue(' {{ inputs.port }}', scope)).toBe(' 8080');
    expect(renderValue('{{ inputs.port }}{{ inputs.port }}', scope)).toBe('80808080');
  });

  it('fills one argv element per placeholder, never splitting a value', () => {
    const hostile: TemplateScope = { inputs: { container: 'api; rm -rf /', path: '../../etc/passwd' } };
    const argv = renderValue(['docker', 'logs', '{{ inputs.container }}', '--path={{ inputs.path }}'], hostile);
    expect(argv).toEqual(['docker', 'logs', 'api; rm -rf /', '--path=../../etc/passwd']);
  });

  it('walks mappings and leaves values without templates alone', () => {
    expect(renderValue({ container: '{{ inputs.container }}', require: { running: true, health: 'healthy' }, tail: 50 }, scope)).toEqual({
      container: 'shop-api-1',
      require: { running: true, health: 'healthy' },
      tail: 50,
    });
  });

  it('parses placeholders with their sources', () => {
    expect(parseTemplate('a {{ inputs.x }} b')).toEqual({ parts: [{ text: 'a ' }, { reference: { kind: 'input', name: 'x' }, source: 'inputs.x' }, { text: ' b' }] });
  });
});
