import type { EngineStatus } from '../../domain/types';
import type { EnginesSlice, OpsdeckState, PendingWrites } from '../store-types';

type EnginesData = Pick<EnginesSlice, 'engines'>;

export function applyEngineWrites(state: EnginesData, pending: PendingWrites): Partial<OpsdeckState> | undefined {
  if (pending.engineChanges.size === 0) return undefined;
  const engines: Record<string, EngineStatus> = { ...state.engines };
  for (const [engineId, change] of pending.engineChanges) {
    const current = engines[engineId];
    if (!current) continue;
    const next: EngineStatus = { ...current, ...change };
    // A successful connection clears the previous error and retry time.
    if (change.state === 'connected') {
      delete next.error;
      delete next.nextRetryAt;
    }
    engines[engineId] = next;
  }
  return { engines };
}
