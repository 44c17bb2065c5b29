// `built-in` gates: one of BUILT_IN_GATES (engines reachable, no restarting or unhealthy
// instances, disk, memory, deployments available) placed in the pipeline, evaluated over the
// live state as the health slice evaluates them (same input, same evaluate).

import { BUILT_IN_GATES, evaluateGates } from '../../domain/gates';
import { gateInputOf } from '../../store/slices/health-slice';
import type { BuiltInCheck, CheckStatus, GateChecker, GateOutcome } from '../gate-types';
import { abortedOutcome, unknownOutcome } from './check-support';

const CHECK_STATUSES: ReadonlySet<string> = new Set<CheckStatus>(['pass', 'fail', 'warn', 'unknown']);

export function createBuiltInChecker(): GateChecker<BuiltInCheck> {
  return {
    type: 'built-in',
    run(check, context) {
      if (context.signal.aborted) return Promise.resolve(abortedOutcome());
      const definition = BUILT_IN_GATES.find((gate) => gate.id === check.gate);
      if (!definition) return Promise.resolve(unknownOutcome(`no built-in gate ${check.gate} (known: ${BUILT_IN_GATES.map((gate) => gate.id).join(', ')})`));
      const [result] = evaluateGates(gateInputOf(context.state()), context.now(), [definition]);
      if (!result) return Promise.resolve(unknownOutcome(`${definition.title}: does not apply to the engines configured`));
      const status = CHECK_STATUSES.has(result.status) ? (result.status as CheckStatus) : 'unknown';
      const outcome: GateOutcome = { status, detail: result.detail };
      if (result.workloadKey !== undefined) outcome.workloadKey = result.workloadKey;
      return Promise.resolve(outcome);
    },
  };
}
