// The input form of the active run: the fields the runner asks for (awaiting.inputs), the
// values as the operator typed them (ui slice) or as the run has them (bound, defaults),
// and the values a field can take from live state (engines, services, containers, Kubernetes
// contexts, namespaces, deployments, statefulsets, pods).

import { LIVE_INPUT_TYPES, type PlaybookInput } from '../../playbooks/playbook-types';
import type { RunAwaiting } from '../../playbooks/run-types';
import { liveChoices } from '../../playbooks/runner/live-inputs';
import type { RunForm } from '../slices/wizard-ui';
import type { OpsdeckState } from '../store-types';
import { selectActiveRun } from './active-run';
import { fuzzyScore } from './fuzzy-match';
import { memoizeLast } from './memoize';

export type InputsAwaiting = Extract<RunAwaiting, { kind: 'inputs' }>;

export interface FormView {
  runId: string;
  awaiting: InputsAwaiting;
  form: RunForm;
}

/** The values a form starts with: what the run has (bound by a suggestion, typed before), else the defaults. */
export function initialFormValues(awaiting: InputsAwaiting): Record<string, string> {
  const values: Record<string, string> = {};
  for (const input of awaiting.inputs) values[input.name] = awaiting.values[input.name] ?? (input.default === undefined ? '' : String(input.default));
  return values;
}

const initialForm = memoizeLast((runId: string, awaiting: InputsAwaiting): RunForm => ({ runId, field: 0, values: initialFormValues(awaiting) }));

/** The form of the active run while it awaits inputs; the one being edited, else a fresh one. */
export function selectRunForm(state: OpsdeckState): FormView | undefined {
  const run = selectActiveRun(state);
  if (run?.awaiting?.kind !== 'inputs') return undefined;
  const edited = state.ui.wizard.form;
  const form = edited?.runId === run.runId ? edited : initialForm(run.runId, run.awaiting);
  return formView(run.awaiting, form, run.runId);
}

const formView = memoizeLast((awaiting: InputsAwaiting, form: RunForm, runId: string): FormView => ({ runId, awaiting, form }));

/** The input of the focused field. */
export function focusedInput(view: FormView): PlaybookInput | undefined {
  return view.awaiting.inputs[Math.min(view.form.field, view.awaiting.inputs.length - 1)];
}

const liveNames = memoizeLast((instances: OpsdeckState['instances'], workloads: OpsdeckState['workloads'], engines: OpsdeckState['engines'], type: PlaybookInput['type']): string[] =>
  liveChoices({ instances, workloads, engines }, type),
);

/** Every value the field can take (empty: free text): allowed values, true/false, or live objects by name. */
export function inputChoices(state: Pick<OpsdeckState, 'instances' | 'workloads' | 'engines'>, input: PlaybookInput): readonly string[] {
  if (input.type === 'choice') return input.allowed ?? [];
  if (input.type === 'boolean') return ['true', 'false'];
  if (LIVE_INPUT_TYPES.has(input.type)) return liveNames(state.instances, state.workloads, state.engines, input.type);
  return [];
}

/** The choices matching what is typed (all of them for an empty or already chosen value). */
export function matchingChoices(choices: readonly string[], typed: string): string[] {
  if (typed === '' || choices.includes(typed)) return [...choices];
  return choices.filter((choice) => fuzzyScore(typed, choice) !== undefined);
}

/**
 * The value after tab (direction 1) or shift-tab (-1): the neighbour of a chosen value, else
 * the first choice matching what is typed, else the first choice.
 */
export function cycleChoice(choices: readonly string[], value: string, direction: 1 | -1): string | undefined {
  if (choices.length === 0) return undefined;
  const index = choices.indexOf(value);
  if (index >= 0) return choices[(index + direction + choices.length) % choices.length];
  return matchingChoices(choices, value)[0] ?? choices[0];
}
