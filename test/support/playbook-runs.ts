// Runs a shipped playbook through the bundled CLI (`opsdeck run <id> --input k=v --yes`) with its
// own XDG_STATE_HOME, and reads back what an operator would look at afterwards: the exit code,
// the line output and the run's journal (one JSONL file under $XDG_STATE_HOME/opsdeck/runs/).
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import type { JournalRecord, StepVerdict } from '../../src/journal/journal-types';
import { BUNDLE, runInPseudoTerminal, streamText } from './pty';

const run = promisify(execFile);

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** The bundled CLI with `env` on top of this process's environment (no DOCKER_HOST leaking in), from `cwd`. */
export async function opsdeckCli(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BUNDLE, ...args], {
      env: { ...process.env, DOCKER_HOST: '', NO_COLOR: '1', ...options.env },
      cwd: options.cwd,
      maxBuffer: 64 * 1024 * 1024,
      timeout: options.timeoutMs ?? 180_000,
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; code?: number | string };
    return { stdout: failed.stdout ?? '', stderr: failed.stderr ?? String(error), code: typeof failed.code === 'number' ? failed.code : -1 };
  }
}

export interface PlaybookRun extends CliResult {
  records: JournalRecord[];
  stateHome: string;
  /** The run's journal file. */
  journal: string;
}

/** A prompt of a run on a terminal and what the operator types when it shows. */
export interface TerminalAnswer {
  prompt: RegExp;
  keys: string;
  /** What the operator does before answering (unseal Vault, fix the machine). */
  before?: () => Promise<void>;
}

const LIBRARY = path.resolve(import.meta.dirname, '../../playbooks');

/** The checklist of a manual step of a shipped playbook, as its file writes it. */
export async function checklistOf(playbook: string, stepId: string): Promise<string[]> {
  const parsed = parse(await readFile(path.join(LIBRARY, `${playbook}.yaml`), 'utf8')) as { steps: Array<{ id: string; with: { checklist?: string[] } }> };
  const items = parsed.steps.find((step) => step.id === stepId)?.with.checklist;
  if (!items) throw new Error(`${playbook} has no checklist in step ${stepId}`);
  return items;
}

/** Answers "done? [y/N]" with y for each checklist item, in order. */
export function tickAll(items: readonly string[]): TerminalAnswer[] {
  return items.map((item) => ({ prompt: new RegExp(`${item.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} done\\? \\[y/N\\]`), keys: 'y\r' }));
}

interface RunOptions {
  engines?: string[];
  extra?: string[];
  env?: NodeJS.ProcessEnv;
}

export interface PlaybookRunner {
  /** Without a terminal (stdin not a TTY): what needs an operator fails instead of waiting. */
  run(playbook: string, inputs: Record<string, string | number>, options?: RunOptions): Promise<PlaybookRun>;
  /** On a real pseudo-terminal, answering each prompt in order as it appears. */
  runOnTerminal(playbook: string, inputs: Record<string, string | number>, answers: readonly TerminalAnswer[], options?: RunOptions): Promise<PlaybookRun>;
}

async function readRunJournal(stateHome: string, result: CliResult): Promise<PlaybookRun> {
  const runs = path.join(stateHome, 'opsdeck', 'runs');
  const files = (await readdir(runs).catch(() => [] as string[])).filter((name) => name.endsWith('.jsonl'));
  if (files.length !== 1) {
    throw new Error(`expected one journal in ${runs}, found ${files.length}; exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  }
  const journal = path.join(runs, files[0] as string);
  const records = (await readFile(journal, 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as JournalRecord);
  return { ...result, records, stateHome, journal };
}

/**
 * A runner whose runs each get a fresh XDG_STATE_HOME under `scratch`, an empty XDG_CONFIG_HOME
 * and `scratch` as working directory (so only the shipped library is loaded).
 */
export function playbookRunner(scratch: string, defaultEngines: string[]): PlaybookRunner {
  const prepare = async (playbook: string, inputs: Record<string, string | number>, options: RunOptions) => {
    const stateHome = await mkdtemp(path.join(scratch, 'state-'));
    const configHome = await mkdtemp(path.join(scratch, 'config-'));
    const inputArgs = Object.entries(inputs).flatMap(([name, value]) => ['--input', `${name}=${value}`]);
    const args = ['run', playbook, ...inputArgs, '--yes', ...(options.engines ?? defaultEngines), ...(options.extra ?? [])];
    const env: Record<string, string> = { XDG_STATE_HOME: stateHome, XDG_CONFIG_HOME: configHome, DOCKER_HOST: '', NO_COLOR: '1' };
    for (const [name, value] of Object.entries(options.env ?? {})) if (value !== undefined) env[name] = value;
    return { stateHome, args, env };
  };
  return {
    async run(playbook, inputs, options = {}) {
      const { stateHome, args, env } = await prepare(playbook, inputs, options);
      return readRunJournal(stateHome, await opsdeckCli(args, { env, cwd: scratch }));
    },
    async runOnTerminal(playbook, inputs, answers, options = {}) {
      const { stateHome, args, env } = await prepare(playbook, inputs, options);
      const terminal = runInPseudoTerminal(args, { env });
      let seen = 0;
      for (const answer of answers) {
        // Each prompt is looked for after the previous answer, so two alike prompts get two answers.
        await terminal.waitForOutput((output) => answer.prompt.test(streamText(output).slice(seen)), 80_000);
        seen = streamText(terminal.output()).length;
        await answer.before?.();
        terminal.write(answer.keys);
      }
      // A run still waiting after the last answer is waiting for a prompt the test did not expect.
      let timer: NodeJS.Timeout | undefined;
      const stuck = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => {
          terminal.child.kill('SIGKILL');
          reject(new Error(`the run did not end after the last answer; last output:\n${streamText(terminal.output()).slice(-1500)}`));
        }, 60_000);
      });
      const code = await Promise.race([terminal.exited, stuck]).finally(() => clearTimeout(timer));
      return readRunJournal(stateHome, { stdout: streamText(terminal.output()), stderr: '', code: code ?? -1 });
    },
  };
}

/** The final verdict of each main step (its last attempt), by step id. */
export function stepVerdicts(run: PlaybookRun): Record<string, StepVerdict> {
  const verdicts: Record<string, StepVerdict> = {};
  for (const record of run.records) {
    if (record.type === 'step-result' && record.phase === 'main') verdicts[record.stepId] = record.verdict;
  }
  return verdicts;
}

/** Everything a step wrote (all attempts, all streams), as journaled. */
export function stepOutput(run: PlaybookRun, stepId: string): string {
  return run.records
    .filter((record): record is Extract<JournalRecord, { type: 'step-output' }> => record.type === 'step-output' && record.stepId === stepId)
    .map((record) => record.text)
    .join('\n');
}

export function runVerdict(run: PlaybookRun): string | undefined {
  const end = run.records.find((record) => record.type === 'run-end');
  return end?.type === 'run-end' ? end.verdict : undefined;
}

/** Step ids in the order their intent was journaled (what actually started). */
export function stepsStarted(run: PlaybookRun): string[] {
  const started: string[] = [];
  for (const record of run.records) {
    if (record.type === 'step-intent' && !started.includes(record.stepId)) started.push(record.stepId);
  }
  return started;
}

/** For assertion messages: the run's output and its journal's step results in one string. */
export function describeRun(run: PlaybookRun): string {
  const results = run.records
    .filter((record) => record.type === 'step-result' || record.type === 'run-end')
    .map((record) => JSON.stringify(record))
    .join('\n');
  return `exit ${run.code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}\njournal:\n${results}`;
}
