// The texts of an incident from its journal's records: the incident folded from them, its
// timeline merged with the journals of the runs started while it was open, then the report and
// the status updates. Shared by the cockpit's `y` (through the incident service) and
// `opsdeck incident report`, so both say the same.

import { incidentFromRecords, runsDuring } from './incident-journal';
import { incidentTexts, type IncidentTexts } from './incident-report';
import { buildIncidentTimeline } from './incident-timeline';
import type { IncidentConfig, IncidentRecord } from './incident-types';

export interface TextsInput {
  records: readonly IncidentRecord[];
  config: IncidentConfig;
  /** Where the run journals are (<state>/runs). */
  runsDirectory: string;
  now: number;
  markdown?: boolean;
}

export function textsFromRecords(input: TextsInput): IncidentTexts | undefined {
  const incident = incidentFromRecords(input.records, input.config, input.now);
  if (!incident) return undefined;
  const timeline = buildIncidentTimeline(input.records, runsDuring(incident, input.runsDirectory));
  const resolved = input.records.find((record) => record.type === 'resolved');
  return incidentTexts(
    { incident, timeline, classification: input.config.classification, now: input.now, ...(resolved?.type === 'resolved' ? { resolvedBy: resolved.by } : {}) },
    { markdown: input.markdown ?? false },
  );
}
