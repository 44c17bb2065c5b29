// Target locks and approvals within one process: the rules a second process relies on
// (test/integration/journal-locks.test.ts drives them across real processes).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { approve, OWN_STEP_REASON, pendingApprovals, requestApproval, waitForApproval, withdrawApproval } from '../../src/journal/approvals';
import { acquireTargetLock, readTargetLock, takeOverTargetLock, targetLockFile } from '../../src/journal/target-locks';
import { temporaryDirectory } from '../support/journal-fixtures';

const TARGET = 'local/container/shop/shop-api-1';
const host = os.hostname();
const alice = { operator: 'alice', runId: 'run-a', stepId: 'restart', pid: process.pid, host };
const bob = { operator: 'bob', runId: 'run-b', stepId: 'stop', pid: process.pid, host };

describe('target locks', () => {
  it('refuses a second run and names the holder; the first release frees it', () => {
    const directory = temporaryDirectory('locks');
    const first = acquireTargetLock(TARGET, alice, { directory });
    expect(first.acquired).toBe(true);
    const second = acquireTargetLock(TARGET, bob, { directory });
    expect(second).toEqual({ acquired: false, holder: { ...alice, since: expect.any(Number) } });
    if (first.acquired) first.release();
    expect(acquireTargetLock(TARGET, bob, { directory }).acquired).toBe(true);
  });

  it('keeps one file per target, named by the sha256 of its key, readable by other operators', () => {
    const directory = temporaryDirectory('locks');
    acquireTargetLock(TARGET, alice, { directory });
    const file = targetLockFile(TARGET, { directory });
    expect(path.basename(file)).toMatch(/^[0-9a-f]{64}\.lock$/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o644);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ ...alice, target: TARGET });
    expect(fs.readdirSync(path.dirname(file))).toEqual([path.basename(file)]);
    expect(acquireTargetLock('local/container/shop/shop-db-1', bob, { directory }).acquired).toBe(true);
  });

  it('is re-entrant for the same run and released when the last holder lets go', () => {
    const directory = temporaryDirectory('locks');
    const outer = acquireTargetLock(TARGET, alice, { directory });
    const inner = acquireTargetLock(TARGET, { ...alice, stepId: 'verify' }, { directory });
    expect([outer.acquired, inner.acquired]).toEqual([true, true]);
    if (inner.acquired) inner.release();
    expect(readTargetLock(TARGET, { directory })?.runId).toBe('run-a');
    if (outer.acquired) outer.release();
    expect(readTargetLock(TARGET, { directory })).toBeUndefined();
  });

  it('takes a lock whose process is dead on this host (stale)', () => {
    const directory = temporaryDirectory('locks');
    acquireTargetLock(TARGET, { ...alice, pid: 999_999_999 }, { directory });
    const taken = acquireTargetLock(TARGET, bob, { directory });
    expect(taken.acquired).toBe(true);
    expect(readTargetLock(TARGET, { directory })).toMatchObject({ runId: 'run-b', operator: 'bob' });
  });

  it('does not judge another host\'s process dead', () => {
    const directory = temporaryDirectory('locks');
    acquireTargetLock(TARGET, { ...alice, pid: 999_999_999, host: 'other-bastion' }, { directory });
    expect(acquireTargetLock(TARGET, bob, { directory })).toMatchObject({ acquired: false, holder: { host: 'other-bastion' } });
  });

  it('takeover replaces the holder, returns the previous one, and the previous release leaves it alone', () => {
    const directory = temporaryDirectory('locks');
    const first = acquireTargetLock(TARGET, alice, { directory });
    const takeover = takeOverTargetLock(TARGET, bob, { directory });
    expect(takeover.previous).toMatchObject({ operator: 'alice', runId: 'run-a', stepId: 'restart' });
    if (first.acquired) first.release();
    expect(readTargetLock(TARGET, { directory })).toMatchObject({ operator: 'bob', runId: 'run-b' });
    takeover.release();
    expect(readTargetLock(TARGET, { directory })).toBeUndefined();
  });
});

describe('approvals', () => {
  const request = { runId: 'run-a', stepId: 'stop', requestedBy: 'alice', question: 'Stop shop-db-1?', calls: ['POST /containers/shop-db-1/stop?t=10'] };

  it('refuses the requester, accepts another operator, and the wait resolves with the approver', async () => {
    const directory = temporaryDirectory('approvals');
    requestApproval(request, { directory });
    expect(pendingApprovals({ directory })).toEqual([{ ...request, requestedAt: expect.any(Number), host }]);
    const waiting = waitForApproval({ runId: 'run-a', stepId: 'stop', signal: new AbortController().signal, directory });
    expect(approve({ runId: 'run-a', approver: 'alice', directory })).toMatchObject({ accepted: false, reason: OWN_STEP_REASON });
    expect(approve({ runId: 'run-a', approver: 'bob', directory })).toMatchObject({ accepted: true, request: { stepId: 'stop', requestedBy: 'alice' } });
    await expect(waiting).resolves.toEqual({ approver: 'bob', at: expect.any(Number) });
    expect(pendingApprovals({ directory })).toEqual([]);
    expect(approve({ runId: 'run-a', approver: 'carol', directory })).toEqual({ accepted: false, reason: 'nothing in run run-a is waiting for approval' });
  });

  it('asks for --step when several steps of a run wait', () => {
    const directory = temporaryDirectory('approvals');
    requestApproval(request, { directory });
    requestApproval({ ...request, stepId: 'drain' }, { directory });
    expect(approve({ runId: 'run-a', approver: 'bob', directory }).reason).toMatch(/several steps of run run-a wait for approval \((stop, drain|drain, stop)\): name one with --step/);
    expect(approve({ runId: 'run-a', stepId: 'drain', approver: 'bob', directory }).accepted).toBe(true);
  });

  it('a new request of the step voids an earlier approval; withdrawal removes both files', () => {
    const directory = temporaryDirectory('approvals');
    requestApproval(request, { directory });
    approve({ runId: 'run-a', approver: 'bob', directory });
    requestApproval(request, { directory });
    expect(pendingApprovals({ directory })).toHaveLength(1);
    withdrawApproval('run-a', 'stop', { directory });
    expect(pendingApprovals({ directory })).toEqual([]);
    expect(fs.existsSync(path.join(directory, 'approvals', 'run-a'))).toBe(false);
  });

  it('ignores an approval file that names the requester (written around approve)', async () => {
    const directory = temporaryDirectory('approvals');
    requestApproval(request, { directory });
    const controller = new AbortController();
    const waiting = waitForApproval({ runId: 'run-a', stepId: 'stop', signal: controller.signal, directory });
    fs.writeFileSync(path.join(directory, 'approvals', 'run-a', 'stop.approved.json'), JSON.stringify({ approver: 'alice', at: 1, host, pid: 1 }));
    await new Promise((resolve) => setTimeout(resolve, 700));
    controller.abort(new Error('operator aborted'));
    await expect(waiting).rejects.toThrow('operator aborted');
  });

  it('rejects bad ids instead of writing outside the shared directory', () => {
    const directory = temporaryDirectory('approvals');
    expect(() => requestApproval({ ...request, runId: '../../etc' }, { directory })).toThrow(/invalid run id/);
    expect(() => requestApproval({ ...request, stepId: 'a/b' }, { directory })).toThrow(/invalid step id/);
  });
});
