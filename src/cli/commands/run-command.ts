// `opsdeck run <playbook> --input k=v ... [--yes] [--json]`: the wizard's runner without the
// wizard. Global --dry-run and --read-only apply. Exit code: 0 passed, 1 failed or aborted,
// 2 invalid input or playbook.

import type { Command } from 'commander';
import { PlaybookServiceError } from '../../playbooks/runner/playbook-service';
import { collect, type CommandRegistration } from '../cli-options';
import { driveHeadless, terminalPrompt } from '../headless-run';
import { exitCodeOf, startHeadlessRuntime } from '../headless-runtime';

interface RunCommandOptions {
  input: string[];
  yes?: boolean;
  json?: boolean;
}

/** `k=v` pairs; the first `=` splits, so a value may contain more. */
export function parseInputPairs(pairs: readonly string[]): { inputs: Record<string, string> } | { problem: string } {
  const inputs: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) return { problem: `--input ${JSON.stringify(pair)}: expected name=value` };
    inputs[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return { inputs };
}

async function runPlaybook(program: Command, playbookId: string, options: RunCommandOptions): Promise<number> {
  const parsed = parseInputPairs(options.input);
  if ('problem' in parsed) {
    process.stderr.write(`opsdeck: ${parsed.problem}\n`);
    return 2;
  }
  const runtime = await startHeadlessRuntime(program);
  try {
    const ask = terminalPrompt();
    let control;
    try {
      control = runtime.playbooks.start(playbookId, { inputs: parsed.inputs, assumeYes: options.yes ?? false, unattended: ask === undefined });
    } catch (error) {
      if (!(error instanceof PlaybookServiceError)) throw error;
      process.stderr.write(`opsdeck: ${error.message}\n`);
      return 2;
    }
    const output = { json: options.json ?? false, write: (text: string) => void process.stdout.write(text) };
    if (!output.json) process.stdout.write(`run ${control.runId}: ${playbookId}\n`);
    return exitCodeOf(await driveHeadless(runtime.store, control, output, ask));
  } finally {
    await runtime.stop();
  }
}

export const registerRunCommand: CommandRegistration = (program) => {
  program
    .command('run')
    .description('run a playbook without the cockpit: one line per step, the exit code is the verdict (0 passed, 1 failed, 2 invalid input or playbook)')
    .argument('<playbook>', 'playbook id (opsdeck playbooks list)')
    .option('--input <name=value>', 'an input value; repeatable', collect, [])
    .option('--yes', 'answer yes/no confirmations with yes (typed names and second operators still need a terminal)')
    .option('--json', 'one JSON object per line: each step transition, then the run')
    .action(async (playbookId: string, options: RunCommandOptions) => {
      const code = await runPlaybook(program, playbookId, options);
      // Engine sockets may linger: the verdict is in, leave.
      process.exit(code);
    });
};
