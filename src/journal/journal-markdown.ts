// A run's journal as a timeline: Markdown to paste into an incident report, or plain text for a
// terminal. Both render the same model (journal-timeline.ts), so they never disagree.

import type { JournalRecord } from './journal-types';
import { buildTimeline, formatTime, type Timeline, type TimelineItem, type TimelineOptions } from './journal-timeline';

export type { TimelineOptions } from './journal-timeline';

/** Markdown: header list, inputs, one `###` section per step, outputs in fenced blocks, verdicts. */
export function formatJournalMarkdown(records: JournalRecord[], options: TimelineOptions = {}): string {
  const timeline = buildTimeline(records, options);
  const out: string[] = [`# ${escapeMarkdown(timeline.header.title)}${timeline.header.runId ? `: run ${inlineCode(timeline.header.runId)}` : ''}`, ''];
  for (const [label, value] of timeline.header.fields) out.push(`- **${label}:** ${escapeMarkdown(value)}`);
  out.push('', '## Inputs', '');
  if (timeline.inputs.length === 0) out.push('(none)');
  for (const [name, value] of timeline.inputs) out.push(`- ${inlineCode(name)}: ${inlineCode(value)}`);
  out.push('', '## Timeline');
  for (const section of timeline.sections) {
    out.push('', `### ${formatTime(section.at, timeline.startedAt)} · ${escapeMarkdown(section.heading)}`, '');
    for (const item of section.items) out.push(...markdownItem(item, timeline));
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}

/** The same timeline for a terminal: aligned fields, indented output marked with `|`. */
export function formatJournalText(records: JournalRecord[], options: TimelineOptions = {}): string {
  const timeline = buildTimeline(records, options);
  const out: string[] = [`${timeline.header.title}${timeline.header.runId ? ` (run ${timeline.header.runId})` : ''}`];
  const width = Math.max(...timeline.header.fields.map(([label]) => label.length)) + 1;
  for (const [label, value] of timeline.header.fields) out.push(`  ${`${label}:`.padEnd(width)} ${value}`);
  out.push('', 'Inputs');
  if (timeline.inputs.length === 0) out.push('  (none)');
  for (const [name, value] of timeline.inputs) out.push(`  ${name} = ${value}`);
  out.push('', 'Timeline');
  for (const section of timeline.sections) {
    out.push(`${formatTime(section.at, timeline.startedAt)}  ${section.heading}`);
    for (const item of section.items) {
      if (item.kind === 'line') {
        out.push(`  ${formatTime(item.at, timeline.startedAt)}  ${item.text}`);
        continue;
      }
      out.push(`  ${item.stream}:`, ...item.lines.map((line) => `    | ${line}`));
      const more = moreLines(item);
      if (more) out.push(`    ${more}`);
    }
  }
  return `${out.join('\n')}\n`;
}

function markdownItem(item: TimelineItem, timeline: Timeline): string[] {
  if (item.kind === 'line') return [`- ${formatTime(item.at, timeline.startedAt)} ${escapeMarkdown(item.text)}`];
  const fence = fenceFor(item.lines);
  const more = moreLines(item);
  return ['', `${item.stream}:`, '', `${fence}text`, ...item.lines, fence, ...(more ? ['', `_${more}_`] : []), ''];
}

function moreLines(item: Extract<TimelineItem, { kind: 'output' }>): string | undefined {
  if (item.omittedLines > 0) return `(${item.omittedLines.toLocaleString('en-US')} more lines in the journal)`;
  return item.truncated ? '(output truncated when it was journaled)' : undefined;
}

/** A fence longer than any backtick run in the block, so output cannot close it early. */
function fenceFor(lines: readonly string[]): string {
  let longest = 0;
  for (const line of lines) for (const run of line.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return '`'.repeat(Math.max(3, longest + 1));
}

function inlineCode(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  return longest > 0 ? `${ticks} ${text} ${ticks}` : `${ticks}${text}${ticks}`;
}

/** Journal text is plain: characters Markdown would read as emphasis, links or HTML are escaped. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|#]/g, (character) => `\\${character}`);
}
