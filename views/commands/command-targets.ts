// Targets of the `:` commands, named the way the screen shows them: a container name
// (shop-api-1), a service as project/service (shop/api) or, when only one project has
// it, the service alone (api); a container id prefix works too.

import { serviceKeyOf, type ContainerInfo, type ServiceKey } from '../../src/domain/types';
import { serviceLabelOf } from '../../src/store/selectors/error-rows';
import type { OpsdeckState } from '../../src/store/store-types';

export type TargetResolution = { containers: ContainerInfo[]; serviceKey: ServiceKey } | { error: string };

const MIN_ID_PREFIX = 4;

function servicesByName(containers: readonly ContainerInfo[]): Map<string, ContainerInfo[]> {
  const byName = new Map<string, ContainerInfo[]>();
  const add = (name: string, container: ContainerInfo) => byName.set(name, [...(byName.get(name) ?? []), container]);
  for (const container of containers) {
    add(serviceLabelOf(serviceKeyOf(container)), container);
    add(container.service, container);
  }
  return byName;
}

/** Every name a target can be given by, for tab completion: containers, then services. */
export function targetNames(state: OpsdeckState): string[] {
  const containers = Object.values(state.containers);
  const names = new Set<string>();
  for (const container of containers) names.add(container.name);
  for (const [name, members] of servicesByName(containers)) {
    if (new Set(members.map((member) => serviceKeyOf(member))).size === 1) names.add(name);
  }
  return [...names].sort((left, right) => left.localeCompare(right));
}

/** The containers (and their service) that `name` stands for, or why it stands for none. */
export function resolveTarget(state: OpsdeckState, name: string): TargetResolution {
  const containers = Object.values(state.containers);
  const byName = containers.find((container) => container.name === name);
  if (byName) return { containers: [byName], serviceKey: serviceKeyOf(byName) };
  const members = servicesByName(containers).get(name) ?? [];
  const serviceKeys = [...new Set(members.map((member) => serviceKeyOf(member)))];
  if (serviceKeys.length > 1) return { error: `"${name}" is a service of several projects: ${serviceKeys.map(serviceLabelOf).join(', ')}` };
  const [serviceKey] = serviceKeys;
  if (serviceKey !== undefined) return { containers: members.sort((left, right) => left.name.localeCompare(right.name)), serviceKey };
  if (name.length >= MIN_ID_PREFIX) {
    const byId = containers.filter((container) => container.id.startsWith(name));
    const [only] = byId;
    if (byId.length === 1 && only) return { containers: [only], serviceKey: serviceKeyOf(only) };
  }
  return { error: `no container or service "${name}"` };
}

/** The one container `name` stands for (an action needs exactly one), or why not. */
export function resolveContainer(state: OpsdeckState, name: string): { container: ContainerInfo } | { error: string } {
  const target = resolveTarget(state, name);
  if ('error' in target) return target;
  const [first, ...others] = target.containers;
  if (!first) return { error: `no container or service "${name}"` };
  if (others.length > 0) return { error: `${name} has ${target.containers.length} containers: name one (${target.containers.map((container) => container.name).join(', ')})` };
  return { container: first };
}
