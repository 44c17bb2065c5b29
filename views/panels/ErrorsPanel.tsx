import { memo, useCallback } from 'react';
import type { ErrorFingerprint } from '../../src/domain/types';
import { selectFingerprint, selectErrorRowKeys, serviceNameOf } from '../../src/store/selectors/error-rows';
import { useDisplay } from '../display-context';
import type { Glyphs } from '../format/glyphs';
import { formatAgo } from '../format/numbers';
import { fitText } from '../format/text';
import { RowText } from '../RowText';
import { fitSegments, type Segment } from '../segments';
import { useNow, useOpsdeck } from '../store-context';
import { PanelFrame } from './PanelFrame';
import type { PanelProps } from './row-cells';
import { usePanelList } from './use-panel-list';
import { VirtualRows } from './VirtualRows';

/** Fingerprints not seen for this long are drawn dim (stale). */
export const STALE_ERROR_MS = 60 * 60 * 1000;

export function servicesText(serviceKeys: readonly string[]): string {
  const first = serviceKeys[0];
  if (first === undefined) return '';
  return serviceKeys.length === 1 ? serviceNameOf(first) : `${serviceNameOf(first)} +${serviceKeys.length - 1}`;
}

export function errorSegments(entry: ErrorFingerprint, width: number, now: number, glyphs: Glyphs): Segment[] {
  const count = `${entry.count}${glyphs.times}`;
  const serviceWidth = width >= 50 ? 14 : 10;
  const agoWidth = 9;
  const fixed = 6 + 1 + serviceWidth + 1 + agoWidth;
  return [
    { text: fitText(count, 6, 'right'), bold: true, tone: 'critical' },
    { text: ' ' },
    { text: fitText(servicesText(entry.serviceKeys), serviceWidth, 'left', glyphs.ellipsis), tone: 'accent' },
    { text: ' ' },
    { text: fitText(formatAgo(entry.lastSeen, now), agoWidth), dim: true },
    { text: fitText(entry.fingerprint, Math.max(0, width - fixed), 'left', glyphs.ellipsis) },
  ];
}

const ErrorRow = memo(function ErrorRow(props: { fingerprint: string; width: number; highlighted: boolean }) {
  const { glyphs } = useDisplay();
  const entry = useOpsdeck((state) => selectFingerprint(state, props.fingerprint));
  const now = useNow();
  if (!entry) return null;
  const segments: Segment[] = [
    { text: props.highlighted ? glyphs.selected : ' ', bold: true, tone: 'accent' },
    ...errorSegments(entry, props.width - 1, now, glyphs),
  ];
  return (
    <RowText
      segments={fitSegments(segments, props.width, glyphs.ellipsis)}
      inverse={props.highlighted}
      dim={now - entry.lastSeen > STALE_ERROR_MS}
    />
  );
});

/** Error fingerprints: count, services, last seen and the normalised message. */
export const ErrorsPanel = memo(function ErrorsPanel(props: PanelProps) {
  const keys = useOpsdeck(selectErrorRowKeys);
  const total = useOpsdeck((state) => state.fingerprints.length);
  const rows = Math.max(0, props.height - 2);
  const { filter, selectedIndex, info } = usePanelList('errors', keys, rows);
  const rowWidth = Math.max(0, props.width - 2);

  const renderRow = useCallback(
    (key: string, selected: boolean) => <ErrorRow key={key} fingerprint={key} width={rowWidth} highlighted={selected && props.focused} />,
    [rowWidth, props.focused],
  );

  const title = filter === '' ? `Recent errors (${total})` : `Recent errors (${keys.length}/${total})`;
  return (
    <PanelFrame title={title} info={info} width={props.width} height={props.height} focused={props.focused}>
      <VirtualRows
        keys={keys}
        selectedIndex={selectedIndex}
        rows={rows}
        renderRow={renderRow}
        emptyText={filter === '' ? 'no error lines seen' : `no error matches "${filter}"`}
      />
    </PanelFrame>
  );
});
