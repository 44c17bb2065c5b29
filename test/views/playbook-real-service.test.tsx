// End to end through the real playbook service: a playbook file loaded by the real loader, the
// real runner and journal, the real action executor over a recording adapter. From `!` on the
// restarting container's row to the restart the engine received.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { createBuiltInActionRegistry } from '../../src/playbooks/actions/built-in-actions';
import { loadPlaybookCatalog } from '../../src/playbooks/load-playbooks';
import { createPlaybookService, type RunnablePlaybookService } from '../../src/playbooks/runner/playbook-service';
import type { OpsdeckStore } from '../../src/store/create-opsdeck-store';
import { memoryApprovals, memoryLocks, noHost, temporaryJournals } from '../support/runner-fixtures';
import { createViewStore, feedIncident, instanceKeyOf, KEYS, lineWith } from './fixtures';
import { renderApp } from './render-app';

afterEach(() => cleanup());

const hintLine = (frame: string) => frame.split('\n').at(-1) ?? '';

const PLAYBOOK = `id: restart-on-alert
title: Restart a restarting container
description: Test playbook after runbook 000, 3.1 Alert Response (attempt restart if safe)
suggest:
  - alert: restarting
    bind: { container: "{{ alert.target }}" }
inputs:
  - name: container
    type: container
    description: The container to restart
steps:
  - id: announce
    title: Say what happens
    action: note
    with: { text: "restarting {{ inputs.container }}" }
  - id: restart
    title: Restart the container
    action: container.restart
    with: { container: "{{ inputs.container }}" }
    confirm: yes-no
rollback:
  - id: start-again
    title: Start the container again
    action: container.start
    with: { container: "{{ inputs.container }}" }
    confirm: none
`;

function realService(store: OpsdeckStore, executor: Parameters<typeof createPlaybookService>[0]['executor']): { service: RunnablePlaybookService; journalDirectory: string } {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'opsdeck-wizard-playbooks-'));
  writeFileSync(path.join(directory, 'restart-on-alert.yaml'), PLAYBOOK);
  const registry = createBuiltInActionRegistry();
  const journals = temporaryJournals();
  const service = createPlaybookService({
    store,
    executor,
    host: noHost,
    registry,
    loadCatalog: () => loadPlaybookCatalog({ directories: [directory], registry, cwd: directory }),
    journalDirectory: journals.directory,
    journals,
    locks: memoryLocks(),
    approvals: memoryApprovals(),
    operator: { operator: 'alice', host: 'bastion', pid: process.pid },
    readOnly: false,
    dryRun: false,
  });
  return { service, journalDirectory: journals.directory };
}

/** The cockpit on the real playbook service, with the restarting vault container's row selected. */
async function appOnTheVaultRow() {
  const store = createViewStore();
  feedIncident(store);
  let service: RunnablePlaybookService | undefined;
  const app = await renderApp(store, {
    playbooksFor: (executor) => {
      service = realService(store, executor).service;
      return service;
    },
  });
  await service?.refresh();
  store.getState().selectRow('services', `container:${instanceKeyOf('vault')}`);
  return { app, service };
}

describe('the wizard on the real playbook service', () => {
  it("! on the restarting container's row runs its suggested playbook: the engine receives the restart of that container after y", async () => {
    const { app, service } = await appOnTheVaultRow();
    await app.waitFor((frame) => hintLine(frame).includes('! fix'));
    await app.press('!');
    // Every input was bound from the alert: the run waits at its first step.
    let frame = await app.waitFor((current) => hintLine(current).includes('enter run step'));
    expect(frame).toContain('Restart a restarting container');
    expect(lineWith(frame, 'Next:')).toContain('Say what happens');
    // a: run on to the confirmation of the restart.
    await app.press('a');
    frame = await app.waitFor((current) => hintLine(current).includes('y yes'));
    expect(frame).toContain('[y/N]');
    expect(app.adapter.runs).toEqual([]);
    await app.press('y');
    frame = await app.waitFor((current) => current.includes('Run passed'));
    expect(app.adapter.runs).toEqual([{ verb: 'restart', target: 'janusgraph-demo-vault-1' }]);
    // The journal named in the summary records the run.
    const journalPath = /journal: (\S+)/.exec(frame)?.[1];
    expect(journalPath).toBeDefined();
    const records = readFileSync(journalPath ?? '', 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { type: string });
    expect(records.map((record) => record.type)).toContain('run-end');
    await service?.close();
  });

  it('n does not run the restart, s skips it: nothing reaches the engine', async () => {
    const { app, service } = await appOnTheVaultRow();
    await app.press('!');
    await app.waitFor((current) => hintLine(current).includes('enter run step'));
    await app.press(KEYS.enter);
    await app.waitFor((current) => hintLine(current).includes('enter run step') && (lineWith(current, 'Next:') ?? '').includes('Restart the container'));
    await app.press(KEYS.enter);
    await app.waitFor((current) => hintLine(current).includes('n no'));
    await app.press('n');
    // Back at the step, not run; s skips it and the run ends without touching the engine.
    await app.waitFor((current) => !hintLine(current).includes('n no') && (lineWith(current, 'Next:') ?? '').includes('Restart the container'));
    await app.press('s');
    const frame = await app.waitFor((current) => /Run (passed|failed|aborted)/.test(current));
    expect(lineWith(frame, 'Restart the container')).toContain('-');
    expect(app.adapter.runs).toEqual([]);
    await service?.close();
  });

  it('x after a step ran: the runner offers its rollback, the view asks, y and enter run it through the engine', async () => {
    const { app, service } = await appOnTheVaultRow();
    await app.press('!');
    await app.waitFor((current) => hintLine(current).includes('enter run step'));
    await app.press(KEYS.enter);
    await app.waitFor((current) => (lineWith(current, 'Next:') ?? '').includes('Restart the container'));
    await app.press('x');
    await app.waitFor((current) => current.includes('Abort the run of Restart a restarting container? [y/N]'));
    await app.press('y');
    await app.waitFor((current) => current.includes('Aborted. Roll back? [y/N]'));
    await app.press('y');
    // The rollback steps are stepped like the others.
    await app.waitFor((current) => (lineWith(current, 'Next:') ?? '').includes('Start the container again'));
    expect(app.adapter.runs).toEqual([]);
    await app.press(KEYS.enter);
    const frame = await app.waitFor((current) => current.includes('Run rolled-back'));
    expect(lineWith(frame, 'Start the container again')).toBeDefined();
    expect(app.adapter.runs).toEqual([{ verb: 'start', target: 'janusgraph-demo-vault-1' }]);
    await service?.close();
  });
});
