import type { Thresholds } from '../domain/types';
import type { ActionsSlice } from './slices/actions-slice';
import type { AlertsSlice } from './slices/alerts-slice';
import type { ClusterSlice } from './slices/cluster-slice';
import type { EnginesSlice } from './slices/engines-slice';
import type { ErrorsSlice } from './slices/errors-slice';
import type { HealthSlice } from './slices/health-slice';
import type { InventorySlice } from './slices/inventory-slice';
import type { ResourcesSlice } from './slices/resources-slice';
import type { RunsSlice } from './slices/runs-slice';
import type { SessionSlice } from './slices/session-slice';
import type { UiSlice } from './slices/ui-slice';
import type { GateSlice } from './slices/gate-slice';
import type { IncidentSlice } from './slices/incident-slice';
import type { SourcesSlice } from './slices/sources-slice';

export type { ActionsSlice, AlertsSlice, ClusterSlice, EnginesSlice, ErrorsSlice, GateSlice, HealthSlice, IncidentSlice, InventorySlice, ResourcesSlice, RunsSlice, SessionSlice, SourcesSlice, UiSlice };

export type OpsdeckState = EnginesSlice &
  InventorySlice &
  ResourcesSlice &
  ErrorsSlice &
  ClusterSlice &
  SourcesSlice &
  HealthSlice &
  GateSlice &
  AlertsSlice &
  IncidentSlice &
  ActionsSlice &
  RunsSlice &
  SessionSlice &
  UiSlice;

export interface StoreOptions {
  thresholds: Thresholds;
  errorPatterns: RegExp[];
  maxFingerprints: number;
  logBufferLines: number;
  readOnly: boolean;
  /** Every action only says what it would do (the exact call); nothing is sent. */
  dryRun?: boolean;
  /** Flush interval for coalesced adapter writes (100-250 ms in the cockpit). */
  flushIntervalMs: number;
  /** How long a pod may be Pending before its gate fails (default 5 min). */
  pendingThresholdMs?: number;
  /** Samples kept per instance for sparklines. */
  historyLength?: number;
  now?: () => number;
}
