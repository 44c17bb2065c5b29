// `opsdeck check [--json] [--gate ID...] [--report FILE]`: the gates of opsdeck.yaml run once in
// pipeline order (as runbook 001's wrapper runs G0-G9), one line per gate, blocked ones too.
// Exit 0 when every gate passes (a warning passes), 1 when any fails or could not be checked,
// naming the first failure code, 2 on a configuration error (an invalid gate entry, an unknown
// --gate). Without configured gates it checks the built-in ones (engines, containers, host).
// `--report FILE` writes the JSON status report atomically; `--json` prints it.

import type { Command } from 'commander';
import path from 'node:path';
import type { OpsdeckConfig } from '../../config/schema';
import type { GateEvidence, GateResult } from '../../domain/types';
import type { GateSpec } from '../../gates/gate-types';
import { failureCodeOf, firstFailure } from '../../gates/pipeline';
import { writeSharedFile } from '../../journal/shared-files';
import { createRuntime } from '../../runtime/runtime';
import { selectGatePipeline } from '../../store/selectors/gate-rows';
import { collect, loadConfigOrExit, type CommandRegistration, type GlobalOptions } from '../cli-options';

interface CheckOptions {
  json?: boolean;
  gate: string[];
  report?: string;
}

/** The JSON status report (`--report`, `--json`). */
export interface CheckReport {
  timestamp: string;
  gates: Array<{ id: string; title: string; stage: number | null; status: GateResult['status']; detail: string; evidence: GateEvidence | null; durationMs: number | null }>;
  /** The first failing gate's failure code (its id when it has none), null when all pass. */
  firstFailureCode: string | null;
}

export const registerCheckCommand: CommandRegistration = (program: Command) => {
  program
    .command('check')
    .description(
      'run the gates of opsdeck.yaml once in pipeline order (the built-in gates when none is configured); exit 0 when all pass, 1 when any fails (naming the first failure code), 2 on a configuration error',
    )
    .option('--json', 'print the JSON status report instead of one line per gate')
    .option('--gate <id>', 'check only this gate; repeatable', collect, [])
    .option('--report <file>', 'write the JSON status report (timestamp, gates with status and evidence, first failure code) to this file')
    .action(async (options: CheckOptions) => {
      const config = await loadConfigOrExit(program.opts<GlobalOptions>());
      process.exitCode = await runCheck(config, options);
    });
};

async function runCheck(config: OpsdeckConfig, options: CheckOptions): Promise<number> {
  if (config.gates.invalid.length > 0) {
    for (const invalid of config.gates.invalid) process.stderr.write(`opsdeck: ${invalid.message}\n`);
    return 2;
  }
  const specs = config.gates.specs;
  // The gates `check` answers for: the configured pipeline, or the built-in gates without one.
  const builtInOnly = specs.length === 0;
  const runtime = createRuntime({ config, readOnly: true, flushIntervalMs: 0 });
  try {
    const known = builtInOnly ? selectGatePipeline(runtime.store.getState()).gates.map((gate) => gate.id) : specs.map((spec) => spec.id);
    const unknown = options.gate.filter((id) => !known.includes(id));
    if (unknown.length > 0) {
      process.stderr.write(`opsdeck: unknown gate ${unknown.join(', ')} (gates: ${known.join(', ')})\n`);
      return 2;
    }
    const selected = options.gate.length > 0 ? options.gate : undefined;
    // Engines are read once first when a gate reads the live state (built-in and container gates, exec).
    if (builtInOnly || specs.some((spec) => (selected?.includes(spec.id) ?? true) && readsEngines(spec))) await runtime.collectOnce();
    const results = builtInOnly
      ? selectGatePipeline(runtime.store.getState()).gates.filter((gate) => selected?.includes(gate.id) ?? true)
      : await runtime.gates.runOnce(selected ? { gateIds: selected } : {});
    const report = reportOf(results);
    if (options.report !== undefined) writeReport(path.resolve(options.report), report);
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatCheckText(results));
    return report.firstFailureCode === null ? 0 : 1;
  } finally {
    await runtime.stop();
  }
}

function readsEngines(spec: GateSpec): boolean {
  return spec.check.type === 'built-in' || spec.check.type === 'container' || (spec.check.type === 'command' && spec.check.exec !== undefined);
}

export function reportOf(results: readonly GateResult[], now = new Date()): CheckReport {
  const first = firstFailure(results);
  return {
    timestamp: now.toISOString(),
    gates: results.map((gate) => ({
      id: gate.id,
      title: gate.title,
      stage: gate.stage ?? null,
      status: gate.status,
      detail: gate.detail,
      evidence: gate.evidence ?? null,
      durationMs: gate.durationMs ?? null,
    })),
    firstFailureCode: first ? failureCodeOf(first) : null,
  };
}

/** `PASS     G0   Preflight         exports/preflight.ok exists`, then the first failure. */
export function formatCheckText(results: readonly GateResult[]): string {
  const idWidth = Math.max(2, ...results.map((gate) => gate.id.length));
  const titleWidth = Math.min(40, Math.max(5, ...results.map((gate) => gate.title.length)));
  const lines = results.map((gate) => `${gate.status.toUpperCase().padEnd(8)} ${gate.id.padEnd(idWidth)}  ${gate.title.padEnd(titleWidth)}  ${gate.detail}`);
  const first = firstFailure(results);
  if (first) lines.push('', `first failure: ${failureCodeOf(first)} (${first.id} ${first.title})`);
  else lines.push('', `all ${results.length} gate${results.length === 1 ? '' : 's'} pass`);
  return `${lines.join('\n')}\n`;
}

/** Written whole under a temporary name, then renamed: a reader never sees half a report. */
function writeReport(file: string, report: CheckReport): void {
  writeSharedFile(file, `${JSON.stringify(report, null, 2)}\n`, { exclusive: false });
}
