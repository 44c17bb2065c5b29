// Which runs exist, which ended, and which are still being run by a live process.
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { findRun, listRuns } from '../../src/journal/journal-reader';
import { continueJournal } from '../../src/journal/journal-writer';
import { ALICE, startRestartRun, temporaryDirectory, writePassedRun } from '../support/journal-fixtures';

describe('listRuns', () => {
  it('lists newest first with verdicts, and tells a live unfinished run from a dead one', async () => {
    const directory = temporaryDirectory('runs');
    writePassedRun(directory, '20261201T100000Z-aaaaaa');
    await new Promise((resolve) => setTimeout(resolve, 5));
    startRestartRun(directory, '20261201T110000Z-bbbbbb').close(); // pid 999999999: dead
    await new Promise((resolve) => setTimeout(resolve, 5));
    startRestartRun(directory, '20261201T120000Z-cccccc', { ...ALICE, pid: process.pid }).close();
    const runs = listRuns(directory);
    expect(runs.map((run) => [run.runId, run.verdict ?? null, run.unfinished, run.running])).toEqual([
      ['20261201T120000Z-cccccc', null, true, true],
      ['20261201T110000Z-bbbbbb', null, true, false],
      ['20261201T100000Z-aaaaaa', 'passed', false, false],
    ]);
    expect(runs[2]).toMatchObject({ playbookId: 'restart-service', title: 'Restart a service gracefully', operator: 'alice', endedAt: expect.any(Number) });
  });

  it('a dead run resumed by a live process counts as running', () => {
    const directory = temporaryDirectory('runs');
    const writer = startRestartRun(directory, 'run-1');
    writer.close();
    const resumed = continueJournal(writer.path);
    resumed.append({ type: 'resume', operator: 'bob', host: os.hostname(), pid: process.pid, observations: [] });
    resumed.close();
    expect(listRuns(directory)[0]).toMatchObject({ unfinished: true, running: true });
  });

  it('finds a run by id or unique prefix, not by an ambiguous one', () => {
    const directory = temporaryDirectory('runs');
    writePassedRun(directory, '20261201T100000Z-aaaaaa');
    writePassedRun(directory, '20261201T100000Z-abbbbb');
    expect(findRun(directory, '20261201T100000Z-aaaaaa')?.runId).toBe('20261201T100000Z-aaaaaa');
    expect(findRun(directory, '20261201T100000Z-ab')?.runId).toBe('20261201T100000Z-abbbbb');
    expect(findRun(directory, '20261201T100000Z-a')).toBeUndefined();
    expect(findRun(directory, 'nope')).toBeUndefined();
    expect(listRuns(`${directory}/missing`)).toEqual([]);
  });
});
