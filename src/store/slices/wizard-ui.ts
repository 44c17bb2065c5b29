// The wizard's screen state, part of the ui slice: the playbook picker, whether the run
// screen shows the active run (runs slice: activeRunId), the input form being edited, the
// step whose detail is shown, and the y/N questions the view asks before an intent.
// The run itself is the runner's (runs slice); nothing here runs a step.

/** The y/N questions of the run screen, asked before the intent is sent. */
export type RunQuestionKind = 'abort' | 'rollback' | 'take-over';

export interface RunQuestion {
  kind: RunQuestionKind;
  runId: string;
  /** The terminal read whose key asked: keys of that same read cannot answer (see PendingConfirmation). */
  askedInRead?: number | undefined;
}

/** The input form of one run, as typed (submitted with enter; the runner answers with errors). */
export interface RunForm {
  runId: string;
  /** Index of the focused field in the run's `awaiting.inputs`. */
  field: number;
  values: Readonly<Record<string, string>>;
}

export interface WizardUiState {
  /** The playbook picker is open, filtered by `filter`. */
  picker: { filter: string; selectedKey: string | undefined } | undefined;
  /** The run screen shows the active run; escape leaves it (the run keeps its state). */
  runOpen: boolean;
  /** The step whose detail is shown (phase:id, see stepKeyOf); undefined follows the current step. */
  selectedStepId: string | undefined;
  /** Output lines scrolled up from the tail in the detail pane (0 follows the tail). */
  outputScroll: number;
  form: RunForm | undefined;
  /** The name typed for a type-target confirmation, for the step it was typed for; `rejected`: the last wrong name entered. */
  typedName: { stepId: string; value: string; rejected?: string } | undefined;
  question: RunQuestion | undefined;
  /** The run the operator aborted here: when the runner then offers its rollback, the view asks y/N. */
  abortedRunId: string | undefined;
}

export const INITIAL_WIZARD_UI: WizardUiState = {
  picker: undefined,
  runOpen: false,
  selectedStepId: undefined,
  outputScroll: 0,
  form: undefined,
  typedName: undefined,
  question: undefined,
  abortedRunId: undefined,
};

export interface WizardUiActions {
  openPicker(): void;
  closePicker(): void;
  setPickerFilter(filter: string): void;
  selectPickerEntry(key: string | undefined): void;
  /** Shows the active run, detail following its current step. */
  openRunScreen(): void;
  closeRunScreen(): void;
  selectRunStep(stepId: string | undefined): void;
  setOutputScroll(lines: number): void;
  setRunForm(form: RunForm | undefined): void;
  setTypedName(typed: WizardUiState['typedName']): void;
  askRunQuestion(question: RunQuestion | undefined): void;
  setAbortedRun(runId: string | undefined): void;
}

type Update = (change: (wizard: WizardUiState) => Partial<WizardUiState>) => void;

export function createWizardUiActions(update: Update): WizardUiActions {
  return {
    openPicker: () => update(() => ({ picker: { filter: '', selectedKey: undefined } })),
    closePicker: () => update(() => ({ picker: undefined })),
    setPickerFilter: (filter) => update((wizard) => (wizard.picker ? { picker: { filter, selectedKey: undefined } } : {})),
    selectPickerEntry: (selectedKey) => update((wizard) => (wizard.picker ? { picker: { ...wizard.picker, selectedKey } } : {})),
    openRunScreen: () => update(() => ({ runOpen: true, picker: undefined, selectedStepId: undefined, outputScroll: 0, question: undefined })),
    closeRunScreen: () => update(() => ({ runOpen: false, question: undefined })),
    selectRunStep: (selectedStepId) => update(() => ({ selectedStepId, outputScroll: 0 })),
    setOutputScroll: (lines) => update(() => ({ outputScroll: Math.max(0, Math.floor(lines)) })),
    setRunForm: (form) => update(() => ({ form })),
    setTypedName: (typedName) => update(() => ({ typedName })),
    askRunQuestion: (question) => update(() => ({ question })),
    setAbortedRun: (abortedRunId) => update(() => ({ abortedRunId })),
  };
}
