// The Podman procedures of runbook 001 from the shipped library, run through the bundled CLI
// against the private podman service: connection check (G2), reset of a project's stuck
// containers (G3) and the Vault seal status through exec. Docker side: playbook-library.test.ts.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { podman } from '../../lab/podman-engine.mjs';
import {
  podmanState,
  removeLibraryPodman,
  startLibraryPodman,
  STUCK_CONTAINER,
  STUCK_PROJECT,
  VAULT_CONTAINER,
  VAULT_PROJECT,
} from '../support/library-stack';
import { checklistOf, describeRun, playbookRunner, runVerdict, stepOutput, stepsStarted, stepVerdicts, tickAll } from '../support/playbook-runs';
import { waitFor } from '../support/wait-for';

const podmanHost = inject('podmanHost');
const podmanDir = inject('podmanDir');
const ENGINE = 'pods';

let scratch: string;
let runner: ReturnType<typeof playbookRunner>;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'opsdeck-library-podman-'));
  await startLibraryPodman(podmanDir);
  runner = playbookRunner(scratch, ['--engine', `${ENGINE}=podman:${podmanHost}`]);
  await waitFor('the stuck container unhealthy', async () => (await podmanState(podmanDir, STUCK_CONTAINER)).Health?.Status === 'unhealthy', { timeoutMs: 30_000 });
});

afterAll(async () => {
  await removeLibraryPodman(podmanDir);
  await rm(scratch, { recursive: true, force: true });
});

describe('runbook 001 Podman procedures', () => {
  it('podman-connection-check lists the project through the engine', async () => {
    const run = await runner.run('podman-connection-check', { engine: ENGINE, project: VAULT_PROJECT });
    expect(run.code, describeRun(run)).toBe(0);
    expect(runVerdict(run)).toBe('passed');
    expect(stepVerdicts(run)).toMatchObject({ answers: 'passed', connected: 'passed', fix: 'skipped' });
    expect(stepOutput(run, 'answers')).toContain(VAULT_CONTAINER);
  });

  it('podman-connection-check walks through fixing the machine when the engine does not answer', async () => {
    const run = await runner.run('podman-connection-check', { engine: 'gone', project: VAULT_PROJECT }, {
      engines: ['--engine', `gone=podman:unix://${path.join(scratch, 'no-such-podman.sock')}`],
    });
    expect(stepVerdicts(run).answers, describeRun(run)).toBe('failed');
    expect(stepsStarted(run)).toContain('fix');
    expect(stepsStarted(run)).not.toContain('connected');
    expect(run.code).not.toBe(0);
  });

  it('vault-seal-status reads "sealed": false through exec', async () => {
    const run = await runner.run('vault-seal-status', { container: VAULT_CONTAINER });
    expect(run.code, describeRun(run)).toBe(0);
    expect(stepOutput(run, 'seal')).toMatch(/"sealed": false/);
    expect(stepVerdicts(run)).toMatchObject({ running: 'passed', seal: 'passed', unsealed: 'passed', unseal: 'skipped' });
  });

  it('vault-seal-status sends the operator to the unseal steps when Vault is sealed', async () => {
    await podman(podmanDir, ['exec', VAULT_CONTAINER, 'touch', '/vault/sealed']);
    try {
      const run = await runner.run('vault-seal-status', { container: VAULT_CONTAINER });
      expect(stepOutput(run, 'seal')).toMatch(/"sealed": true/);
      expect(stepVerdicts(run).seal, describeRun(run)).toBe('failed');
      expect(stepsStarted(run)).toContain('unseal');
      expect(stepsStarted(run)).not.toContain('unsealed');
      expect(run.code).not.toBe(0);
    } finally {
      await podman(podmanDir, ['exec', VAULT_CONTAINER, 'rm', '-f', '/vault/sealed']);
    }
  });

  it('vault-seal-status on a terminal: the operator unseals during the checklist and the second check passes', async () => {
    await podman(podmanDir, ['exec', VAULT_CONTAINER, 'touch', '/vault/sealed']);
    const items = tickAll(await checklistOf('vault-seal-status', 'unseal'));
    // The operator runs the unseal between ticking the first item and the second.
    const unseal = async (): Promise<void> => {
      await podman(podmanDir, ['exec', VAULT_CONTAINER, 'rm', '-f', '/vault/sealed']);
    };
    const answers = items.map((answer, index) => (index === 1 ? { ...answer, before: unseal } : answer));
    const run = await runner.runOnTerminal('vault-seal-status', { container: VAULT_CONTAINER }, answers);
    expect(run.code, describeRun(run)).toBe(0);
    expect(stepVerdicts(run)).toMatchObject({ seal: 'failed', unseal: 'passed', 'seal-again': 'passed' });
    expect(stepOutput(run, 'seal-again')).toMatch(/"sealed": false/);
    expect(runVerdict(run)).toBe('passed');
  });

  it('podman-reset-stuck-containers kills the container that ignores SIGTERM, starts it and verifies the project healthy', async () => {
    const before = await podmanState(podmanDir, STUCK_CONTAINER);
    expect(before.Health?.Status).toBe('unhealthy');
    const run = await runner.run('podman-reset-stuck-containers', { engine: ENGINE, project: STUCK_PROJECT, service: `${STUCK_PROJECT}/app`, grace: '2s' });
    expect(run.code, describeRun(run)).toBe(0);
    // The listing is diagnosis: whether it already shows the health depends on how soon the engine reported it.
    expect(['passed', 'failed']).toContain(stepVerdicts(run).list);
    expect(stepVerdicts(run)).toMatchObject({ stop: 'passed', start: 'passed', verify: 'passed' });
    expect(stepOutput(run, 'list')).toContain(STUCK_CONTAINER);
    // It ignores SIGTERM: the stop waited out the grace period and killed it.
    const stop = run.records.find((record) => record.type === 'step-result' && record.stepId === 'stop');
    expect(stop?.type === 'step-result' ? stop.durationMs : 0).toBeGreaterThanOrEqual(1900);
    const after = await podmanState(podmanDir, STUCK_CONTAINER);
    expect(after.Running).toBe(true);
    expect(after.Health?.Status).toBe('healthy');
    expect(Date.parse(after.StartedAt)).toBeGreaterThan(Date.parse(before.StartedAt));
  });
});
