// The cockpit on a real terminal (tmux) with a Docker and a Podman engine at once: the header
// shows each engine with its kind and state, and the services of both are on the screen.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { podman } from '../../lab/podman-engine.mjs';
import { ensureCommand } from '../support/debian-tools';
import { BUNDLE, interactiveEnvironment } from '../support/pty';
import { waitFor } from '../support/wait-for';

const dockerHost = inject('dockerHost');
const podmanHost = inject('podmanHost');
const podmanDir = inject('podmanDir');
const SESSION = `opsdeck-two-engines-${process.pid}`;
const CONTAINER = 'ledger-postings-1';

function tmux(...args: string[]): string {
  return execFileSync('tmux', args, { encoding: 'utf8', env: interactiveEnvironment() });
}

describe('cockpit with a Docker and a Podman engine (tmux)', () => {
  beforeAll(async () => {
    ensureCommand('tmux');
    await podman(podmanDir, ['rm', '-f', '-t', '0', CONTAINER], { reject: false });
    await podman(podmanDir, [
      'run', '-d', '--name', CONTAINER,
      '--label', 'io.podman.compose.project=ledger', '--label', 'com.docker.compose.project=ledger',
      '--label', 'com.docker.compose.service=postings',
      'local/busybox:latest', 'sleep', '3600',
    ]);
    const command = `${process.execPath} ${BUNDLE} --docker-host ${dockerHost} --engine pods=podman:${podmanHost}; sleep 600`;
    tmux('new-session', '-d', '-s', SESSION, '-x', '120', '-y', '40', command);
  });

  afterAll(async () => {
    try {
      tmux('kill-session', '-t', SESSION);
    } catch {
      // already gone
    }
    await podman(podmanDir, ['rm', '-f', '-t', '0', CONTAINER], { reject: false });
  });

  it('shows both engines connected in the header and the services of each', async () => {
    const lines = await waitFor('both engines connected, services of both listed', () => {
      const shown = tmux('capture-pane', '-p', '-t', SESSION).split('\n');
      const text = shown.join('\n');
      return /docker: local ● connected/.test(shown[0] ?? '') && /podman: pods ● connected/.test(shown[0] ?? '') && text.includes('postings') && text.includes('burner')
        ? shown
        : undefined;
    }, { timeoutMs: 30_000 });
    expect(lines.filter((line) => /^ opsdeck/.test(line))).toHaveLength(1);
    expect(lines.some((line) => /▾ ledger/.test(line))).toBe(true);
    expect(lines.some((line) => /▾ shop/.test(line))).toBe(true);
  });
});
