import { Box } from 'ink';
import { memo, useMemo } from 'react';
import type { EngineStatus } from '../src/domain/types';
import { countAlerts } from '../src/store/selectors/alert-selectors';
import { countExternalAlerts } from '../src/store/selectors/source-rows';
import type { SourceStatus } from '../src/store/slices/sources-slice';
import { formatElapsed } from '../src/domain/duration';
import type { EscalationSchedule } from '../src/incident/escalation';
import type { Incident } from '../src/incident/incident-types';
import { selectEscalationSchedule, selectOpenIncident } from '../src/store/selectors/incident-form';
import { useDisplay } from './display-context';
import type { Glyphs } from './format/glyphs';
import { secondsUntil } from './format/numbers';
import { truncateText } from './format/text';
import { RowText } from './RowText';
import { fitSegments, segmentsWidth, type Segment } from './segments';
import { useNowWhile, useOpsdeck, useOpsdeckShallow } from './store-context';
import { connectionTone } from './theme';

const MAX_ERROR_WIDTH = 48;

export function engineSegments(engine: EngineStatus, glyphs: Glyphs, now: number): Segment[] {
  const tone = connectionTone(engine.state);
  const glyph = engine.state === 'connected' ? glyphs.connected : engine.state === 'connecting' ? glyphs.connecting : glyphs.disconnected;
  // A Kubernetes context reads as kubectl names it: "k8s: prod" (its kubeconfig context when named otherwise).
  const name = engine.kind === 'kubernetes' ? `k8s: ${engine.label}${engine.context !== undefined && engine.context !== engine.label ? ` (${engine.context})` : ''}` : `${engine.kind}: ${engine.label}`;
  const segments: Segment[] = [
    { text: `${name} ` },
    { text: `${glyph} ${engine.state}`, tone, bold: engine.state !== 'connected' },
  ];
  if (engine.state !== 'connected' && engine.error) {
    segments.push({ text: `: ${truncateText(engine.error, MAX_ERROR_WIDTH, glyphs.ellipsis)}`, tone });
  }
  if (engine.state === 'connected' && engine.problem) {
    segments.push({ text: ` ${glyphs.alert} ${truncateText(engine.problem, MAX_ERROR_WIDTH, glyphs.ellipsis)}`, tone: 'warning' });
  }
  if (engine.state === 'disconnected' && engine.nextRetryAt !== undefined) {
    segments.push({ text: ` retry in ${secondsUntil(engine.nextRetryAt, now)}s`, dim: true });
  }
  return segments;
}

/** A live source on the left only while it is not connected: `prometheus ✗ disconnected: …`. */
export function sourceSegments(name: string, status: SourceStatus | undefined, glyphs: Glyphs): Segment[] {
  if (!status || status.state === 'connected') return [];
  const tone = connectionTone(status.state);
  const glyph = status.state === 'connecting' ? glyphs.connecting : glyphs.disconnected;
  const segments: Segment[] = [{ text: `  ${name} ` }, { text: `${glyph} ${status.state}`, tone, bold: true }];
  if (status.error) segments.push({ text: `: ${truncateText(status.error, MAX_ERROR_WIDTH, glyphs.ellipsis)}`, tone });
  return segments;
}

/** An open incident: its severity and elapsed time, then the next escalation level due (or the one due now). */
export function incidentSegments(incident: Incident, schedule: EscalationSchedule | undefined, now: number): Segment[] {
  const segments: Segment[] = [{ text: ` ${incident.severity} INCIDENT ${formatElapsed(Math.max(0, now - incident.declaredAt))} `, tone: 'critical', inverse: true, bold: true }];
  const due = schedule?.due[0];
  if (due) segments.push({ text: ` ${due.level} DUE`, tone: 'critical', bold: true });
  else if (schedule?.next) segments.push({ text: ` ${schedule.next.level.level} in ${formatElapsed(Math.max(0, schedule.next.at - now))}`, tone: 'warning' });
  return segments;
}

/** Engines with their connection state, the READ-ONLY badge, the alert counts and Alertmanager's, on one line; an open incident first. */
export const Header = memo(function Header(props: { width: number }) {
  const { glyphs } = useDisplay();
  const engines = useOpsdeck((state) => state.engines);
  const engineOrder = useOpsdeck((state) => state.engineOrder);
  const readOnly = useOpsdeck((state) => state.readOnly);
  const dryRun = useOpsdeck((state) => state.dryRun);
  const alertCounts = useOpsdeckShallow((state) => countAlerts(state.alerts));
  const externalCounts = useOpsdeckShallow((state) => countExternalAlerts(state.externalAlerts));
  const prometheusStatus = useOpsdeck((state) => state.prometheusStatus);
  const alertmanagerStatus = useOpsdeck((state) => state.alertmanagerStatus);
  const incident = useOpsdeck(selectOpenIncident);
  // The header shows a time only for an open incident or a retry countdown: other clock ticks leave it alone.
  const retrying = useOpsdeck((state) => Object.values(state.engines).some((engine) => engine.state === 'disconnected' && engine.nextRetryAt !== undefined));
  const now = useNowWhile(incident !== undefined || retrying);
  const schedule = useOpsdeck((state) => selectEscalationSchedule(state, now));

  const segments = useMemo(() => {
    const right: Segment[] = [];
    if (readOnly) right.push({ text: ' READ-ONLY ', tone: 'warning', inverse: true, bold: true }, { text: '  ' });
    if (dryRun) right.push({ text: ' DRY-RUN ', tone: 'accent', inverse: true, bold: true }, { text: '  ' });
    right.push({ text: 'alerts: ' });
    if (alertCounts.critical === 0 && alertCounts.warning === 0) right.push({ text: 'none', tone: 'ok' });
    else {
      right.push({ text: `${alertCounts.critical} crit`, tone: alertCounts.critical > 0 ? 'critical' : undefined, bold: alertCounts.critical > 0 });
      right.push({ text: ' ' });
      right.push({ text: `${alertCounts.warning} warn`, tone: alertCounts.warning > 0 ? 'warning' : undefined });
    }
    if (alertmanagerStatus) {
      // Alertmanager's firing alerts beside the cockpit's own; acknowledged ones counted apart.
      right.push({ text: '  am: ' });
      const firing = externalCounts.critical + externalCounts.warning;
      if (firing === 0) right.push({ text: 'none', tone: 'ok' });
      else right.push({ text: `${firing} firing`, tone: externalCounts.critical > 0 ? 'critical' : 'warning', bold: externalCounts.critical > 0 });
      if (externalCounts.silenced > 0) right.push({ text: ` ${externalCounts.silenced} silenced`, dim: true });
    }
    right.push({ text: ' ' });

    const left: Segment[] = [{ text: ' opsdeck ', bold: true, tone: 'accent' }];
    if (incident) left.push({ text: ' ' }, ...incidentSegments(incident, schedule, now));
    if (engineOrder.length === 0) left.push({ text: ' no engine configured', dim: true });
    for (const engineId of engineOrder) {
      const engine = engines[engineId];
      if (!engine) continue;
      left.push({ text: '  ' }, ...engineSegments(engine, glyphs, now));
    }
    left.push(...sourceSegments('prometheus', prometheusStatus, glyphs), ...sourceSegments('alertmanager', alertmanagerStatus, glyphs));
    const leftWidth = Math.max(0, props.width - segmentsWidth(right));
    // Cut engine text keeps two columns before the counts, so its ellipsis never reads as part of them.
    if (segmentsWidth(left) <= leftWidth) return [...fitSegments(left, leftWidth, glyphs.ellipsis), ...right];
    return [...fitSegments(left, Math.max(0, leftWidth - 2), glyphs.ellipsis), { text: '  ' }, ...right];
  }, [engines, engineOrder, readOnly, dryRun, alertCounts, externalCounts, prometheusStatus, alertmanagerStatus, glyphs, props.width, now, incident, schedule]);

  return (
    <Box width={props.width} height={1} overflow="hidden">
      <RowText segments={fitSegments(segments, props.width, glyphs.ellipsis)} />
    </Box>
  );
});
