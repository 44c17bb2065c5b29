// The configuration's shape once resolved and its defaults, without the file's schema: the
// cockpit started without a config file reads these and never loads zod or yaml (schema.ts
// validates a file, and re-exports everything here).

import type { Thresholds } from '../domain/types';
import { DEFAULT_ERROR_PATTERNS } from '../domain/fingerprint';
import { DEFAULT_THRESHOLDS } from '../domain/thresholds';
import { parseDurationWithUnit } from '../domain/duration';
import type { GatesConfig } from './gates-config';
import type { IncidentConfig } from '../incident/incident-types';
import type { AlertmanagerConfig, PrometheusConfig } from '../adapters/prometheus/source-types';
import { DEFAULT_INCIDENT_CONFIG } from './incident-defaults';

export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';
/** Rootful Podman's API socket (`podman system service`, the podman.socket unit). */
export const DEFAULT_PODMAN_ROOT_HOST = 'unix:///run/podman/podman.sock';
export const ENGINE_HOST_SCHEMES: readonly string[] = ['unix', 'tcp', 'ssh', 'npipe'];
export const ENGINE_TYPES = ['docker', 'podman', 'kubernetes'] as const;

export const LIMITS = {
  maxFingerprints: { minimum: 1, maximum: 100_000 },
  maxLineBytes: { minimum: 256, maximum: 1024 * 1024 },
  bufferLines: { minimum: 10, maximum: 1_000_000 },
} as const;

export interface DockerEngineConfig {
  name: string;
  type: 'docker';
  /** unix://, tcp://, ssh:// or npipe:// URL. */
  host: string;
  /** ssh:// only: an ssh client configuration file passed to `ssh -F` (default ~/.ssh/config). */
  sshConfig?: string;
}

/** Podman through its Docker-compatible API (`podman system service`). */
export interface PodmanEngineConfig {
  name: string;
  type: 'podman';
  /** unix:// or tcp:// URL; resolved from `connection` or the default socket when not written. */
  host: string;
  /** The `podman system connection` it came from, when named. */
  connection?: string;
}

/** One Kubernetes context (kubeconfig as kubectl reads it). */
export interface KubernetesEngineConfig {
  name: string;
  type: 'kubernetes';
  /** kubeconfig files in KUBECONFIG order (resolved at load: the named files, else $KUBECONFIG's, else ~/.kube/config). */
  kubeconfig: string[];
  /** The context; the kubeconfig's current-context when not written (resolved at load). */
  context: string;
  /** The namespace watched; undefined: all namespaces (-A). */
  namespace?: string;
  /** The API server's URL, for the header (resolved from the kubeconfig at load). */
  host: string;
}

/** One engine, discriminated by `type`. */
export type EngineConfig = DockerEngineConfig | PodmanEngineConfig | KubernetesEngineConfig;

/** The configuration with every default applied. */
export interface OpsdeckConfig {
  engines: EngineConfig[];
  thresholds: Thresholds;
  errors: {
    /** Effective pattern sources: `patterns` (or the defaults) followed by `extraPatterns`. */
    patterns: string[];
    maxFingerprints: number;
  };
  disk: {
    /** Configured paths; the root filesystem and the docker data root are always watched. */
    paths: string[];
  };
  logs: {
    /** As written, e.g. "1h". */
    since: string;
    sinceMs: number;
    maxLineBytes: number;
    /** Lines kept per service. */
    bufferLines: number;
  };
  /** Cockpit settings for Kubernetes contexts (the contexts themselves are engines). */
  kubernetes: {
    /** As written, e.g. "5m": a pod Pending longer fails its gate. */
    pendingThreshold: string;
    pendingThresholdMs: number;
  };
  /** Configured gates (`gates:`), and the entries that failed validation (listed, never fatal to the cockpit). */
  gates: GatesConfig;
  /** Classification table and escalation matrix (`incident:`), the runbooks' defaults when not written. */
  incident: IncidentConfig;
  /** `prometheus:`: queries as gates and review metrics. */
  prometheus?: PrometheusConfig;
  /** `alertmanager:`: active alerts beside the cockpit's own, acknowledged by a silence. */
  alertmanager?: AlertmanagerConfig;
}

export const DEFAULT_CONFIG: OpsdeckConfig = {
  engines: [{ name: 'local', type: 'docker', host: DEFAULT_DOCKER_HOST }],
  thresholds: DEFAULT_THRESHOLDS,
  errors: { patterns: [...DEFAULT_ERROR_PATTERNS], maxFingerprints: 500 },
  disk: { paths: [] },
  logs: { since: '1h', sinceMs: 60 * 60 * 1000, maxLineBytes: 4096, bufferLines: 2000 },
  kubernetes: { pendingThreshold: '5m', pendingThresholdMs: 5 * 60 * 1000 },
  gates: { specs: [], invalid: [] },
  incident: DEFAULT_INCIDENT_CONFIG,
};

/** Config durations need a unit (src/domain/duration.ts, shared with the playbooks). */
export const parseDuration = parseDurationWithUnit;

