import { Box } from 'ink';
import { memo } from 'react';
import { selectResumableRuns } from '../../src/store/selectors/active-run';
import type { OpsdeckState } from '../../src/store/store-types';
import { useDisplay } from '../display-context';
import { formatAgo } from '../format/numbers';
import { RowText } from '../RowText';
import { fitSegments } from '../segments';
import { useClockValue, useOpsdeck } from '../store-context';

/** Whether the panels show the notice line (the layout gives it one line). */
export function showsUnfinishedNotice(state: OpsdeckState): boolean {
  return selectResumableRuns(state).length > 0;
}

/** One line under the header: a run that never ended (crash, SSH drop) and the key that resumes it. */
export const UnfinishedRunsNotice = memo(function UnfinishedRunsNotice(props: { width: number }) {
  const { glyphs } = useDisplay();
  const runs = useOpsdeck(selectResumableRuns);
  const [run] = runs;
  const startedAt = run?.startedAt;
  const startedText = useClockValue((_state, now) => (startedAt === undefined ? '' : formatAgo(startedAt, now)));
  if (!run) return null;
  const others = runs.length > 1 ? ` (+${runs.length - 1} more: opsdeck resume <run-id>)` : '';
  const segments = fitSegments(
    [
      { text: ` ${glyphs.alert} unfinished run `, bold: true, tone: 'warning' },
      { text: `${run.title} (${run.runId}) by ${run.operator}, started ${startedText}` },
      { text: '  R', bold: true, tone: 'accent' },
      { text: ` resume${others}` },
    ],
    props.width,
    glyphs.ellipsis,
  );
  return (
    <Box width={props.width} height={1} overflow="hidden">
      <RowText segments={segments} />
    </Box>
  );
});
