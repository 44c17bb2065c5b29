import { memo } from 'react';
import { VERB_WORDS, describeCall, type ActionVerb } from '../../src/domain/engine-action';
import { refKey } from '../../src/domain/resource-ref';
import { groupOf } from '../../src/domain/types';
import { useDisplay } from '../display-context';
import { wrapText } from '../format/text';
import type { Segment } from '../segments';
import { CenteredDialog, dialogKeyLine } from './CenteredDialog';
import { useActionExecutor, useOpsdeck, useOpsdeckStore } from '../store-context';
import type { Tone } from '../theme';

const ACTION_TONES: Record<ActionVerb, Tone> = {
  restart: 'warning',
  stop: 'critical',
  start: 'accent',
  kill: 'critical',
  exec: 'warning',
  logs: 'accent',
  inspect: 'accent',
  stats: 'accent',
  archive: 'accent',
  restore: 'critical',
  'rollout-restart': 'warning',
  'rollout-status': 'accent',
  'rollout-history': 'accent',
  'rollout-undo': 'critical',
  scale: 'warning',
  'set-resources': 'warning',
  'set-env': 'warning',
  delete: 'critical',
  top: 'accent',
  events: 'accent',
  silence: 'warning',
};

/** The call wrapped to `width` in at most `rows` lines; when taller, the last line says how much is left out. */
function callLines(call: string, width: number, rows: number, ellipsis: string): string[] {
  const wrapped = wrapText(call, width);
  if (wrapped.length <= rows || rows < 2) return wrapped.slice(0, rows);
  const kept = wrapped.slice(0, rows - 1);
  return [...kept, `${ellipsis} ${call.length - kept.join('').length} more characters`];
}

/**
 * The y/N question before an engine action, drawn over the middle of the body. Its
 * lines are padded to the dialog width so nothing of the panels below shows through.
 */
export const ConfirmDialog = memo(function ConfirmDialog(props: { width: number; height: number }) {
  const { glyphs } = useDisplay();
  const store = useOpsdeckStore();
  const confirmation = useOpsdeck((state) => state.ui.confirmation);
  const target = confirmation?.action.target;
  const instance = useOpsdeck((state) => (target ? state.instances[refKey(target)] : undefined));
  const engineLabel = useOpsdeck((state) => (target ? (state.engines[target.engineId]?.label ?? target.engineId) : ''));
  const executor = useActionExecutor();
  if (!confirmation || !target) return null;

  const call = executor.describe(confirmation.action);
  const callText = call ? describeCall(call) : '';
  // Wide enough for the exact call (a full container id is 64 characters), within the screen.
  const dialogWidth = Math.min(Math.max(64, callText.length + 4), Math.max(20, props.width - 4));
  const verbWord = VERB_WORDS[confirmation.action.verb].present;
  const tone = ACTION_TONES[confirmation.action.verb];
  const verb = verbWord[0]?.toUpperCase() + verbWord.slice(1);
  const where = instance
    ? `${groupOf(instance)}/${instance.workload.name} on ${engineLabel}`
    : `${target.namespace ? `${target.namespace}/${target.name} ` : ''}on ${engineLabel}`;
  const keys = dialogKeyLine(store.getState(), 'confirm', glyphs.ascii);
  const heading: Segment[][] = [
    [{ text: ` ${verb} ${target.kind} ${confirmation.targetLabel}? [y/N]`, bold: true, tone }],
    ...(confirmation.detail !== undefined ? [[{ text: ` ${confirmation.detail}`, bold: true }]] : []),
    [{ text: ` ${where}`, dim: true }],
  ];
  const footer: Segment[][] = [[{ text: '' }], [{ text: ` ${keys}` }]];
  // The exact call whole, wrapped (a silence's JSON body is longer than any screen is wide), in
  // the rows the screen has; only a call taller than that is cut, and it says so.
  const callWidth = dialogWidth - 3;
  const callRows = Math.max(1, props.height - 2 - heading.length - footer.length);
  const shown = callLines(callText, callWidth, callRows, glyphs.ellipsis);
  const lines: Segment[][] = [...heading, ...shown.map((text): Segment[] => [{ text: ` ${text}`, dim: true }]), ...footer];
  return <CenteredDialog width={props.width} height={props.height} dialogWidth={dialogWidth} tone={tone} lines={lines} />;
});
