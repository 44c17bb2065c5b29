// Second-operator approval: a step with `confirm: second-operator` waits until a different
// operator approves it, from their own cockpit or `opsdeck approve <run-id>`. The request and
// the approval are files in <shared>/approvals/<runId>/: `<stepId>.request.json` written by
// the requester's runner, `<stepId>.approved.json` by the approver's process.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertFileComponent, readSharedJson, removeIfPresent, writeSharedFile } from './shared-files';
import { ensureSharedDirectory, sharedDirectory } from './state-directory';

export interface ApprovalRequest {
  runId: string;
  stepId: string;
  requestedBy: string;
  question: string;
  calls: string[];
  requestedAt: number;
  host: string;
}

export interface ApprovalRecord {
  approver: string;
  at: number;
  host: string;
  pid: number;
}

export interface ApprovalOptions {
  /** The shared directory (default sharedDirectory()). */
  directory?: string;
}

/** The poll that backs fs.watch up (watching can fail or miss events on some filesystems). */
const POLL_INTERVAL_MS = 500;

export const OWN_STEP_REASON = 'the same operator cannot approve their own step';

function approvalsRoot(options: ApprovalOptions): string {
  return path.join(options.directory ?? sharedDirectory(), 'approvals');
}

function runDirectory(runId: string, options: ApprovalOptions): string {
  assertFileComponent('run id', runId);
  return path.join(approvalsRoot(options), runId);
}

function requestFile(runId: string, stepId: string, options: ApprovalOptions): string {
  assertFileComponent('step id', stepId);
  return path.join(runDirectory(runId, options), `${stepId}.request.json`);
}

function approvedFile(runId: string, stepId: string, options: ApprovalOptions): string {
  assertFileComponent('step id', stepId);
  return path.join(runDirectory(runId, options), `${stepId}.approved.json`);
}

/** Asks for a second operator: any earlier approval of this step (an earlier attempt) no longer counts. */
export function requestApproval(request: Omit<ApprovalRequest, 'requestedAt' | 'host'>, options: ApprovalOptions = {}): void {
  const directory = runDirectory(request.runId, options);
  ensureSharedDirectory(approvalsRoot(options));
  ensureSharedDirectory(directory);
  removeIfPresent(approvedFile(request.runId, request.stepId, options));
  const full: ApprovalRequest = { ...request, calls: [...request.calls], requestedAt: Date.now(), host: os.hostname() };
  writeSharedFile(requestFile(request.runId, request.stepId, options), JSON.stringify(full), { exclusive: false });
}

/** Requests nobody has approved yet, oldest first. */
export function pendingApprovals(options: ApprovalOptions = {}): ApprovalRequest[] {
  const root = approvalsRoot(options);
  const pending: ApprovalRequest[] = [];
  for (const runId of listDirectory(root)) {
    for (const name of listDirectory(path.join(root, runId))) {
      if (!name.endsWith('.request.json')) continue;
      const stepId = name.slice(0, -'.request.json'.length);
      if (fs.existsSync(path.join(root, runId, `${stepId}.approved.json`))) continue;
      const request = readSharedJson<ApprovalRequest>(path.join(root, runId, name));
      if (request && request !== 'unreadable' && request.runId === runId && request.stepId === stepId) pending.push(request);
    }
  }
  return pending.sort((left, right) => left.requestedAt - right.requestedAt);
}

/**
 * Approves the run's waiting step as `approver`. Refused when nothing of the run waits, when
 * several steps wait and none is named, and when the approver is the operator who asked.
 */
export function approve(options: { runId: string; stepId?: string; approver: string; directory?: string }): { accepted: boolean; reason?: string; request?: ApprovalRequest } {
  const waiting = pendingApprovals(options).filter((request) => request.runId === options.runId && (options.stepId === undefined || request.stepId === options.stepId));
  if (waiting.length === 0) {
    return { accepted: false, reason: `nothing in run ${options.runId}${options.stepId === undefined ? '' : ` at step ${options.stepId}`} is waiting for approval` };
  }
  if (waiting.length > 1) {
    return { accepted: false, reason: `several steps of run ${options.runId} wait for approval (${waiting.map((request) => request.stepId).join(', ')}): name one with --step` };
  }
  const request = waiting[0]!;
  if (options.approver === request.requestedBy) return { accepted: false, reason: OWN_STEP_REASON, request };
  const record: ApprovalRecord = { approver: options.approver, at: Date.now(), host: os.hostname(), pid: process.pid };
  if (!writeSharedFile(approvedFile(request.runId, request.stepId, options), JSON.stringify(record), { exclusive: true })) {
    const existing = readSharedJson<ApprovalRecord>(approvedFile(request.runId, request.stepId, options));
    return { accepted: false, reason: `already approved${existing && existing !== 'unreadable' ? ` by ${existing.approver}` : ''}`, request };
  }
  return { accepted: true, request };
}

/**
 * Resolves when a different operator has approved the step (fs.watch on the run's directory,
 * with a 500 ms poll behind it); rejects when `signal` aborts. An approval file naming the
 * requester (written by hand, past `approve`) does not count.
 */
export function waitForApproval(options: { runId: string; stepId: string; signal: AbortSignal; directory?: string }): Promise<{ approver: string; at: number }> {
  const directory = runDirectory(options.runId, options);
  const file = approvedFile(options.runId, options.stepId, options);
  const requester = readSharedJson<ApprovalRequest>(requestFile(options.runId, options.stepId, options));
  return new Promise((resolve, reject) => {
    let watcher: fs.FSWatcher | undefined;
    let timer: NodeJS.Timeout | undefined;
    const finish = (): void => {
      watcher?.close();
      if (timer) clearInterval(timer);
      options.signal.removeEventListener('abort', onAbort);
    };
    const onAbort = (): void => {
      finish();
      reject(options.signal.reason ?? new Error('aborted'));
    };
    const check = (): void => {
      const approval = readSharedJson<ApprovalRecord>(file);
      if (!approval || approval === 'unreadable' || typeof approval.approver !== 'string') return;
      if (requester && requester !== 'unreadable' && approval.approver === requester.requestedBy) return;
      finish();
      resolve({ approver: approval.approver, at: approval.at });
    };
    if (options.signal.aborted) return onAbort();
    options.signal.addEventListener('abort', onAbort);
    ensureSharedDirectory(approvalsRoot(options));
    ensureSharedDirectory(directory);
    try {
      watcher = fs.watch(directory, () => check());
      watcher.on('error', () => watcher?.close());
    } catch {
      // No inotify (limits, some network filesystems): the poll alone.
    }
    timer = setInterval(check, POLL_INTERVAL_MS);
    check();
  });
}

/** Removes the step's request and approval (approved and done, or the run moved on). */
export function withdrawApproval(runId: string, stepId: string, options: ApprovalOptions = {}): void {
  removeIfPresent(requestFile(runId, stepId, options));
  removeIfPresent(approvedFile(runId, stepId, options));
  try {
    fs.rmdirSync(runDirectory(runId, options));
  } catch {
    // Other steps of the run still wait, or the directory is already gone.
  }
}

function listDirectory(directory: string): string[] {
  try {
    return fs.readdirSync(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw error;
  }
}
