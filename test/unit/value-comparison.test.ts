import { describe, expect, it } from 'vitest';
import { compareValue, parseComparison } from '../../src/gates/value-comparison';

describe('value comparisons of gates', () => {
  it('reads the runbooks\' comparisons', () => {
    expect(parseComparison('.metrics.avg_query_time_ms < 1000')).toEqual({ source: '.metrics.avg_query_time_ms < 1000', path: ['metrics', 'avg_query_time_ms'], operator: '<', value: 1000 });
    expect(parseComparison('.sealed == false').value).toBe(false);
    expect(parseComparison('.items[0]["a b"] != "ok"').path).toEqual(['items', 0, 'a b']);
    expect(parseComparison('< 0.05', { pathAllowed: false }).path).toEqual([]);
  });

  it('says what is wrong with a bad comparison', () => {
    expect(() => parseComparison('sealed == false')).toThrow(/path starting with "."/);
    expect(() => parseComparison('.a < "x"')).toThrow(/compares numbers/);
    expect(() => parseComparison('.a == maybe')).toThrow(/quoted string/);
    expect(() => parseComparison('.a ~ 3')).toThrow(/operator/);
  });

  it('compares the value found at the path', () => {
    const report = { metrics: { avg_query_time_ms: 1200 }, sealed: false, count: '3' };
    expect(compareValue(report, parseComparison('.metrics.avg_query_time_ms < 1000'))).toEqual({ holds: false, actual: '1200', found: true });
    expect(compareValue(report, parseComparison('.sealed == false')).holds).toBe(true);
    expect(compareValue(report, parseComparison('.count >= 3')).holds).toBe(true);
    expect(compareValue(report, parseComparison('.missing.deep == 1'))).toEqual({ holds: false, actual: 'missing', found: false });
  });
});
