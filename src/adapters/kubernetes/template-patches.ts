// The pod-template patches of kubectl rollout restart, set resources and set env (strategic
// merge patches, as kubectl sends them), and the before/after view of the template fields they
// change, read from the objects the server returned. Pure: no requests here.

import type { EnvChange, ResourceChange } from '../capabilities';
import { looksSecret, REDACTED } from '../../domain/secret-names';
import { toDisplayText } from '../../domain/untrusted-text';
import type { Container, PodTemplate } from './kube-objects';
import { sanitisedValue } from './kube-redaction';
import { quantityProblem } from './quantity';

export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

/** Go's time.RFC3339 in UTC, as kubectl writes restartedAt: 2026-12-01T14:20:05Z. */
export function rfc3339(nowMs: number): string {
  return new Date(Math.floor(nowMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** kubectl rollout restart's patch. */
export function restartPatch(nowMs: number): Record<string, unknown> {
  return { spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: rfc3339(nowMs) } } } } };
}

/** The containers a set resources / set env changes: the one named, else every container. */
export function chosenContainers(containers: readonly Pick<Container, 'name'>[] | undefined, wanted: string | undefined, what: string): string[] {
  const names = (containers ?? []).map((container) => container.name);
  if (wanted === undefined) {
    if (names.length === 0) throw new Error(`${what} has no containers in its pod template`);
    return names;
  }
  if (!names.includes(wanted)) throw new Error(`${what} has no container ${JSON.stringify(wanted)} (containers: ${names.join(', ') || 'none'})`);
  return [wanted];
}

/** Refuses a resource change kubectl would refuse, before anything is sent. */
export function checkResourceChange(change: ResourceChange): void {
  const fields: [string, string][] = [];
  for (const kind of ['limits', 'requests'] as const) {
    for (const [name, value] of Object.entries(change[kind] ?? {})) if (value !== undefined) fields.push([`${kind}.${name}`, value]);
  }
  if (fields.length === 0) throw new Error('set resources: give at least one limit or request (cpu, memory)');
  for (const [field, value] of fields) {
    const problem = quantityProblem(field, value);
    if (problem) throw new Error(`set resources: ${problem}`);
  }
}

function definedQuantities(quantities: ResourceChange['limits']): Record<string, string> | undefined {
  const entries = Object.entries(quantities ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

/** kubectl set resources: limits and requests of each chosen container (containers merge by name). */
export function resourcesPatch(containerNames: readonly string[], change: ResourceChange): Record<string, unknown> {
  const limits = definedQuantities(change.limits);
  const requests = definedQuantities(change.requests);
  const resources = { ...(limits ? { limits } : {}), ...(requests ? { requests } : {}) };
  return { spec: { template: { spec: { containers: containerNames.map((name) => ({ name, resources })) } } } };
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export function checkEnvChange(change: EnvChange): void {
  const names = Object.keys(change.env);
  if (names.length === 0) throw new Error('set env: give at least one variable (NAME=value, or NAME- to remove it)');
  for (const name of names) if (!ENV_NAME.test(name)) throw new Error(`set env: ${JSON.stringify(name)} is not a valid environment variable name`);
}

/**
 * kubectl set env: env entries merge by name; `null` deletes one ($patch: delete). A variable
 * that came from a secret or config map and now gets a value loses its valueFrom.
 */
export function envPatch(containers: readonly Container[], containerNames: readonly string[], change: EnvChange): Record<string, unknown> {
  const patched = containerNames.flatMap((name) => {
    const existing = containers.find((container) => container.name === name)?.env ?? [];
    const env = Object.entries(change.env).flatMap(([variable, value]): Record<string, unknown>[] => {
      const present = existing.find((entry) => entry.name === variable);
      // A delete directive for a variable a container does not have would add it, empty.
      if (value === null) return present ? [{ name: variable, $patch: 'delete' }] : [];
      return [present?.valueFrom !== undefined ? { name: variable, value, valueFrom: null } : { name: variable, value }];
    });
    return env.length > 0 ? [{ name, env }] : [];
  });
  return { spec: { template: { spec: { containers: patched } } } };
}

/** The patch as a confirmation or journal shows it: values of secret-looking variables redacted. */
export function redactedEnvPatch(patch: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(patch, (key, value: unknown) => (key === 'env' && Array.isArray(value) ? value.map(redactedEntry) : value)),
  ) as Record<string, unknown>;
}

function redactedEntry(entry: { name?: string; value?: unknown }): unknown {
  return typeof entry.value === 'string' && looksSecret(entry.name ?? '') ? { ...entry, value: REDACTED } : entry;
}

/** The template fields a person reads in a before/after: annotations, and per container image, resources and env. */
export function templateFields(template: PodTemplate | undefined): Map<string, unknown> {
  const fields = new Map<string, unknown>();
  for (const [key, value] of Object.entries(template?.metadata?.annotations ?? {})) fields.set(`spec.template.metadata.annotations[${key}]`, value);
  for (const container of template?.spec?.containers ?? []) {
    const prefix = `spec.template.spec.containers[${container.name}]`;
    if (container.image !== undefined) fields.set(`${prefix}.image`, container.image);
    for (const kind of ['limits', 'requests'] as const) {
      for (const [name, value] of Object.entries(container.resources?.[kind] ?? {})) fields.set(`${prefix}.resources.${kind}.${name}`, value);
    }
    for (const entry of container.env ?? []) {
      const value = entry.valueFrom !== undefined ? { valueFrom: entry.valueFrom } : (entry.value ?? '');
      fields.set(`${prefix}.env[${entry.name}]`, looksSecret(entry.name) && typeof value === 'string' ? REDACTED : value);
    }
  }
  return fields;
}

/** The fields that differ between two templates, as [before, after] (undefined: absent), sanitised. */
export function templateChanges(before: PodTemplate | undefined, after: PodTemplate | undefined): Record<string, [unknown, unknown]> {
  const old = templateFields(before);
  const updated = templateFields(after);
  const changes: Record<string, [unknown, unknown]> = {};
  for (const key of new Set([...old.keys(), ...updated.keys()])) {
    const was = old.get(key);
    const now = updated.get(key);
    if (JSON.stringify(was) !== JSON.stringify(now)) changes[toDisplayText(key)] = [sanitisedValue(was), sanitisedValue(now)];
  }
  return changes;
}

