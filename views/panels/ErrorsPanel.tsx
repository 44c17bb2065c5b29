import type { ErrorFingerprint } from '../../src/domain/types';
import { fingerprintMessageOf, selectErrorEntries, selectErrorRowKeys, selectFingerprint, workloadNameOf } from '../../src/store/selectors/error-rows';
import type { Glyphs } from '../format/glyphs';
import { formatAgo } from '../format/numbers';
import { fitText, textWidth, truncateText } from '../format/text';
import type { Segment } from '../segments';
import { scopeText } from '../../src/store/selectors/view-scope';
import { useClockValue, useOpsdeck } from '../store-context';
import { listPanel, type ListPanelDefinition, type ListRow } from './ListPanel';
import { cellSegments, type ColumnLayout, type ListColumn } from './list-columns';
import { externalAlertRowSegments, useExternalAlertRow, type ExternalAlertRowData } from './external-alert-rows';
import { externalAlertFingerprint } from '../../src/store/selectors/source-rows';

/** Fingerprints not seen for this long are drawn dim (stale). */
export const STALE_ERROR_MS = 60 * 60 * 1000;

export function servicesText(workloadKeys: readonly string[]): string {
  const first = workloadKeys[0];
  if (first === undefined) return '';
  return workloadKeys.length === 1 ? workloadNameOf(first) : `${workloadNameOf(first)} +${workloadKeys.length - 1}`;
}

interface ErrorRowData {
  entry: ErrorFingerprint;
  /** "5m ago": a clock tick re-renders the row only when it changes. */
  lastSeenText: string;
}

type ErrorsRow = ErrorRowData | ExternalAlertRowData;

/** The fingerprint columns on the panel's rows (an Alertmanager alert's row spans them). */
function fingerprintColumn(column: ListColumn<ErrorRowData>): ListColumn<ErrorsRow> {
  return { ...column, cell: (data, context) => ('alert' in data ? '' : column.cell(data, context)) };
}

/** A Warning event's row: the message column starts with the event's reason as a tag (BackOff, FailedScheduling); an alert's row is its own. */
function eventRowSegments(data: ErrorsRow, layout: ColumnLayout<ErrorsRow>, glyphs: Glyphs): Segment[] | undefined {
  if ('alert' in data) return externalAlertRowSegments(data);
  const reason = data.entry.eventReason;
  if (reason === undefined) return undefined;
  const segments = cellSegments(layout, data, glyphs);
  const message = segments.pop();
  const width = message ? textWidth(message.text) : 0;
  const tag = truncateText(`${reason} `, width, glyphs.ellipsis);
  const rest = Math.max(0, width - textWidth(tag));
  segments.push({ text: tag, tone: 'warning', bold: true }, { text: fitText(fingerprintMessageOf(data.entry), rest, 'left', glyphs.ellipsis) });
  return segments;
}

function useFingerprintRow(key: string): ListRow<ErrorsRow> | undefined {
  const entry = useOpsdeck((state) => selectFingerprint(state, key));
  const lastSeen = entry?.lastSeen;
  const lastSeenText = useClockValue((_state, now) => (lastSeen === undefined ? '' : formatAgo(lastSeen, now)));
  const stale = useClockValue((_state, now) => lastSeen !== undefined && now - lastSeen > STALE_ERROR_MS);
  return entry ? { data: { entry, lastSeenText }, dim: stale } : undefined;
}

/**
 * Alertmanager's alerts (labels, severity, silenced), then error fingerprints of log lines and of
 * Kubernetes Warning events (tagged with their reason): count, services, last seen, message.
 */
export const ERRORS_PANEL: ListPanelDefinition<ErrorsRow> = {
  panel: 'errors',
  selectKeys: selectErrorRowKeys,
  useTitle(keys, filter) {
    const total = useOpsdeck((state) => selectErrorEntries(state).length);
    const scope = useOpsdeck(scopeText);
    // Narrowed by `:ctx` / `:ns`, the count is of what the scope shows.
    const alerts = useOpsdeck((state) => Object.keys(state.externalAlerts).length);
    const shown = keys.length - keys.filter((key) => externalAlertFingerprint(key) !== undefined).length;
    const counts = filter === '' && scope === '' ? `${total}` : `${shown}/${total}`;
    return `Recent errors (${counts})${alerts > 0 ? `, Alertmanager (${alerts})` : ''}${scope === '' ? '' : ` ${scope}`}`;
  },
  useRow(key): ListRow<ErrorsRow> | undefined {
    // A row is an alert or a fingerprint for its whole life (the key says which), so the hooks called stay the same.
    const fingerprint = externalAlertFingerprint(key);
    return fingerprint === undefined ? useFingerprintRow(key) : useExternalAlertRow(fingerprint);
  },
  markers: 'selection',
  columns: ([
    { id: 'count', width: 6, align: 'right', cell: ({ entry }, { glyphs }) => ({ text: `${entry.count}${glyphs.times}`, bold: true, tone: 'critical' }) },
    {
      id: 'services',
      gap: 1,
      width: (contentWidth) => (contentWidth >= 50 ? 14 : 10),
      cell: ({ entry }) => ({ text: servicesText(entry.workloadKeys), tone: 'accent' }),
    },
    { id: 'last-seen', gap: 1, width: 9, cell: ({ lastSeenText }) => ({ text: lastSeenText, dim: true }) },
    { id: 'message', width: 'fill', cell: ({ entry }) => fingerprintMessageOf(entry) },
  ] satisfies ListColumn<ErrorRowData>[]).map(fingerprintColumn),
  spanningSegments: eventRowSegments,
  emptyText: (filter) => (filter === '' ? 'no error lines seen' : `no error matches "${filter}"`),
};

export const ErrorsPanel = listPanel(ERRORS_PANEL);
