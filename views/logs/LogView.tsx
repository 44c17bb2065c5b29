import { Text } from 'ink';
import { memo, useEffect, useRef } from 'react';
import { workloadLabelOf } from '../../src/store/selectors/error-rows';
import { findMatches, firstLineNumber, logSourceOf, logWindow, maxScrollOffset } from '../../src/store/selectors/log-view';
import { PanelFrame } from '../panels/PanelFrame';
import { useOpsdeck, useOpsdeckStore } from '../store-context';
import { LogLineRow } from './LogLineRow';

/** Lines of the log view for a body `height` lines high (title line and bottom border taken). */
export function logRowsFor(height: number): number {
  return Math.max(1, height - 2);
}

/**
 * Full-screen logs of one service from its ring buffer, re-read when the service's log
 * revision changes. Follows the tail until the operator scrolls back; a paused view stays
 * on its lines while new ones arrive.
 */
export const LogView = memo(function LogView(props: { width: number; height: number }) {
  const store = useOpsdeckStore();
  const view = useOpsdeck((state) => state.ui.logView);
  const revision = useOpsdeck((state) => (view ? (state.logRevisionByWorkload[view.workloadKey] ?? 0) : 0));
  const rows = logRowsFor(props.height);
  const source = logSourceOf(view ? store.getState().logBuffers.get(view.workloadKey) : undefined);

  // Keep a paused view on the same lines: new lines at the tail push the offset up.
  const seenTotal = useRef(source.totalPushed);
  useEffect(() => {
    const added = source.totalPushed - seenTotal.current;
    seenTotal.current = source.totalPushed;
    if (!view || view.follow || added <= 0) return;
    const scrollOffset = Math.min(maxScrollOffset(source, rows), view.scrollOffset + added);
    if (scrollOffset !== view.scrollOffset) store.getState().updateLogView({ scrollOffset });
  }, [revision, source, view, rows, store]);

  if (!view) return null;
  const window = logWindow(source, view, rows);
  const first = firstLineNumber(source);
  const matches = view.search !== '' && !view.searchEditing ? findMatches(source, view.search) : [];
  const matchPosition = view.matchIndex === undefined ? -1 : matches.indexOf(view.matchIndex);

  const state = view.follow ? 'FOLLOW' : `PAUSED ${source.size - window.end} below`;
  const searchInfo =
    view.search === '' ? '' : ` /${view.search} ${matches.length === 0 ? '' : `${matchPosition >= 0 ? matchPosition + 1 : '-'}/${matches.length}`}`;
  const info = `${source.size} lines  ${state}${searchInfo}`;
  const lineWidth = Math.max(0, props.width - 2);
  const lines = source.slice(window.start, window.end);

  return (
    <PanelFrame title={`Logs ${workloadLabelOf(view.workloadKey)}`} info={info} width={props.width} height={props.height} focused>
      {lines.length === 0 ? (
        <Text dimColor wrap="truncate-end">
          {' no log lines yet'}
        </Text>
      ) : (
        lines.map((line, offset) => {
          const lineNumber = first + window.start + offset;
          return (
            <LogLineRow
              key={lineNumber}
              text={line.text}
              timestamp={line.timestamp}
              stream={line.stream}
              search={view.search}
              currentMatch={lineNumber === view.matchIndex}
              width={lineWidth}
            />
          );
        })
      )}
    </PanelFrame>
  );
});
