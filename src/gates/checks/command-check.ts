// `command` gates: an argv on the host (spawned through the host commands, never a shell) or
// `exec` inside a container through the one action executor, judged by the exit code (default
// 0), an output regex and a JSON comparison of stdout (`vault status -format=json` with
// `.sealed == false`). A gate's command is a check, so its exec is a read (`mutates: false`):
// the executor and the adapters let reads run in read-only mode and refuse every mutation.

import type { HostCommands } from '../../adapters/host/host-commands';
import type { ActionResult, EngineAction, InstanceTarget } from '../../domain/engine-action';
import { formatDuration } from '../../domain/duration';
import type { CommandCheck, GateCheckContext, GateChecker, GateEvidence, GateOutcome } from '../gate-types';
import { BACKSTOP_TIMEOUT_MS, READ_LIMIT_CHARACTERS, abortedOutcome, errorText, excerptOf, guarded, isOutcome, judgeJson, patternOrOutcome, patternText, unknownOutcome } from './check-support';
import { liveStateKnown, missingTargetText, resolveGateTarget } from './gate-targets';

/** What a command answered, wherever it ran. */
interface CommandRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** Where it ran, for the detail: `on the host`, `in vault-1`. */
  where: string;
  workloadKey?: string;
}

export function createCommandChecker(host: HostCommands): GateChecker<CommandCheck> {
  return {
    type: 'command',
    run: (check, context) =>
      guarded(context.signal, async () => {
        const pattern = patternOrOutcome(check.outputMatches);
        if (isOutcome(pattern)) return pattern;
        const ran = check.exec ? await runInContainer(check, check.exec, context) : await runOnHost(check, host, context);
        if (isOutcome(ran)) return ran;
        return judgeRun(check, ran, pattern);
      }),
  };
}

async function runOnHost(check: CommandCheck, host: HostCommands, context: GateCheckContext): Promise<CommandRun | GateOutcome> {
  try {
    const result = await host.run(check.argv, { mutates: false, timeoutMs: BACKSTOP_TIMEOUT_MS, signal: context.signal, maxOutputCharacters: READ_LIMIT_CHARACTERS });
    if (context.signal.aborted) return abortedOutcome();
    return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr, durationMs: result.durationMs, where: 'on the host' };
  } catch (error) {
    if (context.signal.aborted) return abortedOutcome();
    // It did not start (no such program): the gate's command is not there, which is a failure.
    const message = errorText(error);
    return { status: 'fail', detail: message, evidence: { error: message } };
  }
}

/** The container to exec in: the target itself, or a running instance of the service it names. */
function execTarget(check: CommandCheck, exec: NonNullable<CommandCheck['exec']>, context: GateCheckContext): { target: InstanceTarget; workloadKey?: string } | GateOutcome {
  const state = context.state();
  const resolved = resolveGateTarget(state, exec.target, exec.engine);
  const missing = missingTargetText(exec.target, exec.engine);
  if (!resolved) return liveStateKnown(state) ? { status: 'fail', detail: missing, evidence: { error: missing } } : unknownOutcome(`${missing} (no engine connected yet)`);
  const chosen = resolved.instances.find((instance) => instance.phase === 'running') ?? resolved.instances[0];
  if (!chosen) return { status: 'fail', detail: `${exec.target} has no container to run ${check.argv[0] ?? 'the command'} in`, evidence: { error: 'no instance' } };
  return resolved.workloadKey === undefined ? { target: chosen.ref } : { target: chosen.ref, workloadKey: resolved.workloadKey };
}

async function runInContainer(check: CommandCheck, exec: NonNullable<CommandCheck['exec']>, context: GateCheckContext): Promise<CommandRun | GateOutcome> {
  const resolved = execTarget(check, exec, context);
  if (isOutcome(resolved)) return resolved;
  const action: EngineAction = { verb: 'exec', target: resolved.target, argv: check.argv, mutates: false };
  const result: ActionResult = await context.executor.execute(action, { signal: context.signal, timeoutMs: BACKSTOP_TIMEOUT_MS, dryRun: false });
  if (context.signal.aborted) return abortedOutcome();
  const bound = resolved.workloadKey === undefined ? {} : { workloadKey: resolved.workloadKey };
  const name = resolved.target.name;
  if (result.status === 'refused') return { ...unknownOutcome(`exec in ${name} refused: ${toLine(result.error)}`), ...bound };
  if (result.status !== 'done' || result.output?.exitCode === undefined) {
    const message = `exec in ${name} failed: ${toLine(result.error ?? 'no exit code')}`;
    return { status: 'fail', detail: message, evidence: { error: message }, ...bound };
  }
  return {
    exitCode: result.output.exitCode,
    stdout: bounded(result.output.stdout ?? ''),
    stderr: bounded(result.output.stderr ?? ''),
    durationMs: result.durationMs,
    where: `in ${name}`,
    ...bound,
  };
}

function toLine(text: string | undefined): string {
  return errorText(text ?? 'unknown error');
}

/** The executor keeps about 1 MiB of an exec's output; a gate judges the first READ_LIMIT_CHARACTERS. */
function bounded(text: string): string {
  return text.length <= READ_LIMIT_CHARACTERS ? text : text.slice(0, READ_LIMIT_CHARACTERS);
}

function judgeRun(check: CommandCheck, ran: CommandRun, pattern: RegExp | undefined): GateOutcome {
  const output = ran.stderr === '' ? ran.stdout : ran.stdout === '' ? ran.stderr : `${ran.stdout}\n${ran.stderr}`;
  const evidence: GateEvidence = { exitCode: ran.exitCode, outputExcerpt: excerptOf(output) };
  const bound = ran.workloadKey === undefined ? {} : { workloadKey: ran.workloadKey };
  const program = check.argv[0] ?? 'command';
  const expected = check.expectExit ?? [0];
  if (!expected.includes(ran.exitCode)) {
    return { status: 'fail', detail: `${program} ${ran.where}: exit code ${ran.exitCode}, expected ${expected.join(', ')}`, evidence, ...bound };
  }
  if (pattern && !pattern.test(output)) {
    return { status: 'fail', detail: `${program} ${ran.where}: output does not match ${patternText(pattern)}`, evidence, ...bound };
  }
  if (check.json) {
    const judged = judgeJson(ran.stdout, check.json, 'output');
    const judgedEvidence = { ...evidence, ...judged.evidence };
    return { status: judged.holds ? 'pass' : 'fail', detail: `${program} ${ran.where}: ${judged.detail}`, evidence: judgedEvidence, ...bound };
  }
  return { status: 'pass', detail: `${program} ${ran.where}: exit code ${ran.exitCode} in ${formatDuration(ran.durationMs)}`, evidence, ...bound };
}
