// Gates as a pipeline (issue 8): what a configured gate is (its spec, resolved from opsdeck.yaml),
// what a check answers (outcome and evidence), and the interfaces between the scheduler that owns
// the timers, the checkers that run one check, and the store that keeps results and flips.
//
//   opsdeck.yaml gates: -> GateSpec[] (config/gates-config.ts, file:line per bad entry)
//   GateScheduler (runtime) -> GateChecker.run(check, context) -> GateOutcome
//   store gateChecked(id, result) -> gate slice (results, flips) -> pipeline (pure) -> views

import type { ActionExecutor } from '../domain/engine-action';
import type { GateEvidence, GateResult, GateStatus, RefKey } from '../domain/types';
import type { AlertmanagerClient, PrometheusClient } from '../adapters/prometheus/source-types';
import type { OpsdeckState } from '../store/store-types';

export type { GateEvidence, GateResult, GateStatus };

/** How bad a failing gate is (its alert's severity). */
export type GateSeverity = 'critical' | 'warning' | 'info';

/** What a check itself can answer; `pending` and `blocked` are the pipeline's and the scheduler's. */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'unknown';

/** `.metrics.avg_query_time_ms < 1000`, `.sealed == false`: a JSON path compared with a literal. */
export interface ValueComparison {
  /** As written, for evidence and errors. */
  source: string;
  /** Path segments after the leading dot: `.a.b[0]` -> ['a', 'b', 0]. Empty: the whole document. */
  path: Array<string | number>;
  operator: '<' | '<=' | '>' | '>=' | '==' | '!=';
  value: number | string | boolean | null;
}

export interface HttpCheck {
  type: 'http';
  method: 'GET' | 'HEAD' | 'POST' | 'PUT';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Default [200..399] as curl -f; a list of accepted codes when written. */
  expectStatus?: number[];
  /** Regex the body must match. */
  bodyMatches?: string;
  /** The body parsed as JSON and compared. */
  json?: ValueComparison;
  /** Default true; false only when written (`tlsVerify: false`). */
  tlsVerify: boolean;
  /** A CA bundle (PEM file) for private CAs. */
  caFile?: string;
}

export interface TcpCheck {
  type: 'tcp';
  host: string;
  port: number;
}

/** An argv on the host (never a shell string), or `exec` in a container of a service. */
export interface CommandCheck {
  type: 'command';
  argv: string[];
  /** Run inside this container or compose service (`engine/project/service`, `service` or a container name) through the action executor's exec. */
  exec?: { target: string; engine?: string };
  /** Default [0]. */
  expectExit?: number[];
  /** Regex the output (stdout+stderr) must match. */
  outputMatches?: string;
  /** Output parsed as JSON and compared (`vault status -format=json` with `.sealed == false`). */
  json?: ValueComparison;
}

/** State and health of a service or container from the live state (no I/O). */
export interface ContainerCheck {
  type: 'container';
  /** A compose service, a Deployment, or a container name; `engine` narrows. */
  target: string;
  engine?: string;
  /** Default: running and not unhealthy; `healthy` requires a passing healthcheck. */
  expect: 'running' | 'healthy';
  /** Minimum running instances; default 1. */
  minimum?: number;
}

export interface CertificateCheck {
  type: 'certificate';
  /** A PEM file, or a TLS endpoint host:port (SNI = host). Exactly one. */
  file?: string;
  endpoint?: { host: string; port: number; serverName?: string };
  warningDays: number;
  criticalDays: number;
}

export interface BackupCheck {
  type: 'backup';
  /** Glob of backup files (`/var/backups/db/*.sql.gz`); the newest by mtime is judged. */
  glob: string;
  maxAgeMs: number;
  minimumBytes?: number;
}

export interface DiskCheck {
  type: 'disk';
  path: string;
  /** Percent used at which the gate warns / fails. */
  warningPercent: number;
  criticalPercent: number;
}

/** A status report written by a script (runbook 001's exports/deterministic-status.json, failed_gate.txt). */
export interface FileCheck {
  type: 'file';
  path: string;
  /** JSON field compared; absent: the file must exist (and `contentMatches`, when written, match). */
  json?: ValueComparison;
  contentMatches?: string;
  /** The file must be newer than this. */
  maxAgeMs?: number;
  /** The gate passes when the file is absent (failed_gate.txt). Default false. */
  absentPasses?: boolean;
}

export interface PrometheusCheck {
  type: 'prometheus';
  query: string;
  /** Each sample's value compared (`< 0.05`): every series must hold; no series = `unknown` unless `emptyPasses`. */
  comparison: Omit<ValueComparison, 'path'> & { path: [] };
  emptyPasses?: boolean;
}

export interface AlertmanagerCheck {
  type: 'alertmanager';
  /** Labels an alert must carry to count (`{severity: critical}`); empty: any firing alert fails. */
  matchers: Record<string, string>;
}

/** One of BUILT_IN_GATES (src/domain/gates.ts) placed in the pipeline with a stage, code or playbook. */
export interface BuiltInCheck {
  type: 'built-in';
  gate: string;
}

export type GateCheck =
  | HttpCheck
  | TcpCheck
  | CommandCheck
  | ContainerCheck
  | CertificateCheck
  | BackupCheck
  | DiskCheck
  | FileCheck
  | PrometheusCheck
  | AlertmanagerCheck
  | BuiltInCheck;

export type GateCheckType = GateCheck['type'];

/** A recovery playbook and how its inputs are bound (`{deployment: '{{gate.workload}}'}` or literals). */
export interface GateRecovery {
  playbook: string;
  inputs: Record<string, string>;
}

/** Where a configured gate was written (for errors and `enter`). */
export interface GateOrigin {
  file: string;
  line: number;
}

/** A configured gate, validated and resolved (durations in ms, paths absolute). */
export interface GateSpec {
  id: string;
  title: string;
  /** Pipeline order; gates of a stage run when every earlier stage passes. Absent: independent. */
  stage?: number;
  /** `G5_DEPLOY_VAULT`: named by `opsdeck check` and the report on the first failure. */
  failureCode?: string;
  severity: GateSeverity;
  intervalMs: number;
  timeoutMs: number;
  recovery?: GateRecovery;
  check: GateCheck;
  origin: GateOrigin;
}

/** A `gates:` entry that failed validation: listed as invalid, the others still load and run. */
export interface InvalidGate {
  /** The entry's id when it had one, else `gates[3]`. */
  id: string;
  file: string;
  line: number;
  /** One line: `opsdeck.yaml:12:9: gates[3].check.url: expected a URL, got "x"`. */
  message: string;
}

export interface GateOutcome {
  status: CheckStatus;
  /** One line for the panel. */
  detail: string;
  evidence?: GateEvidence;
  /** A workload to bind the recovery playbook's target to. */
  workloadKey?: RefKey;
}

/** A change of a gate's status, kept in the store (bounded) and journaled during an incident. */
export interface GateFlip {
  gateId: string;
  at: number;
  from: GateStatus;
  to: GateStatus;
  detail: string;
}

/** What a checker may use; it must honour `signal` (the scheduler aborts it at the gate's timeout). */
export interface GateCheckContext {
  signal: AbortSignal;
  now(): number;
  /** `command` with exec and nothing else: engine actions go through the one executor. */
  executor: ActionExecutor;
  /** The live state, read (never written) by `container` and `built-in` checks. */
  state(): OpsdeckState;
  prometheus?: PrometheusClient;
  alertmanager?: AlertmanagerClient;
}

/** Runs one type of check. Never throws: an error is an `unknown` or `fail` outcome with evidence.error. */
export interface GateChecker<Check extends GateCheck = GateCheck> {
  type: Check['type'];
  run(check: Check, context: GateCheckContext): Promise<GateOutcome>;
}

export interface GateScheduler {
  /** Starts the timers (live cockpit). */
  start(): void;
  /** Runs every gate once in pipeline order (stage by stage; blocked stages are not run) and resolves with the final results (`opsdeck check`). */
  runOnce(options?: { gateIds?: readonly string[] }): Promise<GateResult[]>;
  /** Runs one gate now (the panel's refresh key). */
  runNow(gateId: string): void;
  stop(): void;
}
