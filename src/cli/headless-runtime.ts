// The live runtime for `opsdeck run` and `opsdeck resume`: engines connected and their first
// inventory in (bounded), the playbook catalog read, before a run begins.

import type { Command } from 'commander';
import { createRuntime, type Runtime } from '../runtime/runtime';
import { loadConfigOrExit, type GlobalOptions } from './cli-options';
import { waitForEngines } from './headless-run';

const ENGINES_READY_MS = 15_000;

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
  return runtime;
}

/** Exit code of a run: 0 passed, 1 failed or aborted, 2 invalid input or playbook. */
export function exitCodeOf(verdict: string): number {
  if (verdict === 'passed') return 0;
  if (verdict === 'invalid-input') return 2;
  return 1;
}
