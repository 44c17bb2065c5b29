// The lines of a gate's detail screen (enter in the gates panel): what it is, where it was
// configured, its status and since when, what the last check saw, the recovery playbook with
// its bound inputs, and the history of its flips. Pure: the screen draws them, the scroll keys
// count them.

import type { GateEvidence, GateResult } from '../../src/domain/types';
import type { GateFlip, GateSpec } from '../../src/gates/gate-types';
import type { GateDetailInput } from '../../src/store/selectors/gate-panel';
import { formatAgo, formatBytes, formatClock, formatDuration } from '../format/numbers';
import { wrapText } from '../format/text';
import { stageLabel } from '../panels/GatesPanel';
import type { Segment } from '../segments';
import { gateTone } from '../theme';
import { labelCell, labelled } from './DetailScreen';

/** How many lines of a body excerpt or command output the screen shows (the evidence is bounded where it is made). */
const EXCERPT_LINES = 12;

function heading(text: string): Segment[] {
  return [{ text: ` ${text}`, bold: true, tone: 'accent' }];
}

/** An excerpt of untrusted text (sanitised where it entered), line by line, indented, bounded. */
function excerptLines(label: string, text: string, width: number): Segment[][] {
  const lines = text.split('\n');
  const shown = lines.slice(0, EXCERPT_LINES);
  const result: Segment[][] = [[labelCell(label), { text: lines.length > shown.length ? `(first ${shown.length} of ${lines.length} lines)` : '', dim: true }]];
  for (const line of shown) for (const part of wrapText(line, Math.max(1, width - 4))) result.push([{ text: `   ${part}` }]);
  return result;
}

export function evidenceLines(evidence: GateEvidence | undefined, width: number, now: number): Segment[][] {
  if (!evidence) return [[{ text: ' no evidence recorded', dim: true }]];
  const lines: Segment[][] = [];
  if (evidence.statusCode !== undefined) lines.push(...labelled('http', String(evidence.statusCode), width, evidence.statusCode >= 400 ? 'critical' : undefined));
  if (evidence.bodyExcerpt !== undefined) lines.push(...excerptLines('body', evidence.bodyExcerpt, width));
  if (evidence.exitCode !== undefined) lines.push(...labelled('exit', String(evidence.exitCode), width, evidence.exitCode !== 0 ? 'critical' : undefined));
  if (evidence.outputExcerpt !== undefined) lines.push(...excerptLines('output', evidence.outputExcerpt, width));
  if (evidence.daysLeft !== undefined || evidence.notAfter !== undefined) {
    const days = evidence.daysLeft === undefined ? '' : evidence.daysLeft < 0 ? `expired ${-evidence.daysLeft} days ago` : `${evidence.daysLeft} days left`;
    const notAfter = evidence.notAfter === undefined ? '' : `notAfter ${evidence.notAfter}`;
    lines.push(...labelled('expires', [days, notAfter].filter((part) => part !== '').join(', '), width, evidence.daysLeft !== undefined && evidence.daysLeft < 30 ? 'warning' : undefined));
  }
  if (evidence.file !== undefined) lines.push(...labelled('file', evidence.file, width, 'accent'));
  if (evidence.ageMs !== undefined) lines.push(...labelled('age', `${formatDuration(evidence.ageMs)} (written ${formatAgo(now - evidence.ageMs, now)})`, width));
  if (evidence.sizeBytes !== undefined) lines.push(...labelled('size', `${formatBytes(evidence.sizeBytes)} (${evidence.sizeBytes} bytes)`, width));
  if (evidence.value !== undefined || evidence.comparison !== undefined) {
    const compared = evidence.comparison === undefined ? '' : `compared: ${evidence.comparison}`;
    lines.push(...labelled('value', [evidence.value ?? '', compared].filter((part) => part !== '').join('   '), width));
  }
  if (evidence.items !== undefined && evidence.items.length > 0) lines.push(...labelled('items', evidence.items.join(', '), width));
  if (evidence.error !== undefined) lines.push(...labelled('error', evidence.error, width, 'critical'));
  return lines.length > 0 ? lines : [[{ text: ' no evidence recorded', dim: true }]];
}

function inputsText(inputs: Readonly<Record<string, string>>): string {
  const entries = Object.entries(inputs);
  return entries.length === 0 ? 'none bound (the form asks)' : entries.map(([name, value]) => `${name}=${value}`).join('  ');
}

export function recoveryLines(input: GateDetailInput, width: number): Segment[][] {
  const { gate, spec } = input;
  if (gate.playbook === undefined) return labelled('playbook', 'none: this gate has no recovery playbook (p lists the playbooks)', width, 'warning');
  const lines = labelled('playbook', `${gate.playbook}${input.recoveryInCatalog ? '' : ' (not in the catalog)'}`, width, input.recoveryInCatalog ? 'accent' : 'warning');
  if (gate.playbookInputs !== undefined) lines.push(...labelled('inputs', inputsText(gate.playbookInputs), width));
  else if (spec?.recovery) lines.push(...labelled('inputs', `${inputsText(spec.recovery.inputs)} (as written, bound on a failure)`, width));
  if (gate.workloadKey !== undefined) lines.push(...labelled('target', gate.workloadKey, width));
  if (gate.status === 'fail' || gate.status === 'warn') lines.push([{ text: ' ! opens it with these inputs', dim: true }]);
  return lines;
}

export function flipLines(flips: readonly GateFlip[], now: number): Segment[][] {
  if (flips.length === 0) return [[{ text: ' no flips seen since the cockpit started', dim: true }]];
  return flips.map((flip): Segment[] => [
    { text: `  ${formatClock(flip.at)} `, dim: true },
    { text: `${formatAgo(flip.at, now).padEnd(9)} `, dim: true },
    { text: flip.from, tone: gateTone(flip.from) },
    { text: ' -> ' },
    { text: flip.to, tone: gateTone(flip.to), bold: true },
    { text: `  ${flip.detail}` },
  ]);
}

function checkedText(gate: GateResult, spec: GateSpec | undefined, now: number): string {
  const parts = [gate.checkedAt > 0 ? formatAgo(gate.checkedAt, now) : 'not yet'];
  if (gate.durationMs !== undefined) parts.push(`took ${gate.durationMs < 1000 ? `${Math.round(gate.durationMs)}ms` : formatDuration(gate.durationMs)}`);
  if (spec) parts.push(`every ${formatDuration(spec.intervalMs)}, timeout ${formatDuration(spec.timeoutMs)}`);
  return parts.join(', ');
}

export function gateDetailLines(input: GateDetailInput, width: number, now: number): Segment[][] {
  const { gate, spec } = input;
  const stage = stageLabel(gate);
  const where = spec ? `${spec.check.type} check, ${spec.origin.file}:${spec.origin.line}` : gate.origin === 'configured' ? 'configured' : 'built-in';
  return [
    [{ text: ` ${stage === '' ? '' : `${stage}  `}`, bold: true }, { text: gate.title, bold: true, tone: 'accent' }],
    ...labelled('id', `${gate.id}  (${where})`, width),
    ...labelled('stage', gate.stage === undefined ? 'independent (no stage)' : `${stage}: runs when every earlier stage passes`, width),
    ...(gate.failureCode !== undefined ? labelled('code', gate.failureCode, width, 'warning') : []),
    ...(gate.severity !== undefined ? labelled('severity', gate.severity, width, gate.severity === 'critical' ? 'critical' : undefined) : []),
    [
      labelCell('status'),
      { text: gate.status, tone: gateTone(gate.status), bold: true },
      { text: gate.since !== undefined ? `   since ${formatAgo(gate.since, now)} (${formatClock(gate.since)})` : '', dim: true },
    ],
    ...labelled('checked', checkedText(gate, spec, now), width),
    ...labelled('detail', gate.detail, width, gate.status === 'fail' ? 'critical' : undefined),
    [],
    heading('evidence'),
    ...evidenceLines(gate.evidence, width, now),
    [],
    heading('recovery'),
    ...recoveryLines(input, width),
    [],
    heading(`flips (oldest first)`),
    ...flipLines(input.flips, now),
  ];
}
