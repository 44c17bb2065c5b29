// Journals written through the real writer for tests: a restart run as a runner would journal it.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { JournalWriter, OperatorIdentity } from '../../src/journal/journal-types';
import { createJournal } from '../../src/journal/journal-writer';

export function temporaryDirectory(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `opsdeck-${prefix}-`));
}

export const ALICE: OperatorIdentity = { operator: 'alice', host: os.hostname(), pid: 999_999_999, sshConnection: '10.0.0.5 52344 10.0.0.1 22' };

/** run-start of the restart-service playbook on shop-api-1. */
export function startRestartRun(directory: string, runId: string, identity: OperatorIdentity = ALICE): JournalWriter {
  const writer = createJournal({ directory, runId });
  writer.append({
    type: 'run-start',
    runId,
    playbook: { id: 'restart-service', title: 'Restart a service gracefully', file: 'playbooks/restart-service.yaml', sha256: 'ab'.repeat(32) },
    inputs: { service: 'shop-api', timeoutSeconds: 10 },
    dryRun: false,
    readOnly: false,
    ...identity,
  });
  return writer;
}

/** The restart step up to its call: intent and the typed confirmation. */
export function journalRestartIntent(writer: JournalWriter): void {
  writer.append({ type: 'confirmation', stepId: 'restart', mode: 'type-target', operator: 'alice', answer: 'shop-api-1', accepted: true });
  writer.append({
    type: 'step-intent',
    stepId: 'restart',
    attempt: 1,
    phase: 'main',
    action: 'container.restart',
    params: { container: 'shop-api-1', timeoutSeconds: 10 },
    mutates: true,
    calls: [{ type: 'http', method: 'POST', path: '/containers/shop-api-1/restart?t=10' }],
    dryRun: false,
  });
}

/** A whole passed run: diagnose (logs with output), restart (confirmed), run-end. */
export function writePassedRun(directory: string, runId: string): string {
  const writer = startRestartRun(directory, runId);
  writer.append({ type: 'step-intent', stepId: 'diagnose', attempt: 1, phase: 'main', action: 'container.logs', params: { container: 'shop-api-1', tail: 20 }, mutates: false, calls: [{ type: 'http', method: 'GET', path: '/containers/shop-api-1/logs?tail=20' }], dryRun: false });
  writer.append({ type: 'step-output', stepId: 'diagnose', attempt: 1, stream: 'stdout', text: 'GET /health 500\nconnecting to db with password=hunter2\nconnection refused' });
  writer.append({ type: 'step-result', stepId: 'diagnose', attempt: 1, phase: 'main', verdict: 'passed', exitCode: 0, durationMs: 120 });
  journalRestartIntent(writer);
  writer.append({ type: 'step-result', stepId: 'restart', attempt: 1, phase: 'main', verdict: 'passed', durationMs: 1234 });
  writer.append({ type: 'run-end', verdict: 'passed', durationMs: 5000 });
  writer.close();
  return writer.path;
}
