// Playbook files as an author writes them: the malformed corpus gives one line each, naming
// file, line, column and field; the valid files load beside the broken ones.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isInvalidPlaybook, loadPlaybookCatalog, loadPlaybookFile, parsePlaybookText } from '../../src/playbooks/load-playbooks';
import type { Playbook } from '../../src/playbooks/playbook-types';
import { createTestActionRegistry } from '../support/playbook-registry';

const registry = createTestActionRegistry();
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/playbooks');
const MALFORMED = path.join(FIXTURES, 'malformed');
const VALID = path.join(FIXTURES, 'valid');
const CWD = path.resolve(import.meta.dirname, '../..');

/** file -> the exact `file:line:col: field:` prefix and a phrase of the detail. */
const MALFORMED_CASES: ReadonlyArray<[string, string, string]> = [
  ['bad-yaml.yaml', 'bad-yaml.yaml:6:1: ', 'invalid YAML: Missing closing "quote'],
  ['not-a-mapping.yaml', 'not-a-mapping.yaml:1:1: ', 'expected a mapping, got a list'],
  ['unknown-top-key.yaml', 'unknown-top-key.yaml:4:1: titel: ', 'unknown key (expected one of: id, title, description'],
  ['unknown-step-key.yaml', 'unknown-step-key.yaml:9:5: steps[0].timout: ', 'unknown key'],
  ['unknown-expect-key.yaml', 'unknown-expect-key.yaml:10:7: steps[0].expect.exit_code: ', 'unknown key (expected one of: exitCode, status, output, body)'],
  ['unknown-input-key.yaml', 'unknown-input-key.yaml:7:5: inputs[0].defualt: ', 'unknown key'],
  ['unknown-param.yaml', 'unknown-param.yaml:9:7: steps[0].with.containr: ', 'unknown key (expected one of: container, engine, timeout)'],
  ['wrong-type-retries.yaml', 'wrong-type-retries.yaml:9:14: steps[0].retries: ', 'expected a number, got "two"'],
  ['wrong-type-param.yaml', 'wrong-type-param.yaml:8:36: steps[0].with.port: ', 'expected a number, got "eighty"'],
  ['missing-steps.yaml', 'missing-steps.yaml:1:1: steps: ', 'required key is missing'],
  ['empty-steps.yaml', 'empty-steps.yaml:4:8: steps: ', 'must list at least 1 item'],
  ['bad-template.yaml', 'bad-template.yaml:11:24: steps[0].with.container: ', 'unclosed {{'],
  ['unknown-step-reference.yaml', 'unknown-step-reference.yaml:9:13: steps[0].with.text: ', 'unknown step "nope"'],
  ['unknown-input-reference.yaml', 'unknown-input-reference.yaml:12:31: steps[0].with.command[2]: ', 'unknown input "contaner" (inputs: container)'],
  ['later-step-reference.yaml', 'later-step-reference.yaml:8:19: steps[0].with.text: ', 'step "b" comes later'],
  ['unregistered-output.yaml', 'unregistered-output.yaml:12:19: steps[1].with.text: ', 'step "diag" does not keep its stdout (add register: true to it)'],
  ['unknown-action.yaml', 'unknown-action.yaml:7:13: steps[0].action: ', 'unknown action "container.restrat" (known: container.inspect, container.logs, container.restart'],
  ['bad-when.yaml', 'bad-when.yaml:13:11: steps[1].when: ', 'expected a value before "==" at character 24'],
  ['when-unknown-input.yaml', 'when-unknown-input.yaml:9:11: steps[0].when: ', 'unknown input "force"'],
  ['bad-duration.yaml', 'bad-duration.yaml:9:14: steps[0].timeout: ', 'invalid duration "30 seconds"'],
  ['duplicate-step-id.yaml', 'duplicate-step-id.yaml:9:9: steps[1].id: ', 'duplicate step id "a"'],
  ['goto-unknown.yaml', 'goto-unknown.yaml:9:16: steps[0].onFailure: ', 'goto unknown step "nowhere"'],
  ['rollback-goto-main.yaml', 'rollback-goto-main.yaml:14:16: rollback[0].onFailure: ', 'a rollback step cannot go to main step "a"'],
  ['bad-on-failure.yaml', 'bad-on-failure.yaml:9:16: steps[0].onFailure: ', 'expected abort, continue, rollback or goto:<step id>, got "retry"'],
  ['bad-id.yaml', 'bad-id.yaml:1:5: id: ', 'expected lower-case letters, digits and "-"'],
  ['choice-without-allowed.yaml', 'choice-without-allowed.yaml:6:11: inputs[0].type: ', 'a choice input needs allowed'],
  ['bad-regex.yaml', 'bad-regex.yaml:9:23: steps[0].expect.output: ', 'invalid regular expression "(load"'],
  ['bad-default.yaml', 'bad-default.yaml:7:14: inputs[0].default: ', 'expected a number, got "many"'],
  ['bad-confirm.yaml', 'bad-confirm.yaml:9:14: steps[0].confirm: ', 'expected "none" or "yes-no" or "type-target" or "second-operator", got "always"'],
  ['suggest-state-without-resource.yaml', 'suggest-state-without-resource.yaml:6:5: suggest[0].state: ', 'only a resource rule takes a state'],
  ['suggest-bind-unknown.yaml', 'suggest-bind-unknown.yaml:6:24: suggest[0].bind.container: ', 'a suggestion binds inputs from alert.*, error.*, gate.* or resource.* only'],
];

const fileNameOf = (name: string) => path.relative(CWD, path.join(MALFORMED, name));

describe('malformed playbooks', () => {
  it.each(MALFORMED_CASES)('%s gives one located line', async (name, prefix, detail) => {
    const result = await loadPlaybookFile(path.join(MALFORMED, name), registry, { cwd: CWD });
    expect(isInvalidPlaybook(result)).toBe(true);
    const error = (result as { error: string }).error;
    expect(error).not.toContain('\n');
    expect(error.startsWith(`${path.join(path.relative(CWD, MALFORMED), prefix)}`)).toBe(true);
    expect(error).toContain(detail);
  });

  it('covers every file of the corpus', async () => {
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(MALFORMED)).sort()).toEqual(MALFORMED_CASES.map(([name]) => name).sort());
  });

  it('lists a broken file with its id when the id could be read', async () => {
    const result = await loadPlaybookFile(path.join(MALFORMED, 'goto-unknown.yaml'), registry, { cwd: CWD });
    expect(result).toMatchObject({ id: 'goto-unknown', file: path.join(MALFORMED, 'goto-unknown.yaml') });
  });

  it('names a file outside the working directory by its absolute path', async () => {
    const result = await loadPlaybookFile(path.join(MALFORMED, 'bad-id.yaml'), registry, { cwd: '/' + 'nonexistent-cwd' });
    expect((result as { error: string }).error.startsWith(`${path.join(MALFORMED, 'bad-id.yaml')}:1:5: id: `)).toBe(true);
  });

  it('reports a file that cannot be read instead of throwing', async () => {
    const result = await loadPlaybookFile(path.join(MALFORMED, 'no-such-file.yaml'), registry, { cwd: CWD });
    expect((result as { error: string }).error).toBe(`${fileNameOf('no-such-file.yaml')}: playbook file not found`);
  });
});

describe('valid playbooks', () => {
  it('load beside the broken ones', async () => {
    const catalog = await loadPlaybookCatalog({ directories: [MALFORMED, VALID], registry, cwd: CWD });
    expect(catalog.playbooks.map((playbook) => playbook.id)).toEqual(['restart-container', 'shell-checks']);
    expect(catalog.invalid).toHaveLength(MALFORMED_CASES.length);
    expect(catalog.directories).toEqual([MALFORMED, VALID]);
  });

  it('become the model: durations in ms, defaults, confirmations from whether the action mutates', async () => {
    const playbook = (await loadPlaybookFile(path.join(VALID, 'restart-container.yaml'), registry)) as Playbook;
    expect(isInvalidPlaybook(playbook)).toBe(false);
    expect(playbook.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(playbook.source).toEqual({ runbook: '000 Operations Runbook', section: 'Appendix A: Command Reference' });
    expect(playbook.inputs.map((input) => [input.name, input.type, input.required])).toEqual([
      ['container', 'container', true],
      ['force', 'boolean', false],
      ['grace', 'duration', false],
    ]);
    expect(playbook.suggest).toEqual([
      { alert: 'restarting', bind: { container: '{{ alert.target }}' } },
      { fingerprint: '(?i)connection refused', bind: { container: '{{ error.container }}' } },
    ]);
    const [diag, restart, verify, report] = playbook.steps;
    expect(diag).toMatchObject({ id: 'diag', confirm: 'none', register: true, retries: 0, retryDelayMs: 0, onFailure: { kind: 'abort' }, line: 22 });
    expect(restart).toMatchObject({ confirm: 'yes-no', timeoutMs: 60_000, retries: 2, retryDelayMs: 5000, onFailure: { kind: 'rollback' } });
    expect(restart?.with).toEqual({ container: '{{ inputs.container }}', timeout: '{{ inputs.grace }}' });
    expect(verify).toMatchObject({ expect: { exitCode: [0] }, onFailure: { kind: 'goto', step: 'report' } });
    expect(report?.confirm).toBe('none');
    expect(playbook.rollback).toEqual([expect.objectContaining({ id: 'stop-it', confirm: 'type-target', line: 51 })]);
  });

  it('ask before a shell command unless it is marked read-only', async () => {
    const playbook = (await loadPlaybookFile(path.join(VALID, 'shell-checks.yml'), registry)) as Playbook;
    expect(playbook.steps.map((step) => [step.id, step.confirm])).toEqual([
      ['usage', 'none'],
      ['port-open', 'none'],
      ['pick', 'none'],
      ['prune', 'yes-no'],
    ]);
    expect(playbook.steps[0]?.expect).toEqual({ exitCode: [0], output: '(?i)var' });
    expect(playbook.steps[3]?.timeoutMs).toBe(500);
    expect(playbook.inputs[2]).toMatchObject({ name: 'port', type: 'number', default: 5432, required: false });
  });
});

/** One-off playbooks for the cases a fixture file would only repeat. */
function parse(stepsYaml: string, header = ''): ReturnType<typeof parsePlaybookText> {
  const text = `id: inline\ntitle: Inline\ndescription: a test playbook\n${header}steps:\n${stepsYaml}`;
  return parsePlaybookText(text, { fileName: 'inline.yaml', file: '/inline.yaml', sha256: '0', registry });
}

function errorOf(result: ReturnType<typeof parsePlaybookText>): string {
  if (!isInvalidPlaybook(result)) throw new Error('expected an invalid playbook');
  return result.error;
}

describe('step references and parameters', () => {
  it('lets a step read its own id nowhere', () => {
    expect(errorOf(parse('  - id: a\n    title: A\n    action: note\n    with: { text: "{{ steps.a.status }}" }\n'))).toBe(
      'inline.yaml:8:19: steps[0].with.text: {{ steps.a.status }}: step "a" cannot use its own result',
    );
  });

  it('checks a templated parameter after rendering, not at load, but still checks its template', () => {
    const ok = parse('  - id: a\n    title: A\n    action: tcp.check\n    with: { host: localhost, port: "{{ inputs.port }}" }\n', 'inputs:\n  - { name: port, type: number }\n');
    expect(isInvalidPlaybook(ok)).toBe(false);
    const bad = parse('  - id: a\n    title: A\n    action: tcp.check\n    with: { host: localhost, port: "{{ inputs.prot }}" }\n', 'inputs:\n  - { name: port, type: number }\n');
    expect(errorOf(bad)).toContain('steps[0].with.port: {{ inputs.prot }}: unknown input "prot"');
  });

  it('lets rollback steps read main steps, and refuses a decision branch to an unknown step', () => {
    const rollbackReads = parse('  - id: a\n    title: A\n    action: shell.run\n    with: { command: [x], readOnly: true }\n    register: true\nrollback:\n  - id: b\n    title: B\n    action: note\n    with: { text: "{{ steps.a.stdout }}" }\n');
    expect(isInvalidPlaybook(rollbackReads)).toBe(false);
    const branch = parse('  - id: a\n    title: A\n    action: decision\n    with:\n      question: Q\n      options: [{ id: x, label: X, goto: b }, { id: y, label: Y, goto: zzz }]\n  - id: b\n    title: B\n    action: note\n    with: { text: hi }\n');
    expect(errorOf(branch)).toMatch(/^inline\.yaml:10:72: steps\[0\]\.with\.options\[1\]\.goto: goto unknown step "zzz"$/);
  });

  it('accepts exit codes as a number or a list and durations as milliseconds', () => {
    const result = parse('  - id: a\n    title: A\n    action: shell.run\n    with: { command: [x] }\n    expect: { exitCode: [0, 1], status: 204 }\n    retryDelay: 1500\n    confirm: none\n') as Playbook;
    expect(result.steps[0]).toMatchObject({ expect: { exitCode: [0, 1], status: [204] }, retryDelayMs: 1500, confirm: 'none' });
    expect(errorOf(parse('  - id: a\n    title: A\n    action: note\n    with: { text: x }\n    expect: { exitCode: [ok] }\n'))).toContain('steps[0].expect.exitCode: expected a whole number or a list of them');
  });

  it('needs exactly one trigger per suggestion, and binds only declared inputs', () => {
    const header = 'inputs:\n  - { name: container, type: container }\nsuggest:\n  - { alert: cpu, gate: no-unhealthy }\n';
    expect(errorOf(parse('  - id: a\n    title: A\n    action: note\n    with: { text: x }\n', header))).toContain('suggest[0]: give only one of alert, fingerprint, gate or resource (got alert, gate)');
    const unknown = 'inputs:\n  - { name: container, type: container }\nsuggest:\n  - { alert: cpu, bind: { service: "{{ alert.target }}" } }\n';
    expect(errorOf(parse('  - id: a\n    title: A\n    action: note\n    with: { text: x }\n', unknown))).toContain('suggest[0].bind.service: binds unknown input "service"');
  });
});
