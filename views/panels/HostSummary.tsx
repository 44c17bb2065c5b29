import { Box } from 'ink';
import { memo } from 'react';
import type { HostSample, Thresholds } from '../../src/domain/types';
import { useDisplay } from '../display-context';
import { renderBar } from '../format/charts';
import type { Glyphs } from '../format/glyphs';
import { formatBytes, formatLoad, formatPercent } from '../format/numbers';
import { RowText } from '../RowText';
import { fitSegments, type Segment } from '../segments';
import { useShownValue } from '../store-context';
import { usageTone } from '../theme';

const BAR_WIDTH = 10;

function usage(label: string, percent: number, levels: { warning: number; critical: number }, glyphs: Glyphs, barWidth: number): Segment[] {
  const tone = usageTone(percent, levels);
  return [
    { text: `${label} ` },
    { text: renderBar(percent, barWidth, glyphs), tone },
    { text: ` ${formatPercent(percent).padStart(4)}`, tone, bold: tone === 'critical' },
  ];
}

export function hostLines(host: HostSample | undefined, thresholds: Thresholds, glyphs: Glyphs, width: number): Segment[][] {
  if (!host) return [[{ text: ' host  waiting for the first sample', dim: true }], []];
  const barWidth = width >= 62 ? BAR_WIDTH : width >= 50 ? 8 : 5;
  const usedMemory = host.memoryTotalBytes - host.memoryAvailableBytes;
  const first: Segment[] = [
    { text: ' host  ', bold: true },
    ...usage('cpu', host.cpuPercent, thresholds.cpu, glyphs, barWidth),
    { text: '  ' },
    ...usage('mem', host.memoryUsedPercent, thresholds.memory, glyphs, barWidth),
    { text: `  load ${formatLoad(host.load1)}` },
  ];
  const second: Segment[] = [{ text: ' disk  ', bold: true }];
  if (host.disks.length === 0) second.push({ text: 'no disk watched', dim: true });
  for (const disk of host.disks) {
    if (disk.error !== undefined) second.push({ text: `${disk.path} ?`, tone: 'warning' });
    else second.push(...usage(disk.path, disk.usedPercent, thresholds.disk, glyphs, barWidth));
    second.push({ text: '   ' });
  }
  second.push({ text: `mem ${formatBytes(usedMemory)} of ${formatBytes(host.memoryTotalBytes)}`, dim: true });
  return [first, second];
}

/** Host CPU, memory, load and disks: the first lines of the resources panel. */
export const HostSummary = memo(function HostSummary(props: { width: number }) {
  const { glyphs } = useDisplay();
  // A new sample every few seconds usually draws the same text: only a change re-renders.
  const lines = useShownValue((state) => hostLines(state.host, state.thresholds, glyphs, props.width));
  return (
    <Box flexDirection="column" width={props.width} flexShrink={0}>
      {lines.map((line, index) => (
        <RowText key={index} segments={fitSegments(line, props.width, glyphs.ellipsis)} />
      ))}
    </Box>
  );
});
