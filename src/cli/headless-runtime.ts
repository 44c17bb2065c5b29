// The live runtime for `opsdeck run` and `opsdeck resume`: engines connected and their first
// inventory in, the recent logs read (so errors.recent sees the last hour as the cockpit
// does), the playbook catalog read, all bounded, before a run begins.

import type { Command } from 'commander';
import { createRuntime, type Runtime } from '../runtime/runtime';
import { loadConfigOrExit, type GlobalOptions } from './cli-options';
import { waitForEngines } from './headless-run';

const ENGINES_READY_MS = 15_000;
/** The log backfill (the last hour, for errors.recent) streams in after the inventory: wait for a quiet moment. */
const LOGS_QUIET_MS = 400;
const LOGS_SETTLE_MAX_MS = 5000;

/** Resolves once the error fingerprints have not changed for `quietMs` (at most `maxMs`). */
function logsSettled(store: Runtime['store'], quietMs: number, maxMs: number): Promise<void> {
  return new Promise((resolve) => {
    let quiet: NodeJS.Timeout;
    let last = store.getState().fingerprints;
    const finish = (): void => {
      clearTimeout(quiet);
      clearTimeout(deadline);
      unsubscribe();
      resolve();
    };
    const deadline = setTimeout(finish, maxMs);
    quiet = setTimeout(finish, quietMs);
    const unsubscribe = store.subscribe((state) => {
      if (state.fingerprints === last) return;
      last = state.fingerprints;
      clearTimeout(quiet);
      quiet = setTimeout(finish, quietMs);
    });
  });
}

export async function startHeadlessRuntime(program: Command): Promise<Runtime> {
  const options = program.opts<GlobalOptions>();
  const config = await loadConfigOrExit(options);
  const runtime = createRuntime({
    config,
    readOnly: options.readOnly ?? false,
    dryRun: options.dryRun ?? false,
    flushIntervalMs: 50,
    playbookDirectories: options.playbooks ?? [],
  });
  runtime.start();
  const [missing] = await Promise.all([waitForEngines(runtime.store, ENGINES_READY_MS), runtime.playbooks.refresh()]);
  for (const engine of missing) process.stderr.write(`opsdeck: engine not connected, going on without it: ${engine}\n`);
  if (missing.length < runtime.store.getState().engineOrder.length) await logsSettled(runtime.store, LOGS_QUIET_MS, LOGS_SETTLE_MAX_MS);
  return runtime;
}

/** Exit code of a run: 0 passed, 1 failed or aborted, 2 invalid input or playbook. */
export function exitCodeOf(verdict: string): number {
  if (verdict === 'passed') return 0;
  if (verdict === 'invalid-input') return 2;
  return 1;
}
