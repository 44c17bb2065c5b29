import type { ErrorFingerprint } from '../../src/domain/types';
import { errorMessageOf, selectErrorRowKeys, selectFingerprint, workloadNameOf } from '../../src/store/selectors/error-rows';
import { formatAgo } from '../format/numbers';
import { useNow, useOpsdeck } from '../store-context';
import { listPanel, type ListPanelDefinition, type ListRow } from './ListPanel';

/** Fingerprints not seen for this long are drawn dim (stale). */
export const STALE_ERROR_MS = 60 * 60 * 1000;

export function servicesText(workloadKeys: readonly string[]): string {
  const first = workloadKeys[0];
  if (first === undefined) return '';
  return workloadKeys.length === 1 ? workloadNameOf(first) : `${workloadNameOf(first)} +${workloadKeys.length - 1}`;
}

interface ErrorRowData {
  entry: ErrorFingerprint;
  now: number;
}

/** Error fingerprints: count, services, last seen and the normalised message. */
export const ERRORS_PANEL: ListPanelDefinition<ErrorRowData> = {
  panel: 'errors',
  selectKeys: selectErrorRowKeys,
  useTitle(keys, filter) {
    const total = useOpsdeck((state) => state.fingerprints.length);
    return filter === '' ? `Recent errors (${total})` : `Recent errors (${keys.length}/${total})`;
  },
  useRow(key): ListRow<ErrorRowData> | undefined {
    const entry = useOpsdeck((state) => selectFingerprint(state, key));
    const now = useNow();
    return entry ? { data: { entry, now }, dim: now - entry.lastSeen > STALE_ERROR_MS } : undefined;
  },
  markers: 'selection',
  columns: [
    { id: 'count', width: 6, align: 'right', cell: ({ entry }, { glyphs }) => ({ text: `${entry.count}${glyphs.times}`, bold: true, tone: 'critical' }) },
    {
      id: 'services',
      gap: 1,
      width: (contentWidth) => (contentWidth >= 50 ? 14 : 10),
      cell: ({ entry }) => ({ text: servicesText(entry.workloadKeys), tone: 'accent' }),
    },
    { id: 'last-seen', gap: 1, width: 9, cell: ({ entry, now }) => ({ text: formatAgo(entry.lastSeen, now), dim: true }) },
    { id: 'message', width: 'fill', cell: ({ entry }) => errorMessageOf(entry.fingerprint) },
  ],
  emptyText: (filter) => (filter === '' ? 'no error lines seen' : `no error matches "${filter}"`),
};

export const ErrorsPanel = listPanel(ERRORS_PANEL);
