// How a step's status and a run's verdict are drawn: one glyph (plain ASCII with --ascii)
// and one tone each, so the step list, the detail and the summary agree.

import type { RunStatus, StepStatus } from '../../src/playbooks/run-types';
import type { Glyphs } from '../format/glyphs';
import type { Tone } from '../theme';

const STEP_GLYPHS: Record<StepStatus, { unicode: string; ascii: string; tone: Tone | undefined }> = {
  pending: { unicode: '·', ascii: '.', tone: undefined },
  'awaiting-confirmation': { unicode: '?', ascii: '?', tone: 'warning' },
  'awaiting-approval': { unicode: '⧗', ascii: 'A', tone: 'warning' },
  'awaiting-operator': { unicode: '?', ascii: '?', tone: 'warning' },
  running: { unicode: '▶', ascii: '>', tone: 'accent' },
  passed: { unicode: '✓', ascii: '+', tone: 'ok' },
  failed: { unicode: '✗', ascii: 'x', tone: 'critical' },
  skipped: { unicode: '-', ascii: '-', tone: undefined },
  refused: { unicode: '⊘', ascii: '!', tone: 'warning' },
  'would-do': { unicode: '○', ascii: 'o', tone: 'accent' },
};

export function stepGlyph(status: StepStatus, glyphs: Pick<Glyphs, 'ascii'>): { glyph: string; tone: Tone | undefined } {
  const entry = STEP_GLYPHS[status];
  return { glyph: glyphs.ascii ? entry.ascii : entry.unicode, tone: entry.tone };
}

/** Status words as the step list writes them. */
export const STEP_WORDS: Record<StepStatus, string> = {
  pending: 'pending',
  'awaiting-confirmation': 'confirm?',
  'awaiting-approval': 'approval?',
  'awaiting-operator': 'your turn',
  running: 'running',
  passed: 'passed',
  failed: 'failed',
  skipped: 'skipped',
  refused: 'refused',
  'would-do': 'would do',
};

export function runStatusTone(status: RunStatus): Tone | undefined {
  switch (status) {
    case 'passed':
      return 'ok';
    case 'failed':
    case 'aborted':
      return 'critical';
    case 'rolled-back':
    case 'awaiting-input':
    case 'paused':
      return 'warning';
    default:
      return 'accent';
  }
}

/** "1.2s", "45s", "3m 05s": a step's duration, finer than formatDuration. */
export function stepDuration(milliseconds: number): string {
  if (!Number.isFinite(milliseconds) || milliseconds < 0) return '';
  if (milliseconds < 10_000) return `${(milliseconds / 1000).toFixed(1)}s`;
  const seconds = Math.floor(milliseconds / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}
