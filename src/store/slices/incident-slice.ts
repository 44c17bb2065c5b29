// Incident mode (issue 8): the open incident (or the last one, resolved) and its journal's records
// so far. The runtime's incident service journals first, then writes here; views only read.

import type { Incident, IncidentConfig, IncidentRecord } from '../../incident/incident-types';
import { DEFAULT_INCIDENT_CONFIG } from '../../config/incident-defaults';
import type { SliceModule } from '../slice-module';
import { NO_PENDING } from '../slice-module';

export interface IncidentSlice {
  incidentConfig: IncidentConfig;
  incident: Incident | undefined;
  incidentRecords: IncidentRecord[];
  incidentConfigured(config: IncidentConfig): void;
  /** The incident as it now stands and the record just journaled (undefined for a state-only change). */
  incidentChanged(incident: Incident | undefined, record?: IncidentRecord): void;
  /** An open incident found at start (its journal read back): the incident and all its records. */
  incidentLoaded(incident: Incident, records: readonly IncidentRecord[]): void;
}

export const incidentSlice: SliceModule<IncidentSlice> = {
  name: 'incident',
  createPending: NO_PENDING,
  create: ({ set }) => ({
    incidentConfig: DEFAULT_INCIDENT_CONFIG,
    incident: undefined,
    incidentRecords: [],
    incidentConfigured: (config) => set({ incidentConfig: config }),
    incidentChanged: (incident, record) =>
      set((state) => ({ incident, incidentRecords: record ? [...state.incidentRecords, record] : state.incidentRecords })),
    incidentLoaded: (incident, records) => set({ incident, incidentRecords: [...records] }),
  }),
};
