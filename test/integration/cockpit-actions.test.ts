// The one action path, end to end on the real engine: the bundled cockpit in tmux, `r` then `y`
// restarts the selected container (the engine's StartedAt changes and it saw one restart),
// `--dry-run` shows the exact call and sends nothing, `--read-only` refuses with the reason.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { docker } from '../../lab/docker-engine.mjs';
import { IMAGE, LABEL_PROJECT, LABEL_SERVICE } from '../../lab/stack.mjs';
import { ensureCommand } from '../support/debian-tools';
import { BUNDLE, interactiveEnvironment } from '../support/pty';
import { waitFor } from '../support/wait-for';

const dockerHost = inject('dockerHost');
const PROJECT = `actions${process.pid}`;
const NAME = `${PROJECT}-web-1`;
const sessions: string[] = [];

function tmux(...args: string[]): string {
  return execFileSync('tmux', args, { encoding: 'utf8', env: interactiveEnvironment() });
}

function screenOf(session: string): string {
  return tmux('capture-pane', '-p', '-t', session);
}

async function startedAt(): Promise<string> {
  return (await docker(dockerHost, ['inspect', '-f', '{{.State.StartedAt}}', NAME])).stdout.trim();
}

/** Actions the engine reported for the container since `since` (its own event log). */
async function engineActions(since: string): Promise<string[]> {
  const until = new Date(Date.now() + 1000).toISOString();
  const events = await docker(dockerHost, ['events', '--since', since, '--until', until, '--filter', `container=${NAME}`, '--format', '{{.Action}}']);
  return events.stdout.split('\n').filter((line) => line !== '');
}

/** Opens the cockpit with `flags`, narrowed to the test's project, the container row selected. */
async function openOnContainer(session: string, flags: string[]): Promise<void> {
  sessions.push(session);
  const command = [process.execPath, BUNDLE, '--docker-host', dockerHost, ...flags].join(' ');
  tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', `${command}; sleep 600`);
  await waitFor('the cockpit connected', () => screenOf(session).includes('connected'));
  tmux('send-keys', '-t', session, '/', ...PROJECT, 'Enter');
  await waitFor('the project alone', () => screenOf(session).includes('Services (1/'));
  tmux('send-keys', '-t', session, 'j');
  await waitFor('the container selected', () => /›\s*web\s+running/.test(screenOf(session)));
}

describe('engine actions from the cockpit (real engine)', () => {
  beforeAll(async () => {
    ensureCommand('tmux');
    // A shell that exits on SIGTERM, so a restart takes a moment, not the 10 s stop timeout.
    await docker(dockerHost, [
      'run', '-d', '--name', NAME, '--network', 'none',
      '--label', `${LABEL_PROJECT}=${PROJECT}`, '--label', `${LABEL_SERVICE}=web`,
      IMAGE, 'sh', '-c', "trap 'exit 0' TERM; while :; do sleep 1; done",
    ]);
  });

  afterAll(async () => {
    for (const session of sessions) {
      try {
        tmux('kill-session', '-t', session);
      } catch {
        // already gone
      }
    }
    await docker(dockerHost, ['rm', '-f', NAME], { reject: false });
  });

  it('r asks with the exact call, y restarts the container: StartedAt changes, the engine saw the restart', async () => {
    const session = `opsdeck-actions-${process.pid}`;
    await openOnContainer(session, []);
    const before = await startedAt();
    const since = new Date().toISOString();
    tmux('send-keys', '-t', session, 'r');
    const dialog = await waitFor('the confirmation', () => {
      const screen = screenOf(session);
      return screen.includes(`Restart container ${NAME}? [y/N]`) ? screen : undefined;
    });
    expect(dialog).toMatch(/POST \/containers\/[0-9a-f]{64}\/restart\?t=10/);
    tmux('send-keys', '-t', session, 'y');
    await waitFor('the result in the status line', () => screenOf(session).includes(`restarted ${NAME}`), { timeoutMs: 30_000 });
    expect(await startedAt()).not.toBe(before);
    expect(await engineActions(since)).toContain('restart');
  });

  it('--dry-run shows what it would do and sends nothing', async () => {
    const session = `opsdeck-dry-run-${process.pid}`;
    await openOnContainer(session, ['--dry-run']);
    expect(screenOf(session).split('\n')[0]).toContain('DRY-RUN');
    const before = await startedAt();
    const since = new Date().toISOString();
    tmux('send-keys', '-t', session, 'r');
    const dialog = await waitFor('the confirmation', () => {
      const screen = screenOf(session);
      return screen.includes('[y/N]') ? screen : undefined;
    });
    expect(dialog).toMatch(/POST \/containers\/[0-9a-f]{64}\/restart\?t=10/);
    tmux('send-keys', '-t', session, 'y');
    await waitFor('the dry-run result', () => screenOf(session).includes(`dry run: would restart ${NAME}`));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await startedAt()).toBe(before);
    expect(await engineActions(since)).toEqual([]);
  });

  it('--read-only refuses with the reason and sends nothing', async () => {
    const session = `opsdeck-read-only-${process.pid}`;
    await openOnContainer(session, ['--read-only']);
    const before = await startedAt();
    const since = new Date().toISOString();
    tmux('send-keys', '-t', session, 'r');
    await waitFor('the refusal', () => screenOf(session).includes(`read-only mode: refused to restart ${NAME}`));
    expect(screenOf(session)).not.toContain('[y/N]');
    expect(await startedAt()).toBe(before);
    expect(await engineActions(since)).toEqual([]);
  });
});
