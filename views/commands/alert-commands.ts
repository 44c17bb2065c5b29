// Acknowledging an Alertmanager alert (runbook 000's "acknowledge"): `a` on an alert row of the
// errors panel opens the prompt on `:silence 2h ` so the duration can be typed over and a comment
// added; `:silence [duration] [comment]` asks y/N with the exact call, and the silence (matchers
// from the alert's labels) is created through the one action executor.

import { parseDurationWithUnit, formatDuration } from '../../src/domain/duration';
import { externalAlertFingerprint, silenceActionFor } from '../../src/store/selectors/source-rows';
import { selectSelectedKey } from '../../src/store/selectors/panel-rows';
import type { ExternalAlert } from '../../src/adapters/prometheus/source-types';
import type { OpsdeckState } from '../../src/store/store-types';
import type { CommandContext } from '../keys/command-context';
import { whenAuthorized } from '../keys/engine-actions';
import { editInput } from '../keys/input-commands';
import type { RegisteredCommand } from './command-registry';

export const DEFAULT_SILENCE_DURATION = '2h';
const DEFAULT_COMMENT = 'acknowledged in opsdeck';
/** A typed duration above this is taken for a typo (2000h for 2h). */
const MAX_SILENCE_MS = 30 * 24 * 60 * 60 * 1000;

/** The Alertmanager alert of the errors panel's selected row, when that row is one. */
export function selectSelectedExternalAlert(state: OpsdeckState): ExternalAlert | undefined {
  const fingerprint = externalAlertFingerprint(selectSelectedKey(state, 'errors') ?? '');
  return fingerprint === undefined ? undefined : state.externalAlerts[fingerprint];
}

export const onExternalAlertRow = (state: OpsdeckState): boolean => state.ui.focusedPanel === 'errors' && selectSelectedExternalAlert(state) !== undefined;

/** `2h`, `30m quiet during the deploy`, `disk is being cleaned`: the duration when the first word is one, then the comment. */
export function parseSilenceArgument(argument: string | undefined): { durationMs: number; duration: string; comment: string } | { problem: string } {
  const text = argument?.trim() ?? '';
  const [first = '', ...rest] = text.split(/\s+/);
  let duration = DEFAULT_SILENCE_DURATION;
  let comment = text;
  if (/^\d/.test(first)) {
    try {
      parseDurationWithUnit(first);
    } catch (error) {
      return { problem: (error as Error).message };
    }
    duration = first;
    comment = rest.join(' ');
  }
  const durationMs = parseDurationWithUnit(duration);
  if (durationMs <= 0) return { problem: `a silence must last longer than ${duration}` };
  if (durationMs > MAX_SILENCE_MS) return { problem: `${duration} is longer than 30 days: type a shorter silence` };
  return { durationMs, duration: formatDuration(durationMs), comment: comment === '' ? DEFAULT_COMMENT : comment };
}

function askSilence(context: CommandContext, argument: string | undefined): void {
  const state = context.store.getState();
  const alert = selectSelectedExternalAlert(state);
  if (!alert) {
    state.showStatus('silence: select an Alertmanager alert in the errors panel', 'warning');
    return;
  }
  const parsed = parseSilenceArgument(argument);
  if ('problem' in parsed) {
    state.showStatus(`silence: ${parsed.problem}`, 'warning');
    return;
  }
  const action = silenceActionFor(alert, parsed.durationMs, parsed.comment);
  const askedInRead = context.press.terminalRead;
  whenAuthorized(context, action, () => {
    const detail = `for ${parsed.duration}: "${parsed.comment}"${alert.silencedBy.length > 0 ? ' (already silenced)' : ''}`;
    context.store.getState().askConfirmation({ action, targetLabel: alert.name, askedInRead, detail });
  });
}

/** `a`: the prompt on `silence 2h ` (the duration typed over, a comment added), or why not. */
export function openAcknowledge(context: CommandContext): void {
  const state = context.store.getState();
  const alert = selectSelectedExternalAlert(state);
  if (!alert) {
    state.showStatus('acknowledge: select an Alertmanager alert in the errors panel', 'warning');
    return;
  }
  const refusal = context.executor.refusal(silenceActionFor(alert, 1, DEFAULT_COMMENT));
  if (refusal !== undefined) {
    state.showStatus(refusal, 'warning');
    return;
  }
  state.openPrompt();
  editInput(context, { kind: 'insert', text: `silence ${DEFAULT_SILENCE_DURATION} ` });
}

export const ALERT_COMMANDS: readonly RegisteredCommand[] = [
  {
    name: 'silence',
    aliases: ['ack'],
    description: 'silence the selected alert (2h)',
    argument: { name: '[duration] [comment]', optional: true, complete: () => ['30m', '1h', '2h', '4h', '1d'] },
    destructive: true,
    alertmanager: true,
    key: 'alert.acknowledge',
    run: askSilence,
  },
];
