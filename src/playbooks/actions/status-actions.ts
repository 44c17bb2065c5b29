// services.status and errors.recent: reports from the live state (the same selectors the
// cockpit's panels use), for health checks and incident notes.

import { z } from 'zod';
import { formatDuration } from '../../domain/duration';
import { parseRefKey, refKey } from '../../domain/resource-ref';
import { groupOf, type ErrorFingerprint, type Instance, type RefKey } from '../../domain/types';
import { compareFingerprints, errorMessageOf, workloadLabelOf, workloadNameOf } from '../../store/selectors/error-rows';
import { buildServiceTree } from '../../store/selectors/service-tree';
import type { OpsdeckState } from '../../store/store-types';
import type { ActionContext, StepOutcome } from './action-registry';
import { defineAction } from './define-action';
import { durationParam, nameParam, positiveIntegerParam } from './param-types';

/** Containers in the order of the services panel (engine, project, service, replica). */
function containersInTreeOrder(state: OpsdeckState): Instance[] {
  const tree = buildServiceTree({ workloads: state.workloads, instances: state.instances, engines: state.engines, engineOrder: state.engineOrder, collapsedProjects: {}, filter: '' });
  return tree.rows.flatMap((row) => {
    const instance = row.instanceKey === undefined ? undefined : state.instances[row.instanceKey];
    return instance ? [instance] : [];
  });
}

/** Why a container is not well, or undefined: restarting, unhealthy, exited non-zero. */
function problemOf(instance: Instance): string | undefined {
  if (instance.phase === 'restarting' || instance.phase === 'crash-loop') return 'restarting';
  if (instance.health === 'unhealthy') return 'unhealthy';
  if ((instance.phase === 'exited' || instance.phase === 'failed') && instance.exitCode !== undefined && instance.exitCode !== 0) return `exited ${instance.exitCode}`;
  return undefined;
}

export function alignColumns(rows: readonly string[][]): string[] {
  const widths = rows.reduce<number[]>((result, row) => row.map((cell, index) => Math.max(result[index] ?? 0, cell.length)), []);
  return rows.map((row) => row.map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index] ?? 0))).join('  '));
}

const servicesStatus = defineAction({
  name: 'services.status',
  summary: 'One line per container (engine, service, state, health, restarts, uptime); fails when one is restarting, unhealthy or exited non-zero',
  params: z.strictObject({ project: nameParam.optional(), engine: nameParam.optional() }),
  mutates: () => false,
  describe: () => [],
  run(values, context) {
    const now = context.now();
    const containers = containersInTreeOrder(context.state()).filter(
      (instance) => (values.engine === undefined || instance.ref.engineId === values.engine) && (values.project === undefined || groupOf(instance) === values.project),
    );
    const scope = [values.project && `project ${values.project}`, values.engine && `engine ${values.engine}`].filter(Boolean).join(' on ');
    if (containers.length === 0) {
      const outcome: StepOutcome = { status: scope ? 'failed' : 'passed', calls: [], stdout: `no containers${scope ? ` in ${scope}` : ''}`, data: { containers: 0, problems: [] } };
      return Promise.resolve(scope ? { ...outcome, error: outcome.stdout } : outcome);
    }
    const problems: string[] = [];
    const rows = containers.map((instance) => {
      const problem = problemOf(instance);
      if (problem) problems.push(`${instance.ref.name} ${problem}`);
      const uptime = instance.phase === 'running' && instance.startedAt !== undefined ? `up ${formatDuration(now - instance.startedAt)}` : '-';
      return [instance.ref.engineId, workloadLabelOf(instance.workloadKey), instance.ref.name, instance.state, instance.health, `${instance.restartCount} restarts`, uptime];
    });
    const outcome: StepOutcome = { status: 'passed', calls: [], stdout: alignColumns(rows).join('\n'), data: { containers: containers.length, problems } };
    return Promise.resolve(problems.length > 0 ? { ...outcome, status: 'failed', error: problems.join('; ') } : outcome);
  },
});

/** Whether a fingerprint was seen in `service` (`project/service`, `service` or a ref key). */
function seenIn(fingerprint: ErrorFingerprint, service: string): boolean {
  const asKey = parseRefKey(service);
  const wanted: (key: RefKey) => boolean = asKey
    ? (key) => key === refKey(asKey)
    : service.includes('/')
      ? (key) => workloadLabelOf(key) === service
      : (key) => workloadNameOf(key) === service;
  return fingerprint.workloadKeys.some(wanted);
}

const DEFAULT_SINCE_MS = 60 * 60 * 1000;
const DEFAULT_LIMIT = 20;

function recentErrors(values: { service?: string | undefined; since: number; limit: number }, context: ActionContext): StepOutcome {
  const cutoff = context.now() - values.since;
  const matching = context
    .state()
    .fingerprints.filter((fingerprint) => fingerprint.lastSeen >= cutoff && (values.service === undefined || seenIn(fingerprint, values.service)))
    .sort(compareFingerprints);
  const count = matching.reduce((total, fingerprint) => total + fingerprint.count, 0);
  const shown = matching.slice(0, values.limit);
  const lines = shown.flatMap((fingerprint) => [
    `${fingerprint.count}× ${errorMessageOf(fingerprint.fingerprint)} (${fingerprint.workloadKeys.map(workloadLabelOf).join(', ')})`,
    `    newest: ${fingerprint.sampleLine}`,
  ]);
  if (matching.length > shown.length) lines.push(`… ${matching.length - shown.length} more`);
  const scope = `${values.service ? ` in ${values.service}` : ''} in the last ${formatDuration(values.since)}`;
  return { status: 'passed', calls: [], stdout: lines.length > 0 ? lines.join('\n') : `no errors${scope}`, data: { count, fingerprints: matching.length } };
}

const errorsRecent = defineAction({
  name: 'errors.recent',
  summary: 'Error fingerprints seen recently (most frequent first) with counts and the newest line',
  params: z.strictObject({ service: nameParam.optional(), since: durationParam.default(DEFAULT_SINCE_MS), limit: positiveIntegerParam.default(DEFAULT_LIMIT) }),
  mutates: () => false,
  describe: () => [],
  run: (values, context) => Promise.resolve(recentErrors(values, context)),
});

export const STATUS_ACTIONS = [servicesStatus, errorsRecent];
