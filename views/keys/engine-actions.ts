// The one place where a key or a `:` command turns into an EngineAction: ask first
// (the confirmation), then run it through the action executor and report its result.

import { describeResult, VERB_WORDS, verbsFor, type ActionVerb, type EngineAction } from '../../src/domain/engine-action';
import type { Instance } from '../../src/domain/types';
import { refusalForTarget } from '../../src/store/selectors/action-targets';
import type { CommandContext } from './command-context';

/** The action a verb makes for an instance. */
export function actionFor(verb: ActionVerb, instance: Instance): EngineAction {
  return { verb, target: instance.ref };
}

/** Asks for confirmation of `verb` on `instance`, or says in the status line why it cannot be done. */
export function askToRun(context: CommandContext, verb: ActionVerb, instance: Instance): void {
  const state = context.store.getState();
  const refusal = refusalForTarget(state, verb, instance);
  if (refusal !== undefined) {
    state.showStatus(refusal, 'warning');
    return;
  }
  if (!verbsFor(instance).includes(verb)) {
    state.showStatus(`${instance.ref.name} is ${instance.state}: nothing to ${VERB_WORDS[verb].present}`, 'warning');
    return;
  }
  state.askConfirmation({ action: actionFor(verb, instance), targetLabel: instance.ref.name });
}

/** Runs a confirmed action; the row shows it in flight, the status line its result. */
export function runConfirmed(context: CommandContext, action: EngineAction): void {
  const state = context.store.getState();
  state.showStatus(`${VERB_WORDS[action.verb].progressive} ${action.target.name}…`);
  void context.executor.execute(action).then((result) => {
    const severity = result.status === 'done' ? 'info' : result.status === 'refused' ? 'warning' : 'error';
    context.store.getState().showStatus(describeResult(result), severity);
  });
}
