import { describe, expect, it } from 'vitest';
import { suggestionsFor, type SuggestablePlaybook, type SuggestionSource } from '../../src/playbooks/suggestions';
import { fuzzyScore } from '../../src/store/selectors/fuzzy-match';
import { cycleChoice, matchingChoices } from '../../src/store/selectors/run-form';
import { outputWindow } from '../../views/playbooks/run-lines';

const VAULT = 'local/container/janusgraph-demo/janusgraph-demo-vault-1';
const restarting: SuggestionSource = { kind: 'alert', alert: { kind: 'restarting', target: VAULT, message: 'janusgraph-demo-vault-1 restarting (14 restarts)' } };
const refused: SuggestionSource = {
  kind: 'error',
  error: { fingerprint: 'ERROR Connection refused to <ip>', service: 'local/compose-service/shop/api', container: 'local/container/shop/shop-api-1' },
};

const CATALOG: SuggestablePlaybook[] = [
  { id: 'morning-check' },
  { id: 'restart-service', suggest: [{ alert: 'restarting', bind: { container: '{{ alert.target }}', why: 'alert: {{ alert.message }}' } }] },
  { id: 'service-down', suggest: [{ alert: 'unhealthy', bind: {} }, { alert: 'restarting', bind: { container: '{{ alert.target }}' } }] },
  { id: 'error-rate', suggest: [{ fingerprint: '(?i)connection REFUSED', bind: { service: '{{ error.service }}', container: '{{ error.container }}' } }] },
  { id: 'broken-pattern', suggest: [{ fingerprint: '([', bind: {} }] },
  { id: 'gate-fix', suggest: [{ gate: 'no-restarting', bind: { reason: '{{ gate.detail }}' } }] },
];

describe('suggestions', () => {
  it('matches alert rules in catalog order, each playbook once, and renders the bindings over alert.*', () => {
    const suggestions = suggestionsFor(CATALOG, [restarting]);
    expect(suggestions.map((suggestion) => suggestion.playbookId)).toEqual(['restart-service', 'service-down']);
    expect(suggestions[0]?.inputs).toEqual({ container: VAULT, why: 'alert: janusgraph-demo-vault-1 restarting (14 restarts)' });
    // service-down matched by its second rule, the first (unhealthy) did not apply.
    expect(suggestions[1]?.rule.alert).toBe('restarting');
  });

  it('matches fingerprint rules as author regexes ((?i) case-insensitive), an invalid one matching nothing', () => {
    const [suggestion, ...others] = suggestionsFor(CATALOG, [refused]);
    expect(others).toEqual([]);
    expect(suggestion?.playbookId).toBe('error-rate');
    expect(suggestion?.inputs).toEqual({ service: 'local/compose-service/shop/api', container: 'local/container/shop/shop-api-1' });
  });

  it('leaves out a binding whose field the source lacks, so the form asks for it', () => {
    const withoutContainer: SuggestionSource = { kind: 'error', error: { fingerprint: 'connection refused', service: 'local/compose-service/shop/api' } };
    expect(suggestionsFor(CATALOG, [withoutContainer])[0]?.inputs).toEqual({ service: 'local/compose-service/shop/api' });
  });

  it('orders by source first: the most severe alert of the row suggests first', () => {
    const unhealthy: SuggestionSource = { kind: 'alert', alert: { kind: 'unhealthy', target: VAULT, message: 'unhealthy' } };
    expect(suggestionsFor(CATALOG, [unhealthy, restarting]).map((suggestion) => suggestion.playbookId)).toEqual(['service-down', 'restart-service']);
    expect(suggestionsFor(CATALOG, [{ kind: 'gate', gate: { id: 'no-restarting', detail: 'vault restarting' } }])[0]?.inputs).toEqual({ reason: 'vault restarting' });
    expect(suggestionsFor(CATALOG, [])).toEqual([]);
  });

  it("puts a gate's own recovery playbook first, its rule's bindings under the gate's inputs, and falls back to the rules when the catalog lacks it", () => {
    const gate = { id: 'no-restarting', detail: 'vault restarting', workload: 'local/compose-service/janusgraph-demo/vault' };
    const ownRecovery: SuggestionSource = { kind: 'gate', gate, recovery: { playbook: 'restart-service', inputs: { container: VAULT } } };
    const suggestions = suggestionsFor(CATALOG, [ownRecovery]);
    expect(suggestions.map((suggestion) => suggestion.playbookId)).toEqual(['restart-service', 'gate-fix']);
    expect(suggestions[0]?.inputs).toEqual({ container: VAULT });
    expect(suggestions[0]?.rule.gate).toBe('no-restarting');
    // The recovery's own rule for the gate binds what the gate left out; the gate's inputs win.
    const withRule: SuggestablePlaybook[] = [{ id: 'gate-fix', suggest: [{ gate: 'no-restarting', bind: { reason: '{{ gate.detail }}', target: '{{ gate.workload }}' } }] }];
    const bound = suggestionsFor(withRule, [{ kind: 'gate', gate, recovery: { playbook: 'gate-fix', inputs: { reason: 'sealed' } } }]);
    expect(bound.map((suggestion) => suggestion.inputs)).toEqual([{ reason: 'sealed', target: 'local/compose-service/janusgraph-demo/vault' }]);
    const missing = suggestionsFor(CATALOG, [{ kind: 'gate', gate, recovery: { playbook: 'not-installed', inputs: {} } }]);
    expect(missing.map((suggestion) => suggestion.playbookId)).toEqual(['gate-fix']);
  });
});

describe('fuzzy match', () => {
  it('matches characters in order, preferring runs and word starts', () => {
    expect(fuzzyScore('dsk', 'disk-space')).toBeDefined();
    expect(fuzzyScore('ksd', 'disk-space')).toBeUndefined();
    expect(fuzzyScore('', 'anything')).toBe(0);
    expect(fuzzyScore('rest', 'restart-service') ?? 0).toBeGreaterThan(fuzzyScore('rest', 'morning-report-status') ?? 0);
  });
});

describe('form choices', () => {
  it('tab goes to the neighbour of a chosen value, or the first choice matching what is typed', () => {
    const choices = ['shop-api-1', 'shop-db-1', 'vault-1'];
    expect(matchingChoices(choices, 'vau')).toEqual(['vault-1']);
    expect(cycleChoice(choices, 'vau', 1)).toBe('vault-1');
    expect(cycleChoice(choices, 'vault-1', 1)).toBe('shop-api-1');
    expect(cycleChoice(choices, 'shop-api-1', -1)).toBe('vault-1');
    expect(cycleChoice([], 'x', 1)).toBeUndefined();
  });
});

describe('output window', () => {
  it('takes only the rows shown, from the tail or scrolled up, and counts what the store dropped', () => {
    const output = Array.from({ length: 2000 }, (_, index) => `line ${8001 + index}`);
    const tail = outputWindow({ output, outputLineCount: 10_000 }, 20, 0);
    expect(tail.lines).toHaveLength(20);
    expect(tail.lines.at(-1)).toBe('line 10000');
    expect(tail.firstLineNumber).toBe(9981);
    expect(tail.dropped).toBe(8000);
    const scrolled = outputWindow({ output, outputLineCount: 10_000 }, 20, 100);
    expect(scrolled.lines.at(-1)).toBe('line 9900');
    expect(scrolled.below).toBe(100);
    // Scrolling stops at the oldest kept line.
    expect(outputWindow({ output, outputLineCount: 10_000 }, 20, 1_000_000).lines[0]).toBe('line 8001');
  });
});
