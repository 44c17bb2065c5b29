// One-line summaries of the panels that are folded in narrow layouts.

import type { ComponentType } from 'react';
import { memo } from 'react';
import type { PanelId } from '../../src/store/slices/ui-slice';
import { countAlerts } from '../../src/store/selectors/alert-selectors';
import { isFiring } from '../../src/store/selectors/source-rows';
import { selectErrorEntries } from '../../src/store/selectors/error-rows';
import { selectGatePanelCounts } from '../../src/store/selectors/gate-panel';
import { formatPercent } from '../format/numbers';
import type { Segment } from '../segments';
import { useOpsdeck, useOpsdeckShallow, useShownValue } from '../store-context';
import { gateTone, usageTone } from '../theme';
import { PanelSummaryLine } from './PanelFrame';

interface SummaryProps {
  width: number;
}

const ServicesSummary = memo(function ServicesSummary(props: SummaryProps) {
  const counts = useOpsdeckShallow((state) => {
    let running = 0;
    let total = 0;
    for (const instance of Object.values(state.instances)) {
      total += 1;
      if (instance.phase === 'running') running += 1;
    }
    return { running, total, ...countAlerts(state.alerts) };
  });
  const summary: Segment[] = [
    { text: `${counts.total} containers, ` },
    { text: `${counts.running} running`, tone: counts.running < counts.total ? 'warning' : 'ok' },
  ];
  if (counts.critical + counts.warning > 0) {
    summary.push({ text: `, ${counts.critical + counts.warning} alerts`, tone: counts.critical > 0 ? 'critical' : 'warning', bold: true });
  }
  return <PanelSummaryLine title="Services" summary={summary} width={props.width} />;
});

const ResourcesSummary = memo(function ResourcesSummary(props: SummaryProps) {
  const summary = useShownValue(({ host, thresholds }): Segment[] =>
    host
      ? [
          { text: 'host cpu ' },
          { text: formatPercent(host.cpuPercent), tone: usageTone(host.cpuPercent, thresholds.cpu) },
          { text: '  mem ' },
          { text: formatPercent(host.memoryUsedPercent), tone: usageTone(host.memoryUsedPercent, thresholds.memory) },
          ...host.disks.flatMap((disk): Segment[] => [
            { text: `  ${disk.path} ` },
            { text: formatPercent(disk.usedPercent), tone: usageTone(disk.usedPercent, thresholds.disk) },
          ]),
        ]
      : [{ text: 'no host sample yet', dim: true }],
  );
  return <PanelSummaryLine title="Resources" summary={summary} width={props.width} />;
});

const ErrorsSummary = memo(function ErrorsSummary(props: SummaryProps) {
  const fingerprints = useOpsdeck((state) => selectErrorEntries(state).length);
  const lines = useOpsdeck((state) => state.errorLineCount);
  const firing = useOpsdeck((state) => Object.values(state.externalAlerts).filter(isFiring).length);
  const summary: Segment[] = [
    ...(firing > 0 ? [{ text: `${firing} firing alert${firing === 1 ? '' : 's'}, `, tone: 'critical' as const, bold: true }] : []),
    { text: `${fingerprints} fingerprints, ${lines} error lines`, tone: fingerprints > 0 ? 'warning' : undefined },
  ];
  return <PanelSummaryLine title="Recent errors" summary={summary} width={props.width} />;
});

/** The order of the folded summary: pass and fail always, the others when there are any. */
const SUMMARY_ORDER = ['pass', 'fail', 'warn', 'blocked', 'pending', 'unknown', 'invalid'] as const;

const GatesSummary = memo(function GatesSummary(props: SummaryProps) {
  const counts = useOpsdeck(selectGatePanelCounts);
  const summary: Segment[] = [];
  for (const status of SUMMARY_ORDER) {
    const count = counts[status];
    if (count === 0 && status !== 'pass' && status !== 'fail') continue;
    if (summary.length > 0) summary.push({ text: '  ' });
    const tone = status === 'invalid' ? 'critical' : gateTone(status);
    summary.push({ text: `${count} ${status}`, tone: count > 0 || status === 'pass' ? tone : undefined, bold: status === 'fail' && count > 0 });
  }
  return <PanelSummaryLine title="Gates" summary={summary} width={props.width} />;
});

export const PANEL_SUMMARIES: Record<PanelId, ComponentType<SummaryProps>> = {
  services: ServicesSummary,
  resources: ResourcesSummary,
  errors: ErrorsSummary,
  gates: GatesSummary,
};
