// `opsdeck journal list|show|verify` (the bundled CLI) on journals written by the real writer.
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/journal/journal-types';
import { runsDirectory } from '../../src/journal/state-directory';
import { journalRestartIntent, startRestartRun, temporaryDirectory, writePassedRun } from '../support/journal-fixtures';
import { BUNDLE } from '../support/pty';
import { runBundle, type CommandRun } from '../support/bundle-command';

const PASSED = '20261201T112649Z-3f2a9c';
const UNFINISHED = '20261201T120000Z-77aa01';
let stateHome: string;

function opsdeck(args: string[], home: string = stateHome): Promise<CommandRun> {
  return runBundle(args, { env: { ...process.env, XDG_STATE_HOME: home, NO_COLOR: '1' }, timeoutMs: 30_000 });
}

beforeAll(async () => {
  if (!fs.existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run npm run build first (npm test does)`);
  stateHome = temporaryDirectory('state');
  const directory = runsDirectory({ XDG_STATE_HOME: stateHome });
  writePassedRun(directory, PASSED);
  await new Promise((resolve) => setTimeout(resolve, 5));
  const writer = startRestartRun(directory, UNFINISHED);
  journalRestartIntent(writer);
  writer.close();
});

describe('opsdeck journal (bundled)', () => {
  it('list names each run, its playbook, operator, start and verdict, newest first', async () => {
    const result = await opsdeck(['journal', 'list']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^RUN\s+PLAYBOOK\s+OPERATOR\s+STARTED \(UTC\)\s+VERDICT$/);
    expect(lines[1]).toMatch(new RegExp(`^${UNFINISHED}\\s+restart-service\\s+alice\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\s+unfinished$`));
    expect(lines[2]).toMatch(new RegExp(`^${PASSED}\\s+restart-service\\s+alice\\s+.*\\s+passed$`));
    const json = JSON.parse((await opsdeck(['journal', 'list', '--json'])).stdout) as RunSummary[];
    expect(json.map((summary) => [summary.runId, summary.verdict, summary.unfinished, summary.running])).toEqual([
      [UNFINISHED, undefined, true, false],
      [PASSED, 'passed', false, false],
    ]);
  });

  it('show --markdown prints the incident-report timeline of a run named by a prefix', async () => {
    const result = await opsdeck(['journal', 'show', '20261201T11', '--markdown']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^# Restart a service gracefully: run `20261201T112649Z-3f2a9c`/);
    expect(result.stdout).toContain('- **Verdict:** passed');
    expect(result.stdout).toContain('- **Hash chain:** verified (8 records)');
    expect(result.stdout).toContain('confirmed by alice (typed the target\'s name): "shop-api-1"');
    expect(result.stdout).toContain('```text\nGET /health 500\n');
    const text = await opsdeck(['journal', 'show', UNFINISHED]);
    expect(text.stdout).toMatch(/Verdict: +unfinished: run did not end \(last record: seq 2, step-intent of step restart/);
    expect(text.stdout).not.toContain('**');
  });

  it('verify exits 0 on an intact chain and 1 with the broken seq after an edit', async () => {
    const intact = await opsdeck(['journal', 'verify', PASSED]);
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(new RegExp(`^verified: run ${PASSED}: hash chain intact over 8 records`));

    const editedHome = temporaryDirectory('state');
    const editedDirectory = runsDirectory({ XDG_STATE_HOME: editedHome });
    const file = writePassedRun(editedDirectory, PASSED);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('connection refused', 'connection accepted'));
    const broken = await opsdeck(['journal', 'verify', PASSED], editedHome);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(new RegExp(`^broken: run ${PASSED}: seq 2 was edited: its line no longer hashes to the prev recorded by seq 3`));
    expect((await opsdeck(['journal', 'show', PASSED, '--markdown'], editedHome)).stdout).toContain('- **Hash chain:** NOT verified: seq 2 was edited');
  });

  it('an unknown or ambiguous run id is one line on stderr and exit code 2', async () => {
    const unknown = await opsdeck(['journal', 'show', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^opsdeck: no run "nope" in .*\n$/);
    const ambiguous = await opsdeck(['journal', 'verify', '20261201T1']);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain(`matches 2 runs (${UNFINISHED}, ${PASSED})`);
  });
});
