// A container whose compose labels and log lines carry terminal escape sequences and C1
// controls, on the real private dockerd: neither the cockpit (bundled, in a real pty) nor
// `status` nor `status --json` passes any of those bytes to the operator's terminal, and
// the text around them stays readable.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { StatusSnapshot } from '../../src/runtime/status-snapshot';
import { docker } from '../../lab/docker-engine.mjs';
import { IMAGE, LABEL_PROJECT, LABEL_SERVICE } from '../../lab/stack.mjs';
import { BUNDLE, runInPseudoTerminal, visibleText } from '../support/pty';
import { waitFor } from '../support/wait-for';

const dockerHost = inject('dockerHost');
const run = promisify(execFile);
const NAME = 'hostile-text-1';
const ESC = '\u001b';
const BEL = '\u0007';

// Label values as the engine stores them (the docker CLI passes them through untouched).
const PROJECT_LABEL = `hostile${ESC}]0;pwned-title${BEL}${ESC}[2J-project`;
const SERVICE_LABEL = `sneaky${ESC}[?1049l\u009b2J\u009d0;pwned-c1\u0007-svc`;
// busybox printf: \033 ESC, \007 BEL, \302\233 U+009B (8-bit CSI), \302\235 U+009D (8-bit OSC).
const LOG_PROGRAM = String.raw`
while :; do
  printf 'ERROR \033]0;pwned-log\007up \033[2J\033[?1049llegible\n'
  printf 'ERROR \302\2332J\302\2350;pwned-osc\007eightbit \033[31mred\033[0m\n' >&2
  sleep 1
done`;

/** Terminal controls that can only have come from the hostile container. */
function hostileTraces(text: string): string[] {
  const traces: string[] = [];
  if (text.includes('pwned')) traces.push('a sequence payload (pwned)');
  if (text.includes(BEL)) traces.push('BEL');
  if (text.includes(`${ESC}]`)) traces.push('OSC');
  if (text.includes(`${ESC}[2J`)) traces.push('ESC[2J');
  // eslint-disable-next-line no-control-regex
  if (/[\u0080-\u009f]/.test(text)) traces.push('a C1 control');
  return traces;
}

async function opsdeckStatus(args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [BUNDLE, 'status', '--docker-host', dockerHost, ...args], {
    env: { ...process.env, NO_COLOR: '1' },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
  });
  return stdout;
}

describe('untrusted text from a container never reaches the terminal raw', () => {
  beforeAll(async () => {
    await docker(dockerHost, ['rm', '-f', NAME], { reject: false });
    await docker(dockerHost, [
      'run', '-d', '--name', NAME, '--network', 'none',
      '--label', `${LABEL_PROJECT}=${PROJECT_LABEL}`, '--label', `${LABEL_SERVICE}=${SERVICE_LABEL}`,
      IMAGE, 'sh', '-c', LOG_PROGRAM,
    ]);
    // The engine really holds the hostile bytes: the test would prove nothing otherwise.
    const labels = (await docker(dockerHost, ['inspect', '-f', '{{json .Config.Labels}}', NAME])).stdout;
    expect((JSON.parse(labels) as Record<string, string>)[LABEL_PROJECT]).toBe(PROJECT_LABEL);
    // The container writes its first lines a moment after `docker run -d` returns.
    const logs = await waitFor('the hostile log line in the engine', async () => {
      const read = await docker(dockerHost, ['logs', NAME]);
      const text = read.stdout + read.stderr;
      return text.includes(`${ESC}]0;pwned-log${BEL}`) ? text : undefined;
    }, { timeoutMs: 15_000 });
    expect(logs).toContain(`${ESC}]0;pwned-log${BEL}`);
  });

  afterAll(async () => {
    await docker(dockerHost, ['rm', '-f', NAME], { reject: false });
  });

  it('status --json: no escape, BEL or C1 from the container, not even JSON-escaped, and the text is kept', async () => {
    const stdout = await opsdeckStatus(['--json']);
    expect(hostileTraces(stdout)).toEqual([]);
    expect(stdout).not.toMatch(/\\u001b|\\u0007/i);
    const snapshot = JSON.parse(stdout) as StatusSnapshot;
    const service = snapshot.services.find((entry) => entry.containers.some((container) => container.name === NAME));
    expect(service).toMatchObject({ project: 'hostile-project', service: 'sneaky-svc' });
    const messages = snapshot.errors.map((error) => error.sampleLine);
    expect(messages).toContain('ERROR up legible');
    expect(messages).toContain('ERROR eightbit red');
  });

  it('status text: no escape sequence at all with NO_COLOR, and the words after the sequences are shown', async () => {
    const stdout = await opsdeckStatus([]);
    expect(hostileTraces(stdout)).toEqual([]);
    expect(stdout).not.toContain(ESC);
    expect(stdout).toMatch(/hostile-project\s+sneaky-svc\s+hostile-text-1\s+running/);
    expect(stdout).toContain('ERROR up legible');
    expect(stdout).toContain('ERROR eightbit red');
  });

  it('cockpit in a pty: the screen shows the cleaned names and log text, no byte of the sequences', async () => {
    const terminal = runInPseudoTerminal(['--docker-host', dockerHost]);
    try {
      await terminal.waitForOutput((output) => {
        const text = visibleText(output);
        return text.includes('hostile-project') && text.includes('sneaky-svc') && text.includes('ERROR up legible') && text.includes('ERROR eightbit red');
      }, 30_000);
      // Live lines keep arriving through the follow stream: give a few of them time to draw.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const output = terminal.output();
      expect(hostileTraces(output)).toEqual([]);
      // The cockpit itself leaves the alternate screen only when it quits.
      expect(output).not.toContain(`${ESC}[?1049l`);
      terminal.write('q');
      expect(await terminal.exited).toBe(0);
    } finally {
      terminal.child.kill('SIGKILL');
    }
  });
});
