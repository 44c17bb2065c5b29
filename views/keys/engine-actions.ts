// The one path of an engine action from the keyboard: asked (the `r`/`s`/`S` keys and the
// `:restart`/`:stop`/`:start` commands both call askToRun; the Kubernetes keys call
// askAuthorized), confirmed with y, then run through the action executor in exactly one place,
// runConfirmedAction, which reports its result.
//
// A Kubernetes mutation is authorized before it is confirmed: the runtime asks an access review
// as soon as the row is selected; a key pressed before it answered waits for it. The operator
// is never asked to confirm what the server then forbids.

import { accessKeyOf, describeResult, VERB_WORDS, verbsFor, type EngineAction, type LifecycleVerb } from '../../src/domain/engine-action';
import { refKey } from '../../src/domain/resource-ref';
import type { Instance } from '../../src/domain/types';
import { accessDecisionOf, decisionFromRefusal, refusalForTarget } from '../../src/store/selectors/action-targets';
import type { OpsdeckState } from '../../src/store/store-types';
import type { CommandContext } from './command-context';

/** The action a verb makes for an instance. */
export function actionFor(verb: LifecycleVerb, instance: Instance): EngineAction {
  return { verb, target: instance.ref };
}

/** Asks for confirmation of `verb` on `instance`, or says in the status line why it cannot be done. */
export function askToRun(context: CommandContext, verb: LifecycleVerb, instance: Instance): void {
  const state = context.store.getState();
  const action = actionFor(verb, instance);
  // The executor decides what is refused (read-only, unsupported); the store knows what is busy.
  const refusal = context.executor.refusal(action) ?? refusalForTarget(state, verb, instance);
  if (refusal !== undefined) {
    state.showStatus(refusal, 'warning');
    return;
  }
  if (!verbsFor(instance).includes(verb)) {
    state.showStatus(`${instance.ref.name} is ${instance.state}: nothing to ${VERB_WORDS[verb].present}`, 'warning');
    return;
  }
  state.askConfirmation({ action, targetLabel: instance.ref.name, askedInRead: context.press.terminalRead });
}

/** "forbidden: …" as the status line says it, whatever words the access review used. */
export function forbiddenText(reason: string): string {
  return /^forbidden\b/i.test(reason) ? reason : `forbidden: ${reason}`;
}

/** Where the operator is: the focused panel and its selected row (an answer that comes after they moved asks nothing). */
export function placeOf(state: OpsdeckState): string {
  return `${state.ui.focusedPanel}\n${state.ui.selectedKeyByPanel[state.ui.focusedPanel] ?? ''}`;
}

/**
 * Runs `then` once the action is known to be allowed: at once when the access review already
 * answered, after it answers otherwise (the answer is kept for the hints). A refusal or a
 * forbidden answer goes to the status line and `then` never runs.
 */
export function whenAuthorized(context: CommandContext, action: EngineAction, then: () => void): void {
  const state = context.store.getState();
  const decision = accessDecisionOf(state, action);
  if (decision?.allowed === false) {
    state.showStatus(forbiddenText(decision.reason), 'warning');
    return;
  }
  const refusal = context.executor.refusal(action) ?? refusalForTarget(state, action.verb, { key: refKey(action.target), ref: action.target });
  if (refusal !== undefined) {
    state.showStatus(refusal, 'warning');
    return;
  }
  if (decision?.allowed) {
    then();
    return;
  }
  state.showStatus(`checking whether you may ${VERB_WORDS[action.verb].present} ${action.target.name}…`);
  const asked = placeOf(state);
  void context.executor.authorize(action).then((answer) => {
    const current = context.store.getState();
    const answered = decisionFromRefusal(answer);
    current.accessReviewed(accessKeyOf(action), answered);
    if (!answered.allowed) {
      current.showStatus(forbiddenText(answered.reason), 'warning');
      return;
    }
    // The operator moved on (another row, another screen) while the review ran: nothing is asked.
    if (placeOf(current) !== asked || current.ui.confirmation !== undefined) return;
    current.clearStatus();
    then();
  });
}

/** Asks for confirmation of a Kubernetes mutation once it is authorized; `detail` says what exactly changes. */
export function askAuthorized(context: CommandContext, action: EngineAction, targetLabel: string, detail?: () => string | undefined): void {
  const askedInRead = context.press.terminalRead;
  whenAuthorized(context, action, () => {
    const line = detail?.();
    context.store.getState().askConfirmation({ action, targetLabel, askedInRead, ...(line !== undefined ? { detail: line } : {}) });
  });
}

/** Runs the pending confirmation's action (y in the dialog); the row shows it in flight, the status line its result. */
export function runConfirmedAction(context: CommandContext): void {
  const state = context.store.getState();
  const action = state.ui.confirmation?.action;
  state.askConfirmation(undefined);
  if (!action) return;
  state.showStatus(`${VERB_WORDS[action.verb].progressive} ${action.target.name}…`);
  void context.executor.execute(action).then((result) => {
    const severity = result.status === 'done' || result.status === 'would-do' ? 'info' : result.status === 'refused' ? 'warning' : 'error';
    context.store.getState().showStatus(describeResult(result), severity);
  });
}
