// The one path of an engine action from the keyboard: asked (the `r`/`s`/`S` keys and the
// `:restart`/`:stop`/`:start` commands both call askToRun), confirmed with y, then run through
// the action executor in exactly one place, runConfirmedAction, which reports its result.

import { describeResult, VERB_WORDS, verbsFor, type LifecycleVerb, type EngineAction } from '../../src/domain/engine-action';
import type { Instance } from '../../src/domain/types';
import { refusalForTarget } from '../../src/store/selectors/action-targets';
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

/** Runs the pending confirmation's action (y in the dialog); the row shows it in flight, the status line its result. */
export function runConfirmedAction(context: CommandContext): void {
  const state = context.store.getState();
  const action = state.ui.confirmation?.action;
  state.askConfirmation(undefined);
  if (!action) return;
  state.showStatus(`${VERB_WORDS[action.verb].progressive} ${action.target.name}…`);
  void context.executor.execute(action).then((result) => {
    const severity = result.status === 'done' ? 'info' : result.status === 'refused' ? 'warning' : 'error';
    context.store.getState().showStatus(describeResult(result), severity);
  });
}
