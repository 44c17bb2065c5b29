// A step's output as the operator sees it in the wizard and reads it in the journal: each
// line once, however the action hands it back. A log read streams both of the container's
// streams and returns them merged (LogReadable), so its lines must not be printed again when
// only one of the streams had lines to show (a grep that keeps only the stderr errors).
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { createHostCommands } from '../../src/adapters/host/create-host-commands';
import type { EngineAdapter, LogReadable } from '../../src/adapters/capabilities';
import { readJournal } from '../../src/journal/journal-reader';
import { createBuiltInActionRegistry } from '../../src/playbooks/actions/built-in-actions';
import { PlaybookRun } from '../../src/playbooks/runner/run-machine';
import { createActionExecutor } from '../../src/runtime/action-executor';
import { playbookOf, runnerWorld, step } from '../support/runner-fixtures';

/** Logs like the crash-looping worker's: INFO on stdout, FATAL on stderr, both in order in the result. */
const crashLoopLogs: EngineAdapter & LogReadable = {
  engineId: 'local',
  start: () => undefined,
  stop: async () => undefined,
  collectOnce: async () => undefined,
  describeCall: (action) => ({ type: 'http', method: 'GET', path: `/containers/${action.target.name}/logs` }),
  readInstanceLogs: async (_target, _window, options) => {
    const lines: Array<['stdout' | 'stderr', string]> = [
      ['stdout', 'INFO worker starting'],
      ['stderr', 'FATAL cannot connect to queue'],
      ['stdout', 'INFO worker starting'],
      ['stderr', 'FATAL cannot connect to queue'],
    ];
    for (const [stream, text] of lines) options?.onOutput?.(stream, text);
    return lines.map(([, text]) => text).join('\n');
  },
};

async function runLogStep(grep: string | undefined) {
  const world = runnerWorld();
  const dependencies = {
    ...world.dependencies,
    registry: createBuiltInActionRegistry(),
    executor: createActionExecutor({ adapterFor: (id) => (id === 'local' ? crashLoopLogs : undefined), readOnly: false }),
  };
  const withParams = { container: 'shop-api-1', since: '20s', ...(grep === undefined ? {} : { grep }) };
  const run = new PlaybookRun(dependencies, {
    playbook: playbookOf([step('errors', 'container.logs', withParams, { register: true })]),
    runId: grep === undefined ? 'logs-all' : 'logs-grep',
    dryRun: false,
    assumeYes: false,
    unattended: false,
  });
  world.store.subscribe((state) => {
    if (state.runs[run.runId]?.awaiting?.kind === 'next-step') run.runToNextStop();
  });
  const verdict = await run.finished;
  expect(verdict, JSON.stringify(world.store.getState().runs[run.runId]?.steps[0])).toBe('passed');
  world.store.getState().flush();
  const file = world.journals.opened.get(run.runId) ?? '';
  const journaled = readJournal(file).records.flatMap((record) => (record.type === 'step-output' ? [record.text] : [])).join('');
  return { shown: world.store.getState().runs[run.runId]?.steps[0]?.output, journaled };
}

describe('step output', () => {
  it('a log read whose grep keeps only stderr lines shows and journals each of them once', async () => {
    const { shown, journaled } = await runLogStep('(?i)fatal');
    expect(shown).toEqual(['! FATAL cannot connect to queue', '! FATAL cannot connect to queue']);
    expect(journaled).toBe('FATAL cannot connect to queue\nFATAL cannot connect to queue\n');
  });

  it('a log read without grep shows both streams in order, each line once', async () => {
    const { shown } = await runLogStep(undefined);
    expect(shown).toEqual(['INFO worker starting', '! FATAL cannot connect to queue', 'INFO worker starting', '! FATAL cannot connect to queue']);
  });

  it('an action that reports its one line as info and returns it as stdout shows it once', async () => {
    const server = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const world = runnerWorld();
      const dependencies = { ...world.dependencies, registry: createBuiltInActionRegistry(), host: createHostCommands({ readOnly: false }) };
      const run = new PlaybookRun(dependencies, {
        playbook: playbookOf([step('port', 'tcp.check', { host: '127.0.0.1', port })]),
        runId: 'tcp-once',
        dryRun: false,
        assumeYes: false,
        unattended: false,
      });
      world.store.subscribe((state) => {
        if (state.runs[run.runId]?.awaiting?.kind === 'next-step') run.runToNextStop();
      });
      expect(await run.finished).toBe('passed');
      world.store.getState().flush();
      const shown = world.store.getState().runs[run.runId]?.steps[0]?.output ?? [];
      expect(shown).toHaveLength(1);
      expect(shown[0]).toMatch(new RegExp(`^connected to 127\\.0\\.0\\.1:${port} in `));
    } finally {
      server.close();
    }
  });
});
