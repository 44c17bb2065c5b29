// Which actions the selection offers: the selected instance and the verbs it supports in its
// phase (the hint bar offers none in read-only mode; refusing is the action executor's call).

import { verbsFor, type LifecycleVerb } from '../../domain/engine-action';
import type { Instance } from '../../domain/types';
import type { OpsdeckState } from '../store-types';
import { selectTargetInstance } from './selection-targets';

/** Why `verb` cannot be asked for on `instance` right now (its engine is away, an action runs on it). */
export function refusalForTarget(state: Pick<OpsdeckState, 'engines' | 'actionsInFlight'>, verb: LifecycleVerb, instance: Instance): string | undefined {
  const engine = state.engines[instance.ref.engineId];
  if (engine && engine.state !== 'connected') return `${verb}: engine ${engine.label} is ${engine.state}`;
  const inFlight = state.actionsInFlight[instance.key];
  if (inFlight) return `${instance.ref.name}: ${inFlight.verb} still running`;
  return undefined;
}

/** Verbs the key table offers for the current selection (none in read-only mode). */
export function selectOfferedVerbs(state: OpsdeckState): readonly LifecycleVerb[] {
  if (state.readOnly) return [];
  const target = selectTargetInstance(state);
  if ('reason' in target) return [];
  return verbsFor(target.instance);
}
