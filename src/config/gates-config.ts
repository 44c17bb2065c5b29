// opsdeck.yaml `gates:`: each entry validated on its own (strict zod, file:line:col per problem),
// so a malformed entry is listed as invalid while the other gates load and run.
//
//   - id: G5
//     title: Deploy vault
//     stage: 5
//     failureCode: G5_DEPLOY_VAULT
//     interval: 30s
//     timeout: 10s
//     recovery: { playbook: vault-seal-status, inputs: { container: '{{ gate.workload }}' } }
//     check: { type: command, argv: [vault, status, -format=json], exec: vault, json: '.sealed == false' }

import { z } from 'zod';
import { formatDuration } from '../domain/duration';
import type { GateSpec, InvalidGate } from '../gates/gate-types';
import { ID_PATTERN } from '../playbooks/playbook-schema';
import { parseTemplate } from '../playbooks/template';
import { ConfigError } from './config-error';
import { BUILT_IN_GATE_IDS, checkProblems, gateCheckFileSchema, resolveCheck, unitDurationSchema } from './gate-check-schema';
import { errorForSource, issueMessage, lineOfPath, problemFromIssue, type ConfigProblem, type PathSegment, type YamlSource } from './located-problems';

export interface GatesConfig {
  specs: GateSpec[];
  invalid: InvalidGate[];
}

export const NO_GATES: GatesConfig = { specs: [], invalid: [] };

export const DEFAULT_GATE_INTERVAL_MS = 30_000;
export const DEFAULT_GATE_TIMEOUT_MS = 10_000;

/** `G5`, `vault-sealed`, `backup.db`. */
const GATE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** `G5_DEPLOY_VAULT`. */
const FAILURE_CODE_PATTERN = /^[A-Z0-9][A-Z0-9_]*$/;

/** `{{ gate.workload }}`, `{{ gate.id }}`, literals: what a recovery input may be bound to. */
const recoveryInputSchema = z.string().superRefine((value, context) => {
  const parsed = parseTemplate(value);
  if ('problem' in parsed) {
    context.addIssue({ code: 'custom', message: parsed.problem, input: value });
    return;
  }
  for (const part of parsed.parts) {
    if ('reference' in part && !(part.reference.kind === 'binding' && part.reference.root === 'gate')) {
      context.addIssue({ code: 'custom', message: `{{ ${part.source} }}: a recovery input binds gate.id, gate.detail or gate.workload only`, input: value });
      return;
    }
  }
});

const gateEntrySchema = z.strictObject({
  id: z.string().regex(GATE_ID_PATTERN, 'expected letters, digits, ".", "_" and "-", starting with a letter or digit (e.g. G5)'),
  title: z.string().trim().min(1),
  stage: z.number().int().min(0).optional(),
  failureCode: z.string().regex(FAILURE_CODE_PATTERN, 'expected upper-case letters, digits and "_" (e.g. G5_DEPLOY_VAULT)').optional(),
  severity: z.enum(['critical', 'warning', 'info']).default('critical'),
  interval: unitDurationSchema.optional(),
  timeout: unitDurationSchema.optional(),
  recovery: z
    .strictObject({
      playbook: z.string().regex(ID_PATTERN, 'expected a playbook id (lower-case letters, digits and "-", e.g. vault-seal-status)'),
      inputs: z.record(z.string(), recoveryInputSchema).default({}),
    })
    .optional(),
  check: gateCheckFileSchema,
});

type GateEntryFile = z.infer<typeof gateEntrySchema>;

/**
 * The `gates:` list as written (each entry still unknown), its source for lines, and the directory
 * relative paths resolve against (the config file's). Never throws: problems become InvalidGate.
 * A later entry reusing an id (or a built-in gate's id) is the invalid one.
 */
export function resolveGates(entries: readonly unknown[] | undefined, source: YamlSource | undefined, baseDirectory: string): GatesConfig {
  if (entries === undefined || entries.length === 0) return NO_GATES;
  const specs: GateSpec[] = [];
  const invalid: InvalidGate[] = [];
  const seen = new Map<string, number>();
  const fileName = source?.fileName ?? 'opsdeck.yaml';
  entries.forEach((entry, index) => {
    const at = (...segments: PathSegment[]): PathSegment[] => ['gates', index, ...segments];
    const line = source ? lineOfPath(at(), source) : 0;
    const parsed = gateEntrySchema.safeParse(entry, { error: issueMessage });
    const problems: ConfigProblem[] = parsed.success
      ? entryProblems(parsed.data, seen, at)
      : parsed.error.issues.map((issue) => {
          const problem = problemFromIssue(issue);
          return { ...problem, path: at(...problem.path) };
        });
    const writtenId = idOf(entry);
    if (problems.length > 0 || !parsed.success) {
      invalid.push({ id: writtenId ?? `gates[${index}]`, file: fileName, line, message: messageFor(problems, source) });
      return;
    }
    seen.set(parsed.data.id, index);
    specs.push(specOf(parsed.data, baseDirectory, { file: fileName, line }));
  });
  return { specs, invalid };
}

function entryProblems(entry: GateEntryFile, seen: ReadonlyMap<string, number>, at: (...segments: PathSegment[]) => PathSegment[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const earlier = seen.get(entry.id);
  if (earlier !== undefined) problems.push({ path: at('id'), detail: `duplicate gate id ${JSON.stringify(entry.id)} (also gates[${earlier}])`, target: 'value' });
  if (entry.check.type !== 'built-in' && BUILT_IN_GATE_IDS.includes(entry.id)) {
    problems.push({ path: at('id'), detail: `${JSON.stringify(entry.id)} is a built-in gate's id (place it with check: {type: built-in, gate: ${entry.id}})`, target: 'value' });
  }
  const interval = entry.interval ?? DEFAULT_GATE_INTERVAL_MS;
  const timeout = entry.timeout ?? DEFAULT_GATE_TIMEOUT_MS;
  if (timeout >= interval) {
    const field = entry.timeout !== undefined ? 'timeout' : 'interval';
    problems.push({ path: at(field), detail: `timeout (${formatDuration(timeout)}) must be shorter than interval (${formatDuration(interval)})`, target: 'value' });
  }
  for (const problem of checkProblems(entry.check)) problems.push({ path: at('check', problem.key), detail: problem.detail, target: problem.target });
  return problems;
}

function specOf(entry: GateEntryFile, baseDirectory: string, origin: GateSpec['origin']): GateSpec {
  const spec: GateSpec = {
    id: entry.id,
    title: entry.title,
    severity: entry.severity,
    intervalMs: entry.interval ?? DEFAULT_GATE_INTERVAL_MS,
    timeoutMs: entry.timeout ?? DEFAULT_GATE_TIMEOUT_MS,
    check: resolveCheck(entry.check, baseDirectory),
    origin,
  };
  if (entry.stage !== undefined) spec.stage = entry.stage;
  if (entry.failureCode !== undefined) spec.failureCode = entry.failureCode;
  if (entry.recovery !== undefined) spec.recovery = { playbook: entry.recovery.playbook, inputs: entry.recovery.inputs };
  return spec;
}

/** The entry's first problem as one located line: `opsdeck.yaml:12:9: gates[3].check.url: ...`. */
function messageFor(problems: ConfigProblem[], source: YamlSource | undefined): string {
  if (source) return errorForSource(problems, source).message;
  const first = problems[0];
  const field = (first?.path ?? []).reduce<string>((name, segment) => (typeof segment === 'number' ? `${name}[${segment}]` : name === '' ? segment : `${name}.${segment}`), '');
  return new ConfigError({ file: 'opsdeck.yaml', field, detail: first?.detail ?? 'invalid gate' }).message;
}

function idOf(entry: unknown): string | undefined {
  if (entry === null || typeof entry !== 'object') return undefined;
  const id = (entry as Record<string, unknown>)['id'];
  return typeof id === 'string' && id !== '' ? id : undefined;
}
