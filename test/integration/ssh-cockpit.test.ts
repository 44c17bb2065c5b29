// The bundled cockpit on an ssh:// engine in a real pseudo-terminal: the header shows the engine
// connected and the services behind sshd; however opsdeck ends (q, or a SIGKILL that runs no
// exit hook), none of its ssh processes stays behind.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startPrivateSshd, type PrivateSshd } from '../engine/sshd-engine';
import { runInPseudoTerminal, visibleText } from '../support/pty';
import { sshProcessesFor } from '../support/ssh-processes';
import { waitFor } from '../support/wait-for';

const dockerHost = inject('dockerHost');

/** What opsdeck left in its temp directory: control directories and what is inside them. */
function leftovers(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' }).filter((entry) => entry.startsWith('opsdeck-ssh-')).sort();
}

function childPid(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0]);
}

describe('cockpit on an ssh:// engine', { timeout: 120_000 }, () => {
  let sshd: PrivateSshd;
  let workDirectory: string;
  let configFile: string;

  beforeAll(async () => {
    sshd = await startPrivateSshd({ dockerHost });
    workDirectory = await mkdtemp(path.join(os.tmpdir(), 'opsdeck-ssh-cockpit-'));
    configFile = path.join(workDirectory, 'opsdeck.yaml');
    await writeFile(configFile, `engines:\n  - name: edge\n    host: ${sshd.url}\n    sshConfig: ${sshd.sshConfig}\n`);
  });

  afterAll(async () => {
    await sshd?.dispose();
    if (workDirectory) await rm(workDirectory, { recursive: true, force: true });
  });

  const port = (): string => String(sshd.port);
  // opsdeck's control sockets go to os.tmpdir(): a directory of the test's own.
  const environment = (): Record<string, string> => ({ TMPDIR: workDirectory });

  it('shows the engine behind sshd connected, and closes its ssh processes on q', async () => {
    const terminal = runInPseudoTerminal(['--config', configFile], { env: environment() });
    await terminal.waitForOutput((output) => /edge \S+ connected/.test(visibleText(output)) && /burner/.test(visibleText(output)), 60_000);
    expect(sshProcessesFor(port()).length).toBeGreaterThan(0);
    expect(leftovers(workDirectory).length).toBeGreaterThan(0);
    terminal.write('q');
    expect(await terminal.exited).toBe(0);
    await waitFor('no ssh left after q', () => sshProcessesFor(port()).length === 0, { timeoutMs: 10_000 });
    expect(leftovers(workDirectory)).toEqual([]);
  });

  it('leaves no ssh process behind when opsdeck is killed with SIGKILL', async () => {
    const terminal = runInPseudoTerminal(['--config', configFile], { env: environment() });
    await terminal.waitForOutput((output) => /edge \S+ connected/.test(visibleText(output)), 60_000);
    expect(sshProcessesFor(port()).length).toBeGreaterThan(0);
    process.kill(childPid(terminal.child.pid ?? 0), 'SIGKILL');
    await terminal.exited;
    await waitFor('no ssh left after SIGKILL', () => sshProcessesFor(port()).length === 0, { timeoutMs: 10_000 });
    // No exit hook ran: the empty control directory stays (the masters removed their sockets).
    expect(leftovers(workDirectory)).toEqual([expect.stringMatching(/^opsdeck-ssh-[^/]+$/)]);
  });
});
