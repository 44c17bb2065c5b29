// `opsdeck journal list|show|verify`: the run journals of this operator, for the terminal and
// for incident reports.

import type { Command } from 'commander';
import type { CommandRegistration } from '../cli-options';
import { formatJournalMarkdown, formatJournalText } from '../../journal/journal-markdown';
import { listRuns, matchingRuns, readJournal, verifyJournal } from '../../journal/journal-reader';
import { clean, formatUtc } from '../../journal/journal-timeline';
import type { RunSummary } from '../../journal/journal-types';
import { runsDirectory } from '../../journal/state-directory';

export const registerJournalCommand: CommandRegistration = (program: Command) => {
  const journal = program.command('journal').description('the journals of playbook runs ($XDG_STATE_HOME/opsdeck/runs): list, show, verify');

  journal
    .command('list')
    .description('runs, newest first: id, playbook, operator, start (UTC), verdict, or unfinished/running')
    .option('--json', 'machine-readable output')
    .action((options: { json?: boolean }) => {
      const directory = runsDirectory();
      const runs = listRuns(directory);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
        return;
      }
      if (runs.length === 0) {
        process.stdout.write(`no runs journaled in ${directory}\n`);
        return;
      }
      process.stdout.write(formatRunTable(runs));
    });

  journal
    .command('show <run-id>')
    .description('the timeline of a run (id or unique prefix): who, what, when, outputs, verdicts')
    .option('--markdown', 'Markdown, ready to paste into an incident report')
    .action((runIdOrPrefix: string, options: { markdown?: boolean }) => {
      const run = resolveRun(runIdOrPrefix);
      if (!run) return;
      const { records, problems } = readJournal(run.path);
      const timelineOptions = { path: run.path, verification: verifyJournal(run.path), problems, running: run.running };
      process.stdout.write(options.markdown ? formatJournalMarkdown(records, timelineOptions) : formatJournalText(records, timelineOptions));
    });

  journal
    .command('verify <run-id>')
    .description("recompute a run's hash chain: exit 0 when intact, 1 with where it breaks")
    .action((runIdOrPrefix: string) => {
      const run = resolveRun(runIdOrPrefix);
      if (!run) return;
      const verification = verifyJournal(run.path);
      const notes = (verification.notes ?? []).map((note) => `  note: ${note}\n`).join('');
      if (verification.ok) {
        process.stdout.write(`verified: run ${run.runId}: hash chain intact over ${verification.records} records (${run.path})\n${notes}`);
        process.exitCode = 0;
      } else {
        process.stdout.write(`broken: run ${run.runId}: ${verification.problem} (${run.path})\n${notes}`);
        process.exitCode = 1;
      }
    });
};

/** The run an id or prefix names; otherwise one line on stderr and exit code 2. */
function resolveRun(runIdOrPrefix: string): RunSummary | undefined {
  const directory = runsDirectory();
  const matches = matchingRuns(directory, runIdOrPrefix);
  if (matches.length === 1) return matches[0];
  process.stderr.write(
    matches.length === 0
      ? `opsdeck: no run ${JSON.stringify(runIdOrPrefix)} in ${directory} (opsdeck journal list shows the runs)\n`
      : `opsdeck: ${JSON.stringify(runIdOrPrefix)} matches ${matches.length} runs (${matches.map((run) => run.runId).join(', ')}): give more of the id\n`,
  );
  process.exitCode = 2;
  return undefined;
}

function runState(run: RunSummary): string {
  return run.verdict ?? (run.running ? 'running' : 'unfinished');
}

function formatRunTable(runs: readonly RunSummary[]): string {
  const rows = [
    ['RUN', 'PLAYBOOK', 'OPERATOR', 'STARTED (UTC)', 'VERDICT'],
    ...runs.map((run) => [clean(run.runId), clean(run.playbookId || run.title), clean(run.operator), formatUtc(run.startedAt).replace(/ UTC$/, ''), runState(run)]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ')).join('\n') + '\n';
}
