// The `check:` of a configured gate as written in opsdeck.yaml, one strict shape per `type`,
// resolved into a GateCheck: comparisons parsed (`.sealed == false`), regexes compiled once to
// prove them, durations in ms (`maxAge: 26h`), relative paths against the config's directory.

import path from 'node:path';
import { z } from 'zod';
import { BUILT_IN_GATES } from '../domain/gates';
import { parseDurationWithUnit } from '../domain/duration';
import { DEFAULT_THRESHOLDS } from '../domain/thresholds';
import type { GateCheck, ValueComparison } from '../gates/gate-types';
import { parseComparison } from '../gates/value-comparison';
import { codeListSchema, parsedValue } from '../playbooks/playbook-schema';
import { describeValue } from './located-problems';

export const GATE_CHECK_TYPES = ['http', 'tcp', 'command', 'container', 'certificate', 'backup', 'disk', 'file', 'prometheus', 'alertmanager', 'built-in'] as const;

/** Certificates warn 30 days before they expire and fail 7 days before, unless written. */
export const DEFAULT_CERTIFICATE_DAYS = { warning: 30, critical: 7 } as const;

/** A duration that needs its unit (`30s`, `26h`, `2h30m`). */
export const unitDurationSchema = parsedValue<number>((value) => {
  if (typeof value !== 'string') return { problem: `expected a duration such as 30s, 5m or 26h, got ${describeValue(value)}` };
  try {
    const milliseconds = parseDurationWithUnit(value);
    return milliseconds > 0 ? { value: milliseconds } : { problem: 'must be longer than 0' };
  } catch (error) {
    return { problem: (error as Error).message };
  }
});

function comparisonSchema(pathAllowed: boolean) {
  return parsedValue<ValueComparison>((value) => {
    if (typeof value !== 'string') return { problem: `expected a comparison such as ${pathAllowed ? '".sealed == false"' : '"< 0.05"'}, got ${describeValue(value)}` };
    try {
      return { value: parseComparison(value, { pathAllowed }) };
    } catch (error) {
      return { problem: (error as Error).message };
    }
  });
}

const regexSchema = parsedValue<string>((value) => {
  if (typeof value !== 'string' || value === '') return { problem: `expected a regular expression, got ${describeValue(value)}` };
  try {
    new RegExp(value);
    return { value };
  } catch (error) {
    return { problem: `invalid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}` };
  }
});

const urlSchema = parsedValue<string>((value) => {
  if (typeof value !== 'string') return { problem: `expected an http:// or https:// URL, got ${describeValue(value)}` };
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return { problem: `expected an http:// or https:// URL, got ${JSON.stringify(value)}` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { problem: `expected an http:// or https:// URL, got ${JSON.stringify(value)}` };
  return { value };
});

const text = z.string().min(1);
const port = z.number().int().min(1).max(65535);
const percent = z.number().min(0).max(100);
const days = z.number().min(0);

/** `vault` or `{target: vault, engine: local}`. */
const execSchema = z.preprocess(
  (value) => (typeof value === 'string' ? { target: value } : value),
  z.strictObject({ target: text, engine: text.optional() }),
);

/** `host:port` or `{host, port, serverName}`. */
const endpointSchema = z.preprocess(
  (value) => {
    if (typeof value !== 'string') return value;
    const match = /^(.+):(\d+)$/.exec(value);
    return match ? { host: match[1], port: Number(match[2]) } : value;
  },
  z.strictObject({ host: text, port, serverName: text.optional() }, { error: (issue) => `expected host:port or a mapping with host and port, got ${describeValue(issue.input)}` }),
);

const httpSchema = z.strictObject({
  type: z.literal('http'),
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT']).default('GET'),
  url: urlSchema,
  headers: z.record(z.string(), z.string()).optional(),
  body: z.string().optional(),
  expectStatus: codeListSchema.optional(),
  bodyMatches: regexSchema.optional(),
  json: comparisonSchema(true).optional(),
  tlsVerify: z.boolean().default(true),
  caFile: text.optional(),
});

const tcpSchema = z.strictObject({ type: z.literal('tcp'), host: text, port });

const commandSchema = z.strictObject({
  type: z.literal('command'),
  argv: z.array(z.string(), { error: (issue) => `expected the command as a list of arguments (never a shell string), got ${describeValue(issue.input)}` }).min(1),
  exec: execSchema.optional(),
  expectExit: codeListSchema.optional(),
  outputMatches: regexSchema.optional(),
  json: comparisonSchema(true).optional(),
});

const containerSchema = z.strictObject({
  type: z.literal('container'),
  target: text,
  engine: text.optional(),
  expect: z.enum(['running', 'healthy']).default('running'),
  minimum: z.number().int().min(1).optional(),
});

const certificateSchema = z.strictObject({
  type: z.literal('certificate'),
  file: text.optional(),
  endpoint: endpointSchema.optional(),
  warningDays: days.default(DEFAULT_CERTIFICATE_DAYS.warning),
  criticalDays: days.default(DEFAULT_CERTIFICATE_DAYS.critical),
});

const backupSchema = z.strictObject({
  type: z.literal('backup'),
  glob: text,
  maxAge: unitDurationSchema,
  minimumBytes: z.number().int().min(0).optional(),
});

const diskSchema = z.strictObject({
  type: z.literal('disk'),
  path: text,
  warningPercent: percent.default(DEFAULT_THRESHOLDS.disk.warning),
  criticalPercent: percent.default(DEFAULT_THRESHOLDS.disk.critical),
});

const fileSchema = z.strictObject({
  type: z.literal('file'),
  path: text,
  json: comparisonSchema(true).optional(),
  contentMatches: regexSchema.optional(),
  maxAge: unitDurationSchema.optional(),
  absentPasses: z.boolean().default(false),
});

const prometheusSchema = z.strictObject({
  type: z.literal('prometheus'),
  query: text,
  comparison: comparisonSchema(false),
  emptyPasses: z.boolean().optional(),
});

const alertmanagerSchema = z.strictObject({
  type: z.literal('alertmanager'),
  matchers: z.record(z.string(), z.string()).default({}),
});

export const BUILT_IN_GATE_IDS = BUILT_IN_GATES.map((gate) => gate.id) as [string, ...string[]];

const builtInSchema = z.strictObject({ type: z.literal('built-in'), gate: z.enum(BUILT_IN_GATE_IDS) });

export const gateCheckFileSchema = z.discriminatedUnion('type', [
  httpSchema,
  tcpSchema,
  commandSchema,
  containerSchema,
  certificateSchema,
  backupSchema,
  diskSchema,
  fileSchema,
  prometheusSchema,
  alertmanagerSchema,
  builtInSchema,
]);

export type GateCheckFile = z.infer<typeof gateCheckFileSchema>;

/** A problem found after the shape: the key under `check` it is about, and what is wrong. */
export interface CheckProblem {
  key: string;
  detail: string;
  target: 'value' | 'key' | 'parent';
}

/** Rules across keys: one certificate source, warning before critical. */
export function checkProblems(check: GateCheckFile): CheckProblem[] {
  switch (check.type) {
    case 'certificate':
      if (check.file !== undefined && check.endpoint !== undefined) return [{ key: 'endpoint', detail: 'give either file or endpoint, not both', target: 'key' }];
      if (check.file === undefined && check.endpoint === undefined) return [{ key: 'file', detail: 'give a PEM file or a TLS endpoint (host:port)', target: 'parent' }];
      if (check.warningDays <= check.criticalDays) {
        return [{ key: 'warningDays', detail: `warningDays (${check.warningDays}) must be more than criticalDays (${check.criticalDays})`, target: 'value' }];
      }
      return [];
    case 'disk':
      if (check.warningPercent >= check.criticalPercent) {
        return [{ key: 'warningPercent', detail: `warningPercent (${check.warningPercent}) must be below criticalPercent (${check.criticalPercent})`, target: 'value' }];
      }
      return [];
    default:
      return [];
  }
}

/** The check as the checkers take it: paths absolute, durations in ms, defaults applied. */
export function resolveCheck(check: GateCheckFile, baseDirectory: string): GateCheck {
  const resolvePath = (written: string): string => path.resolve(baseDirectory, written);
  switch (check.type) {
    case 'http': {
      const { caFile, ...rest } = check;
      return { ...rest, ...(caFile !== undefined ? { caFile: resolvePath(caFile) } : {}) };
    }
    case 'certificate': {
      const { file, endpoint, ...rest } = check;
      return { ...rest, ...(file !== undefined ? { file: resolvePath(file) } : {}), ...(endpoint !== undefined ? { endpoint } : {}) };
    }
    case 'backup': {
      const { maxAge, glob, ...rest } = check;
      return { ...rest, glob: resolvePath(glob), maxAgeMs: maxAge };
    }
    case 'disk':
      return { ...check, path: resolvePath(check.path) };
    case 'file': {
      const { maxAge, absentPasses, ...rest } = check;
      return { ...rest, path: resolvePath(check.path), ...(maxAge !== undefined ? { maxAgeMs: maxAge } : {}), ...(absentPasses ? { absentPasses } : {}) };
    }
    case 'prometheus':
      return { ...check, comparison: { ...check.comparison, path: [] } };
    default:
      return check;
  }
}
