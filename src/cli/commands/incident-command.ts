// `opsdeck incident report [--markdown] [--incident ID]`: the report of the latest incident (or
// the one named, by id or a prefix only it has) from its journal, in the runbooks' shape, then
// the status updates runbook 004 posts. Exit 2 when there is no such incident.

import path from 'node:path';
import type { Command } from 'commander';
import { listIncidents, readIncidentRecords, type IncidentSummary } from '../../incident/incident-journal';
import { textsFromRecords } from '../../incident/incident-texts';
import { incidentsDirectory, opsdeckStateDirectory } from '../../journal/state-directory';
import { loadConfigOrExit, type CommandRegistration, type GlobalOptions } from '../cli-options';

/** The incident named (exactly, else by a prefix only one has) or the latest; else one line on stderr and exit code 2. */
function resolveIncident(directory: string, named: string | undefined): IncidentSummary | undefined {
  const incidents = listIncidents(directory);
  const matches = named === undefined ? incidents.slice(0, 1) : incidents.some((incident) => incident.id === named) ? incidents.filter((incident) => incident.id === named) : incidents.filter((incident) => incident.id.startsWith(named));
  if (matches.length === 1) return matches[0];
  process.stderr.write(
    matches.length === 0
      ? `opsdeck: ${named === undefined ? 'no incident journaled' : `no incident ${JSON.stringify(named)}`} in ${directory} (i in the cockpit declares one)\n`
      : `opsdeck: ${JSON.stringify(named)} matches ${matches.length} incidents (${matches.map((incident) => incident.id).join(', ')}): give more of the id\n`,
  );
  process.exitCode = 2;
  return undefined;
}

export const registerIncidentCommand: CommandRegistration = (program: Command) => {
  const incident = program.command('incident').description('incidents declared in the cockpit ($XDG_STATE_HOME/opsdeck/incidents): their reports');
  incident
    .command('report')
    .description('the report of the latest incident (impact, detection, timeline, actions taken, duration, root cause, resolution, prevention) and its status updates')
    .option('--markdown', 'Markdown, ready to paste into a post-mortem')
    .option('--incident <id>', 'the incident (id or unique prefix; default: the latest)')
    .action(async (options: { markdown?: boolean; incident?: string }) => {
      const config = await loadConfigOrExit(program.opts<GlobalOptions>());
      const summary = resolveIncident(incidentsDirectory(), options.incident);
      if (!summary) return;
      const { records } = readIncidentRecords(summary.path);
      const texts = textsFromRecords({ records, config: config.incident, runsDirectory: path.join(opsdeckStateDirectory(), 'runs'), now: Date.now(), markdown: options.markdown ?? false });
      if (!texts) {
        process.stderr.write(`opsdeck: ${summary.path} has no declared record\n`);
        process.exitCode = 2;
        return;
      }
      const updates = [texts.detected, ...(texts.resolved ? [texts.resolved] : [])];
      const statusUpdates = options.markdown ? ['## Status updates', ...updates.flatMap((update) => ['', '```text', update, '```'])] : ['Status updates', ...updates.flatMap((update) => ['', update])];
      process.stdout.write(`${texts.report}\n${statusUpdates.join('\n')}\n`);
    });
};
