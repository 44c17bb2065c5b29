import { Box } from 'ink';
import { memo } from 'react';
import { formatElapsed } from '../../src/domain/duration';
import type { LevelSchedule } from '../../src/incident/escalation';
import type { TimelineKind } from '../../src/incident/incident-timeline';
import { clean, formatTime, formatUtc } from '../../src/journal/journal-timeline';
import { selectEscalationSchedule, selectIncidentTimeline } from '../../src/store/selectors/incident-form';
import { useDisplay } from '../display-context';
import { RowText } from '../RowText';
import { fitSegments, type Segment } from '../segments';
import { useNow, useOpsdeck } from '../store-context';
import type { Tone } from '../theme';

const KIND_TONES: Partial<Record<TimelineKind, Tone>> = {
  declared: 'critical',
  alert: 'warning',
  gate: 'warning',
  escalation: 'critical',
  resolved: 'ok',
  note: 'accent',
};

function levelText(level: LevelSchedule, now: number): string {
  switch (level.state) {
    case 'waiting':
      return level.dueAt === undefined ? `${level.level} not for this severity` : `${level.level} in ${formatElapsed(Math.max(0, level.dueAt - now))}`;
    case 'snoozed':
      return `${level.level} snoozed ${formatElapsed(Math.max(0, (level.until ?? now) - now))}`;
    case 'escalated':
      return `${level.level} escalated${level.contacted ? ` (${clean(level.contacted)})` : ''}`;
    default:
      return `${level.level} ${level.state}`;
  }
}

/**
 * The incident screen: severity, title, elapsed time, affected services, each escalation
 * level's state, then the timeline from the incident's journal (the newest at the bottom;
 * the report adds the run journals' detail).
 */
export const IncidentScreen = memo(function IncidentScreen(props: { width: number; height: number }) {
  const { glyphs } = useDisplay();
  const incident = useOpsdeck((state) => state.incident);
  const config = useOpsdeck((state) => state.incidentConfig);
  const timeline = useOpsdeck((state) => selectIncidentTimeline(state.incidentRecords));
  const now = useNow();
  const schedule = useOpsdeck((state) => selectEscalationSchedule(state, now));
  if (!incident) return null;
  const severity = config.classification.find((candidate) => candidate.id === incident.severity);
  const elapsed = formatElapsed(Math.max(0, (incident.resolvedAt ?? now) - incident.declaredAt));
  const status = incident.resolvedAt !== undefined ? `RESOLVED after ${elapsed}` : `open ${elapsed}`;
  const services = incident.services.map((service) => clean(service.label)).join(', ');
  const head: Segment[][] = [
    [
      { text: ` INCIDENT ${incident.severity} `, inverse: true, bold: true, tone: incident.resolvedAt !== undefined ? 'ok' : 'critical' },
      { text: ` ${clean(incident.title)}`, bold: true },
      { text: `  ${status} · ${incident.id}`, dim: true },
    ],
    [{ text: ` ${severity ? `${severity.title}, respond within ${severity.responseTime}` : incident.severity} · declared by ${clean(incident.declaredBy)} at ${formatUtc(incident.declaredAt)}`, dim: true }],
    [{ text: ` services: ${services || '(none named)'}${incident.impact ? ` · impact: ${clean(incident.impact)}` : ''}` }],
    [{ text: ` escalation: ${schedule ? schedule.levels.map((level) => levelText(level, now)).join(` ${glyphs.separator} `) : 'done'}`, tone: schedule && schedule.due.length > 0 ? 'critical' : undefined, bold: schedule !== undefined && schedule.due.length > 0 }],
    ...(incident.rootCause ? [[{ text: ` root cause: ${clean(incident.rootCause)}`, tone: 'ok' as const }]] : []),
    [{ text: '' }],
    [{ text: ` Timeline (${timeline.length})`, bold: true }],
  ];
  const room = Math.max(0, props.height - head.length);
  const entries: Segment[][] = timeline.slice(-room).map((entry) => [
    { text: `  ${formatTime(entry.at, incident.declaredAt)}  `, dim: true },
    { text: entry.text, tone: KIND_TONES[entry.kind] },
  ]);
  return (
    <Box flexDirection="column" width={props.width} height={props.height} overflow="hidden">
      {[...head, ...entries].slice(0, props.height).map((line, index) => (
        <RowText key={index} segments={fitSegments(line, props.width, glyphs.ellipsis)} />
      ))}
    </Box>
  );
});
