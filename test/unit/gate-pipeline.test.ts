import { describe, expect, it } from 'vitest';
import type { GateResult, GateStatus } from '../../src/domain/types';
import { appendFlips, countFlips, flipsBetween } from '../../src/gates/gate-flips';
import { applyPipeline, failureCodeOf, firstFailure } from '../../src/gates/pipeline';

function gate(id: string, status: GateStatus, stage?: number, extra: Partial<GateResult> = {}): GateResult {
  return { id, title: `Gate ${id}`, status, detail: `${id} ${status}`, checkedAt: 1000, origin: 'configured', failureCode: `${id}_CODE`, ...(stage !== undefined ? { stage } : {}), ...extra };
}

const shown = (results: GateResult[]) => applyPipeline(results).gates.map((result) => `${result.id}:${result.status}`);

describe('pipeline order and blocking', () => {
  it('orders the gates by stage, whatever order they were written in, independent gates after', () => {
    expect(shown([gate('G5', 'pass', 5), gate('disk', 'pass'), gate('G0', 'pass', 0), gate('G2', 'pass', 2)])).toEqual(['G0:pass', 'G2:pass', 'G5:pass', 'disk:pass']);
  });

  it('blocks every later stage while a stage fails, naming the failing gate and its failure code', () => {
    const view = applyPipeline([gate('G0', 'pass', 0), gate('G2', 'fail', 2, { since: 500 }), gate('G3', 'pass', 3, { evidence: { statusCode: 200 } }), gate('G5', 'pending', 5)]);
    expect(view.gates.map((result) => [result.id, result.status, result.detail])).toEqual([
      ['G0', 'pass', 'G0 pass'],
      ['G2', 'fail', 'G2 fail'],
      ['G3', 'blocked', 'blocked: G2 Gate G2 failed (G2_CODE)'],
      ['G5', 'blocked', 'blocked: G2 Gate G2 failed (G2_CODE)'],
    ]);
    expect(view.gates[2]?.evidence).toBeUndefined();
    expect(view.gates[2]?.since).toBe(500);
    expect([...view.runnable].sort()).toEqual(['G0', 'G2']);
  });

  it('does not block the failing stage itself: its other gates are shown as checked', () => {
    expect(shown([gate('G5a', 'fail', 5), gate('G5b', 'pass', 5), gate('G6', 'pass', 6)])).toEqual(['G5a:fail', 'G5b:pass', 'G6:blocked']);
  });

  it('unblocks the later stages once the failing gate passes', () => {
    const failing = applyPipeline([gate('G2', 'fail', 2), gate('G3', 'pass', 3)]);
    expect(failing.runnable.has('G3')).toBe(false);
    const passing = applyPipeline([gate('G2', 'pass', 2), gate('G3', 'pass', 3)]);
    expect(passing.gates.map((result) => result.status)).toEqual(['pass', 'pass']);
    expect(passing.runnable.has('G3')).toBe(true);
  });

  it('treats a gate that could not be checked as failed, and a warning as passed', () => {
    expect(applyPipeline([gate('G5', 'unknown', 5), gate('G6', 'pass', 6)]).gates[1]?.detail).toBe('blocked: G5 Gate G5 could not be checked (G5_CODE)');
    expect(shown([gate('G5', 'warn', 5), gate('G6', 'pass', 6)])).toEqual(['G5:warn', 'G6:pass']);
  });

  it('names the first failing stage when several fail', () => {
    expect(applyPipeline([gate('G2', 'fail', 2), gate('G5', 'fail', 5), gate('G7', 'pass', 7)]).gates.map((result) => result.detail)).toEqual([
      'G2 fail',
      'blocked: G2 Gate G2 failed (G2_CODE)',
      'blocked: G2 Gate G2 failed (G2_CODE)',
    ]);
  });

  it('shows a later stage pending, not blocked, while an earlier stage has not been checked, and does not run it yet', () => {
    const view = applyPipeline([gate('G0', 'pending', 0), gate('G2', 'pending', 2)]);
    expect(view.gates.map((result) => result.status)).toEqual(['pending', 'pending']);
    expect([...view.runnable]).toEqual(['G0']);
  });

  it('never blocks gates without a stage, and they never block the pipeline', () => {
    const view = applyPipeline([gate('backup', 'fail'), gate('G0', 'fail', 0), gate('cert', 'pass'), gate('G1', 'pass', 1)]);
    expect(view.gates.map((result) => `${result.id}:${result.status}`)).toEqual(['G0:fail', 'G1:blocked', 'backup:fail', 'cert:pass']);
    expect(view.runnable.has('backup')).toBe(true);
    expect(view.runnable.has('cert')).toBe(true);
    expect(shown([gate('backup', 'fail'), gate('G0', 'pass', 0), gate('G1', 'pass', 1)])).toEqual(['G0:pass', 'G1:pass', 'backup:fail']);
  });
});

describe('firstFailure', () => {
  it('names the first failure in pipeline order, by its failure code', () => {
    const { gates } = applyPipeline([gate('backup', 'fail', undefined, { failureCode: undefined }), gate('G6', 'fail', 6), gate('G5', 'fail', 5), gate('G0', 'pass', 0)]);
    const first = firstFailure(gates);
    expect(first?.id).toBe('G5');
    expect(failureCodeOf(first as GateResult)).toBe('G5_CODE');
    expect(failureCodeOf(gate('backup', 'fail', undefined, { failureCode: undefined }))).toBe('backup');
  });

  it('is undefined when every gate passes or warns', () => {
    expect(firstFailure([gate('G0', 'pass', 0), gate('cert', 'warn')])).toBeUndefined();
  });
});

describe('flips and flapping', () => {
  it('records each status change of the shown gates, blocked ones included, and counts a flapping gate', () => {
    const results = (g2: GateStatus, at: number) => applyPipeline([gate('G2', g2, 2, { checkedAt: at, since: at }), gate('G3', 'pass', 3, { checkedAt: 10 })]).gates;
    let flips = flipsBetween([], results('pass', 10), 10);
    expect(flips).toEqual([]);
    const steps: Array<[GateStatus, number]> = [['pass', 10], ['fail', 20], ['pass', 30], ['pass', 40], ['fail', 50]];
    let previous = results('pass', 10);
    for (const [status, at] of steps.slice(1)) {
      const next = results(status, at);
      flips = appendFlips(flips, flipsBetween(previous, next, at));
      previous = next;
    }
    expect(flips.filter((flip) => flip.gateId === 'G2').map((flip) => `${flip.from}>${flip.to}@${flip.at}`)).toEqual(['pass>fail@20', 'fail>pass@30', 'pass>fail@50']);
    expect(flips.filter((flip) => flip.gateId === 'G3').map((flip) => `${flip.from}>${flip.to}`)).toEqual(['pass>blocked', 'blocked>pass', 'pass>blocked']);
    expect(countFlips(flips, 'G2')).toBe(3);
    expect(countFlips(flips, 'G2', 25)).toBe(2);
  });

  it('keeps the flips bounded per gate and in all, dropping the oldest', () => {
    const flip = (gateId: string, at: number) => ({ gateId, at, from: 'pass' as const, to: 'fail' as const, detail: '' });
    const many = Array.from({ length: 8 }, (_, index) => flip('a', index));
    const kept = appendFlips([flip('b', -1)], many, { perGate: 5, total: 100 });
    expect(kept.map((item) => `${item.gateId}${item.at}`)).toEqual(['b-1', 'a3', 'a4', 'a5', 'a6', 'a7']);
    expect(appendFlips(kept, [flip('c', 9)], { perGate: 5, total: 4 }).map((item) => `${item.gateId}${item.at}`)).toEqual(['a5', 'a6', 'a7', 'c9']);
  });
});
