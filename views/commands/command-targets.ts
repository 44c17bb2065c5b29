// Targets of the `:` commands, named the way the screen shows them: a container name
// (shop-api-1), a service as project/service (shop/api) or, when only one project has
// it, the service alone (api); a container id prefix works too. With several engines,
// `engine:` before any of these picks the engine (local:shop-api-1).

import type { Instance, RefKey } from '../../src/domain/types';
import { groupOf } from '../../src/domain/types';
import { workloadLabelOf } from '../../src/store/selectors/error-rows';
import type { OpsdeckState } from '../../src/store/store-types';

export type TargetResolution = { instances: Instance[]; workloadKey: RefKey } | { error: string };

const MIN_ID_PREFIX = 4;

function servicesByName(instances: readonly Instance[]): Map<string, Instance[]> {
  const byName = new Map<string, Instance[]>();
  const add = (name: string, instance: Instance) => byName.set(name, [...(byName.get(name) ?? []), instance]);
  for (const instance of instances) {
    add(`${groupOf(instance)}/${instance.workload.name}`, instance);
    add(instance.workload.name, instance);
  }
  return byName;
}

/** The instances `name` may mean: all, or those of the engine an `engine:` prefix names. */
function candidates(state: OpsdeckState, name: string): { instances: Instance[]; name: string } {
  const all = Object.values(state.instances);
  const colon = name.indexOf(':');
  if (colon > 0) {
    const prefix = name.slice(0, colon);
    const engine = Object.values(state.engines).find((candidate) => candidate.label === prefix || candidate.id === prefix);
    if (engine) return { instances: all.filter((instance) => instance.ref.engineId === engine.id), name: name.slice(colon + 1) };
  }
  return { instances: all, name };
}

/** Every name a target can be given by, for tab completion: containers, then services. */
export function targetNames(state: OpsdeckState): string[] {
  const instances = Object.values(state.instances);
  const names = new Set<string>();
  for (const instance of instances) names.add(instance.ref.name);
  for (const [name, members] of servicesByName(instances)) {
    if (new Set(members.map((member) => member.workloadKey)).size === 1) names.add(name);
  }
  return [...names].sort((left, right) => left.localeCompare(right));
}

function engineLabelOf(state: OpsdeckState, instance: Instance): string {
  return state.engines[instance.ref.engineId]?.label ?? instance.ref.engineId;
}

/** The instances (and their workload) that `name` stands for, or why it stands for none. */
export function resolveTarget(state: OpsdeckState, written: string): TargetResolution {
  const { instances, name } = candidates(state, written);
  const byName = instances.filter((instance) => instance.ref.name === name);
  if (byName.length > 1) {
    return { error: `"${name}" is on several engines: ${byName.map((instance) => `${engineLabelOf(state, instance)}:${name}`).join(', ')}` };
  }
  const [named] = byName;
  if (named) return { instances: [named], workloadKey: named.workloadKey };
  const members = servicesByName(instances).get(name) ?? [];
  const workloadKeys = [...new Set(members.map((member) => member.workloadKey))];
  if (workloadKeys.length > 1) return { error: `"${name}" is a service of several projects or engines: ${workloadKeys.map(workloadLabelOf).join(', ')}` };
  const [workloadKey] = workloadKeys;
  if (workloadKey !== undefined) return { instances: members.sort((left, right) => left.ref.name.localeCompare(right.ref.name)), workloadKey };
  if (name.length >= MIN_ID_PREFIX) {
    const byId = instances.filter((instance) => instance.ref.uid?.startsWith(name));
    const [only] = byId;
    if (byId.length === 1 && only) return { instances: [only], workloadKey: only.workloadKey };
  }
  return { error: `no container or service "${written}"` };
}

/** The one instance `name` stands for (an action needs exactly one), or why not. */
export function resolveInstance(state: OpsdeckState, name: string): { instance: Instance } | { error: string } {
  const target = resolveTarget(state, name);
  if ('error' in target) return target;
  const [first, ...others] = target.instances;
  if (!first) return { error: `no container or service "${name}"` };
  if (others.length > 0) return { error: `${name} has ${target.instances.length} containers: name one (${target.instances.map((instance) => instance.ref.name).join(', ')})` };
  return { instance: first };
}
