// Pasting into the real cockpit in a pseudo-terminal, against the private dockerd: text
// that contains r, s and y (as in "please retry later") restarts or stops nothing, with or
// without bracketed-paste markers; the engine's own event stream is the witness. The `:`
// prompt's restart goes through the same confirmation and does restart once confirmed.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { docker } from '../../lab/docker-engine.mjs';
import { IMAGE, LABEL_PROJECT, LABEL_SERVICE } from '../../lab/stack.mjs';
import { runInPseudoTerminal, visibleText, type PseudoTerminal } from '../support/pty';

const dockerHost = inject('dockerHost');
const NAME = 'pasteprobe-target-1';
const ENABLE_BRACKETED_PASTE = '\u001b[?2004h';
const DISABLE_BRACKETED_PASTE = '\u001b[?2004l';
const PASTE_START = '\u001b[200~';
const PASTE_END = '\u001b[201~';

async function startedAt(id: string): Promise<string> {
  return (await docker(dockerHost, ['inspect', '-f', '{{.State.StartedAt}}', id])).stdout.trim();
}

/** Actions the engine reported for the container between two instants (unix seconds). */
async function engineActions(id: string, since: number, until: number): Promise<string[]> {
  const result = await docker(dockerHost, [
    'events', '--since', String(since), '--until', String(until), '--filter', `container=${id}`, '--format', '{{.Action}}',
  ]);
  return result.stdout.split('\n').map((line) => line.trim()).filter((line) => line !== '');
}

const unixSeconds = () => Math.floor(Date.now() / 1000);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Text written after `mark` (the output so far), escape sequences removed. */
const visibleSince = (terminal: PseudoTerminal, mark: number) => visibleText(terminal.output().slice(mark));

describe('pasting into the cockpit (real pty, real engine)', () => {
  let id = '';

  beforeAll(async () => {
    await docker(dockerHost, ['rm', '-f', NAME], { reject: false });
    const run = await docker(dockerHost, [
      'run', '-d', '--name', NAME, '--network', 'none',
      '--label', `${LABEL_PROJECT}=pasteprobe`, '--label', `${LABEL_SERVICE}=target`,
      IMAGE, 'sh', '-c', 'sleep 3600',
    ]);
    id = run.stdout.trim();
    // Event times are whole seconds: begin watching in the second after the probe started.
    await sleep(1100);
  });

  afterAll(async () => {
    await docker(dockerHost, ['rm', '-f', NAME], { reject: false });
  });

  it('restarts nothing when "please retry later" is pasted with or without markers, and turns bracketed paste off on exit', async () => {
    const before = await startedAt(id);
    const since = unixSeconds();
    const terminal = runInPseudoTerminal(['--docker-host', dockerHost]);
    await terminal.waitForOutput((output) => visibleText(output).includes('pasteprobe') && /connected/.test(visibleText(output)));
    expect(terminal.output()).toContain(ENABLE_BRACKETED_PASTE);
    // Narrow to the probe (with a filter set, space folds nothing) and select its container.
    terminal.write('/');
    await sleep(150);
    terminal.write('pasteprobe');
    await sleep(150);
    terminal.write('\r');
    await sleep(150);
    terminal.write('j');
    await terminal.waitForOutput((output) => /›\s*target\s+running/.test(visibleText(output)));
    await sleep(500);

    // 1. A bracketed paste, as a terminal delivers it: one chunk.
    let mark = terminal.output().length;
    terminal.write(`${PASTE_START}please retry later${PASTE_END}`);
    await sleep(1500);
    expect(visibleSince(terminal, mark)).not.toMatch(/Restart container|Stop container/);

    // 2. The same text without markers (a terminal that does not bracket pastes).
    mark = terminal.output().length;
    terminal.write('please retry later');
    await sleep(1500);
    // A key after the paste answers whatever the paste asked: n, no.
    terminal.write('n');
    await sleep(1000);
    expect(visibleSince(terminal, mark)).not.toMatch(/(restarted|stopped|restarting|stopping) pasteprobe-target-1/);

    // The unbracketed p opened the playbook picker and the rest went into its filter: leave it, then quit.
    terminal.write('\u001b');
    await sleep(500);
    terminal.write('q');
    expect(await terminal.exited).toBe(0);
    const output = terminal.output();
    expect(output.lastIndexOf(DISABLE_BRACKETED_PASTE)).toBeGreaterThan(output.lastIndexOf(ENABLE_BRACKETED_PASTE));

    // The engine is the witness: no restart, stop, kill or die, and the same StartedAt.
    await sleep(1000);
    const actions = await engineActions(id, since, unixSeconds());
    expect(actions.filter((action) => /restart|stop|kill|die|start/.test(action))).toEqual([]);
    expect(await startedAt(id)).toBe(before);
  });

  it(':restart <target> asks the same y/N, and only a later y restarts the container', async () => {
    const before = await startedAt(id);
    const terminal = runInPseudoTerminal(['--docker-host', dockerHost]);
    await terminal.waitForOutput((output) => visibleText(output).includes('pasteprobe') && /connected/.test(visibleText(output)));
    // The whole line and a y in one chunk: the prompt runs, the question opens, the y is ignored.
    terminal.write(`:restart ${NAME}\ry`);
    await terminal.waitForOutput((output) => visibleText(output).includes(`Restart container ${NAME}? [y/N]`));
    await sleep(1500);
    expect(await startedAt(id)).toBe(before);
    terminal.write('y');
    const deadline = Date.now() + 20_000;
    while ((await startedAt(id)) === before && Date.now() < deadline) await sleep(200);
    expect(await startedAt(id)).not.toBe(before);
    await terminal.waitForOutput((output) => visibleText(output).includes(`restarted ${NAME}`));
    terminal.write('q');
    expect(await terminal.exited).toBe(0);
  });

  it('turns bracketed paste off on ctrl-c too', async () => {
    const terminal = runInPseudoTerminal(['--docker-host', dockerHost]);
    await terminal.waitForOutput((output) => visibleText(output).includes('pasteprobe'));
    terminal.write('\u0003');
    expect(await terminal.exited).toBe(0);
    const output = terminal.output();
    expect(output).toContain(ENABLE_BRACKETED_PASTE);
    expect(output.lastIndexOf(DISABLE_BRACKETED_PASTE)).toBeGreaterThan(output.lastIndexOf(ENABLE_BRACKETED_PASTE));
  });
});
