// `container` gates: from the live state alone (no I/O), whether the service, Deployment or
// container named runs enough instances (running and not unhealthy; with `expect: healthy`,
// passing their healthcheck or Ready), naming the offenders. The workload is bound for recovery.

import { listText } from '../../domain/gates';
import type { Instance } from '../../domain/types';
import type { ContainerCheck, GateChecker, GateOutcome } from '../gate-types';
import { abortedOutcome, unknownOutcome } from './check-support';
import { liveStateKnown, missingTargetText, resolveGateTarget } from './gate-targets';

/** Offenders listed in the evidence. */
const LISTED_OFFENDERS = 20;

function satisfies(instance: Instance, expect: ContainerCheck['expect']): boolean {
  if (instance.phase !== 'running') return false;
  return expect === 'healthy' ? instance.health === 'healthy' : instance.health !== 'unhealthy';
}

/** "shop-api-2 unhealthy", "shop-api-3 exited (OOMKilled)". */
function offenceOf(instance: Instance, expect: ContainerCheck['expect']): string {
  if (instance.phase !== 'running') return `${instance.ref.name} ${instance.state}${instance.reason ? ` (${instance.reason})` : ''}`;
  if (instance.health === 'unhealthy') return `${instance.ref.name} unhealthy`;
  return `${instance.ref.name} ${expect === 'healthy' ? `health ${instance.health}` : instance.state}`;
}

export function judgeContainers(check: ContainerCheck, instances: readonly Instance[]): Pick<GateOutcome, 'status' | 'detail' | 'evidence'> {
  const minimum = check.minimum ?? 1;
  const word = check.expect === 'healthy' ? 'healthy' : 'running';
  const good = instances.filter((instance) => satisfies(instance, check.expect));
  const offenders = instances.filter((instance) => !satisfies(instance, check.expect)).map((instance) => offenceOf(instance, check.expect));
  const count = `${good.length}/${instances.length} ${word}`;
  const evidence = { value: count, comparison: `>= ${minimum} ${word}`, ...(offenders.length > 0 ? { items: offenders.slice(0, LISTED_OFFENDERS) } : {}) };
  if (good.length < minimum) {
    const because = offenders.length > 0 ? `: ${listText(offenders)}` : instances.length === 0 ? ': no instance' : '';
    return { status: 'fail', detail: `${check.target}: ${count}, minimum ${minimum}${because}`, evidence };
  }
  // Enough of them, but some are not: it holds, and the detail still names them.
  const note = offenders.length > 0 ? ` (${listText(offenders)})` : '';
  return { status: 'pass', detail: `${check.target}: ${count}${note}`, evidence };
}

export function createContainerChecker(): GateChecker<ContainerCheck> {
  return {
    type: 'container',
    run(check, context) {
      if (context.signal.aborted) return Promise.resolve(abortedOutcome());
      const state = context.state();
      const resolved = resolveGateTarget(state, check.target, check.engine);
      if (!resolved) {
        const missing = missingTargetText(check.target, check.engine);
        return Promise.resolve(liveStateKnown(state) ? { status: 'fail', detail: missing, evidence: { error: missing } } : unknownOutcome(`${missing} (no engine connected yet)`));
      }
      const outcome: GateOutcome = judgeContainers(check, resolved.instances);
      if (resolved.workloadKey !== undefined) outcome.workloadKey = resolved.workloadKey;
      return Promise.resolve(outcome);
    },
  };
}
