import { compileErrorPatterns, DEFAULT_ERROR_PATTERNS } from '../../src/domain/fingerprint';
import { DEFAULT_THRESHOLDS } from '../../src/domain/thresholds';
import { createOpsdeckStore, type OpsdeckStore } from '../../src/store/create-opsdeck-store';
import type { StoreOptions } from '../../src/store/store-types';

/** A real store with the runbook defaults, flushing quickly. */
export function createTestStore(options: Partial<StoreOptions> = {}): OpsdeckStore {
  return createOpsdeckStore({
    thresholds: DEFAULT_THRESHOLDS,
    errorPatterns: compileErrorPatterns([...DEFAULT_ERROR_PATTERNS]),
    maxFingerprints: 200,
    logBufferLines: 2000,
    readOnly: false,
    flushIntervalMs: 20,
    ...options,
  });
}
