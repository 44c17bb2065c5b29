import { memo } from 'react';
import { formatElapsed } from '../../src/domain/duration';
import { levelDueAt } from '../../src/incident/escalation';
import { selectDueLevel, selectOpenIncident } from '../../src/store/selectors/incident-form';
import { useDisplay } from '../display-context';
import { CenteredDialog, dialogKeyLine } from '../overlays/CenteredDialog';
import type { Segment } from '../segments';
import { useNow, useOpsdeck, useOpsdeckStore } from '../store-context';

/** A level of the escalation matrix fell due: who to contact, why now, and the answers (from the key table). */
export const EscalationDialog = memo(function EscalationDialog(props: { width: number; height: number }) {
  const { glyphs } = useDisplay();
  const store = useOpsdeckStore();
  const levelId = useOpsdeck(selectDueLevel);
  const incident = useOpsdeck(selectOpenIncident);
  const config = useOpsdeck((state) => state.incidentConfig);
  const now = useNow();
  const level = config.escalation.find((candidate) => candidate.level === levelId);
  if (!level || !incident) return null;
  const dueAt = levelDueAt(level, incident) ?? incident.declaredAt;
  const why = level.severities?.includes(incident.severity)
    ? `due at once for ${incident.severity}`
    : `not resolved ${formatElapsed(dueAt - incident.declaredAt)} after it was declared`;
  const lines: Segment[][] = [
    [{ text: ` ${glyphs.alert} Escalation ${level.level} due: ${level.role}`, bold: true, tone: 'critical' }],
    [{ text: ` contact: ${level.contact}`, bold: true }],
    [{ text: ` ${incident.severity} ${incident.title}: ${why}; open ${formatElapsed(Math.max(0, now - incident.declaredAt))}`, dim: true }],
    [{ text: '' }],
    [{ text: ` ${dialogKeyLine(store.getState(), 'escalation', glyphs.ascii)}` }],
  ];
  const width = Math.min(80, Math.max(20, props.width - 4));
  return <CenteredDialog width={props.width} height={props.height} dialogWidth={width} tone="critical" lines={lines} />;
});
