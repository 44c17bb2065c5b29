import { memo, useCallback, useMemo, type ReactNode } from 'react';
import { selectPickerEntries, selectPickerSelection, type PickerEntry } from '../../src/store/selectors/playbook-picker';
import { useDisplay } from '../display-context';
import { textWidth } from '../format/text';
import { PanelFrame } from '../panels/PanelFrame';
import { positionInfo, VirtualRows } from '../panels/VirtualRows';
import { RowText } from '../RowText';
import { fitSegments, type Segment } from '../segments';
import { useOpsdeck } from '../store-context';

const ID_WIDTH = 26;

function entrySegments(entry: PickerEntry, glyphs: ReturnType<typeof useDisplay>['glyphs']): Segment[] {
  const mark: Segment = entry.suggestedBecause ? { text: '* ', bold: true, tone: 'warning' } : { text: '  ' };
  const id = (entry.playbookId ?? '').padEnd(Math.max(ID_WIDTH, textWidth(entry.playbookId ?? '') + 1));
  if (entry.invalid) {
    return [mark, { text: id, dim: true }, { text: `invalid: ${entry.detail}`, dim: true, tone: 'critical' }];
  }
  return [
    mark,
    { text: id, bold: true, tone: 'accent' },
    { text: entry.title },
    ...(entry.suggestedBecause ? [{ text: `  ${glyphs.alert} ${entry.suggestedBecause}`, tone: 'warning' as const }] : [{ text: `  ${entry.detail}`, dim: true }]),
  ];
}

/**
 * The playbook picker: typed text filters it (fuzzy), the playbooks suggested for the
 * selected row come first (marked *, with the alert that suggests them), invalid files are
 * listed greyed with their one-line error. Only the visible window of rows is rendered.
 */
export const PlaybookPicker = memo(function PlaybookPicker(props: { width: number; height: number }) {
  const { glyphs } = useDisplay();
  const entries = useOpsdeck(selectPickerEntries);
  const index = useOpsdeck((state) => selectPickerSelection(state).index);
  const filter = useOpsdeck((state) => state.ui.wizard.picker?.filter ?? '');
  const rowWidth = Math.max(0, props.width - 2);
  const rows = Math.max(0, props.height - 2);
  const byKey = useMemo(() => new Map(entries.map((entry) => [entry.key, entry])), [entries]);
  const keys = useMemo(() => entries.map((entry) => entry.key), [entries]);
  const renderRow = useCallback(
    (key: string, selected: boolean): ReactNode => {
      const entry = byKey.get(key);
      if (!entry) return null;
      const marker: Segment = { text: selected ? `${glyphs.selected} ` : '  ', bold: true, tone: 'accent' };
      return <RowText key={key} segments={fitSegments([marker, ...entrySegments(entry, glyphs)], rowWidth, glyphs.ellipsis)} inverse={selected} dim={entry.invalid} />;
    },
    [byKey, glyphs, rowWidth],
  );
  const suggested = entries.filter((entry) => entry.suggestedBecause).length;
  const title = `Playbooks (${entries.length})${suggested > 0 ? `, ${suggested} suggested for the selected row` : ''}`;
  return (
    <PanelFrame title={title} info={positionInfo(index, entries.length, rows)} width={props.width} height={props.height} focused>
      <VirtualRows
        keys={keys}
        selectedIndex={index}
        rows={rows}
        renderRow={renderRow}
        emptyText={filter === '' ? 'no playbooks found (opsdeck playbooks list shows where they are looked for)' : `no playbook matches "${filter}"`}
      />
    </PanelFrame>
  );
});
