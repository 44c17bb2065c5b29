// Shape of the optional opsdeck.yaml, its defaults and the resolved config.
// Every object is strict: an unknown key (usually a typo) is an error rather
// than a silently ignored setting.

import { z } from 'zod';
import { describeValue } from './located-problems';
import { LIMITS } from './config-defaults';
import { incidentFileSchema } from './incident-config';
import { alertmanagerFileSchema, prometheusFileSchema } from './sources-config';

export * from './config-defaults';

const percentSchema = z.number().min(0).max(100);

const levelsSchema = z.strictObject({
  warning: percentSchema.optional(),
  critical: percentSchema.optional(),
});

const dockerEngineSchema = z.strictObject({
  name: z.string().min(1),
  type: z.literal('docker'),
  host: z.string().min(1),
  sshConfig: z.string().min(1).optional(),
});

const podmanEngineSchema = z.strictObject({
  name: z.string().min(1),
  type: z.literal('podman'),
  /** Default: the rootful socket as root, else $XDG_RUNTIME_DIR/podman/podman.sock. */
  host: z.string().min(1).optional(),
  /** A name from `podman system connection list` (containers.conf service destinations). */
  connection: z.string().min(1).optional(),
});

const pathListSchema = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
  error: (issue) => `expected a file or a list of files, got ${describeValue(issue.input)}`,
});

/** One kubeconfig context (its API server URL is read from the kubeconfig, never written here). */
const kubernetesEngineSchema = z.strictObject({
  name: z.string().min(1),
  type: z.literal('kubernetes'),
  /** A file, a KUBECONFIG-style path list, or a list of files; absolute or ~/. Default: $KUBECONFIG, else ~/.kube/config. */
  kubeconfig: pathListSchema.optional(),
  /** Default: the kubeconfig's current-context. */
  context: z.string().min(1).optional(),
  /** Default: all namespaces. */
  namespace: z.string().min(1).optional(),
});

/** `type` may be left out for a Docker engine (the only kind before Podman). */
const engineSchema = z.preprocess(
  (value) => (value !== null && typeof value === 'object' && !Array.isArray(value) && !('type' in value) ? { ...value, type: 'docker' } : value),
  z.discriminatedUnion('type', [dockerEngineSchema, podmanEngineSchema, kubernetesEngineSchema]),
);

const integerInRange = (range: { minimum: number; maximum: number }) => z.number().int().min(range.minimum).max(range.maximum);

/** opsdeck.yaml as written: every key optional. */
export const configFileSchema = z.strictObject({
  engines: z.array(engineSchema).min(1).optional(),
  thresholds: z
    .strictObject({
      cpu: levelsSchema.optional(),
      memory: levelsSchema.optional(),
      disk: levelsSchema.optional(),
    })
    .optional(),
  errors: z
    .strictObject({
      patterns: z.array(z.string()).optional(),
      extraPatterns: z.array(z.string()).optional(),
      maxFingerprints: integerInRange(LIMITS.maxFingerprints).optional(),
    })
    .optional(),
  disk: z
    .strictObject({
      paths: z.array(z.string().min(1)).optional(),
    })
    .optional(),
  logs: z
    .strictObject({
      since: z.string().optional(),
      maxLineBytes: integerInRange(LIMITS.maxLineBytes).optional(),
      bufferLines: integerInRange(LIMITS.bufferLines).optional(),
    })
    .optional(),
  kubernetes: z
    .strictObject({
      pendingThreshold: z.string().optional(),
    })
    .optional(),
  /** Each entry is validated on its own (config/gates-config.ts): a bad one does not stop the others. */
  gates: z.array(z.unknown()).optional(),
  incident: incidentFileSchema.optional(),
  prometheus: prometheusFileSchema.optional(),
  alertmanager: alertmanagerFileSchema.optional(),
});

export type ConfigFile = z.infer<typeof configFileSchema>;
