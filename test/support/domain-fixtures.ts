// Plain domain objects for unit tests: a compose container of project "shop" and its stats.
import type { ContainerInfo, ContainerStatsSample } from '../../src/domain/types';

export const FIXED_NOW = 1_800_000_000_000;

/** Container `id` of service `id` in project shop, running, no healthcheck. */
export function container(id: string, overrides: Partial<ContainerInfo> = {}): ContainerInfo {
  return {
    id,
    engineId: 'local',
    name: `shop-${id}-1`,
    image: 'shop/api:1',
    project: 'shop',
    service: id,
    state: 'running',
    health: 'none',
    restartCount: 0,
    createdAt: FIXED_NOW - 3_600_000,
    ...overrides,
  };
}

/** A stats sample; memory use in bytes equals the percentage of a 100-byte limit. */
export function stats(containerId: string, cpuPercent: number, memoryPercent = 10): ContainerStatsSample {
  return { containerId, cpuPercent, memoryUsageBytes: memoryPercent, memoryLimitBytes: 100, memoryPercent, sampledAt: FIXED_NOW };
}
