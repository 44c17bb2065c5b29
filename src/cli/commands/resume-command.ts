// `opsdeck resume <run-id> [--yes] [--json]`: continues a run whose process died. The
// interrupted step is observed on the engine and reported; it is run again only when its
// effect did not happen, or when the operator (or --yes) says so for one that cannot be told.

import type { Command } from 'commander';
import { PlaybookServiceError } from '../../playbooks/runner/playbook-service';
import type { CommandRegistration } from '../cli-options';
import { driveHeadless, terminalPrompt } from '../headless-run';
import { exitCodeOf, startHeadlessRuntime } from '../headless-runtime';

async function resumeRun(program: Command, runId: string, options: { yes?: boolean; json?: boolean }): Promise<number> {
  const runtime = await startHeadlessRuntime(program);
  try {
    const ask = terminalPrompt();
    let control;
    try {
      control = runtime.playbooks.resume(runId, { assumeYes: options.yes ?? false, unattended: ask === undefined });
    } catch (error) {
      if (!(error instanceof PlaybookServiceError)) throw error;
      process.stderr.write(`opsdeck: ${error.message}\n`);
      return 2;
    }
    const output = { json: options.json ?? false, write: (text: string) => void process.stdout.write(text) };
    if (!output.json) process.stdout.write(`resuming run ${control.runId}\n`);
    return exitCodeOf(await driveHeadless(runtime.store, control, output, ask));
  } finally {
    await runtime.stop();
  }
}

export const registerResumeCommand: CommandRegistration = (program) => {
  program
    .command('resume')
    .description('continue a run that never ended (crash, lost SSH session, kill -9): what the interrupted step did is checked before anything is repeated')
    .argument('<run-id>', 'run id or a prefix only one run has (opsdeck journal list)')
    .option('--yes', 'answer yes/no questions with yes, including repeating a step whose effect cannot be told')
    .option('--json', 'one JSON object per line')
    .action(async (runId: string, options: { yes?: boolean; json?: boolean }) => {
      process.exit(await resumeRun(program, runId, options));
    });
};
