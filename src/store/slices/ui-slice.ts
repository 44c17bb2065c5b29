import type { EngineAction } from '../../domain/engine-action';
import type { RefKey } from '../../domain/types';
import { NO_PENDING, type SliceModule } from '../slice-module';
import { historyWith, textInputOf, type TextInputState } from '../text-input';
import { createClusterUiActions, INITIAL_CLUSTER_UI, type ClusterUiActions, type ClusterUiState } from './cluster-ui';
import { createWizardUiActions, INITIAL_WIZARD_UI, type WizardUiActions, type WizardUiState } from './wizard-ui';
import { createIncidentUiActions, INITIAL_INCIDENT_UI, type IncidentUiActions, type IncidentUiState } from './incident-ui';

export type PanelId = 'services' | 'resources' | 'errors' | 'gates';
export const PANEL_ORDER: readonly PanelId[] = ['services', 'resources', 'errors', 'gates'];

export interface PendingConfirmation {
  /** What `y` runs, through the action executor. */
  action: EngineAction;
  /** How the target is named in the question ("shop-api-1"). */
  targetLabel: string;
  /** A line under the question saying what exactly changes ("from 3 to 5 replicas", "to revision 2"). */
  detail?: string | undefined;
  /** The terminal read whose key asked (KeyPress.terminalRead): keys of that same read cannot answer. */
  askedInRead?: number | undefined;
}

export interface LogViewState {
  /** The workload whose log buffer is shown. */
  workloadKey: RefKey;
  /** Follow the tail; off while the operator scrolls back. */
  follow: boolean;
  /** Lines scrolled up from the tail when not following. */
  scrollOffset: number;
  search: string;
  searchEditing: boolean;
  /** Index (in the buffer) of the current search match. */
  matchIndex: number | undefined;
}

/** The lines the operator types into; each keeps a history of its own. */
export type TextInputId = 'filter' | 'search' | 'prompt' | 'playbook-filter' | 'run-input' | 'run-confirm' | 'scale' | 'incident-input';

export interface ActiveTextInput {
  id: TextInputId;
  state: TextInputState;
}

export interface StatusMessage {
  text: string;
  severity: 'info' | 'warning' | 'error';
  at: number;
}

export interface UiState {
  focusedPanel: PanelId;
  /** Selected row key per panel (stable across list changes). */
  selectedKeyByPanel: Partial<Record<PanelId, string>>;
  filter: string;
  filterEditing: boolean;
  /** Panel whose rows `filter` narrows (one filter at a time); undefined when no filter. */
  filterPanel: PanelId | undefined;
  collapsedProjects: Record<string, true>;
  helpOpen: boolean;
  confirmation: PendingConfirmation | undefined;
  logView: LogViewState | undefined;
  statusMessage: StatusMessage | undefined;
  quitRequested: boolean;
  /** Fingerprint whose raw sample is shown full-screen (enter in the errors panel). */
  errorDetail: string | undefined;
  /** The gate whose evidence and flips are shown full-screen (enter in the gates panel), scrolled by `scroll` lines. */
  gateDetail: { gateId: string; scroll: number } | undefined;
  /** The line being edited (one at a time), with its cursor and history position. */
  textInput: ActiveTextInput | undefined;
  inputHistory: Partial<Record<TextInputId, readonly string[]>>;
  /** The `:` command prompt is open (its line is `textInput`). */
  promptOpen: boolean;
  /** Candidates of the last tab completion in the prompt, shown beside it. */
  promptCompletions: readonly string[];
  /** The playbook picker, run screen and input form (wizard-ui.ts). */
  wizard: WizardUiState;
  /** The `:ctx`/`:ns` scope, the scale input and the workload/pod detail (cluster-ui.ts). */
  cluster: ClusterUiState;
  /** Incident mode's forms, screen and the due level put off (incident-ui.ts). */
  incident: IncidentUiState;
}

export interface UiSlice extends WizardUiActions, ClusterUiActions, IncidentUiActions {
  ui: UiState;
  focusPanel(panel: PanelId): void;
  focusNextPanel(direction: 1 | -1): void;
  selectRow(panel: PanelId, key: string | undefined): void;
  setFilter(filter: string): void;
  setFilterEditing(editing: boolean): void;
  toggleProjectCollapsed(projectKey: string): void;
  setHelpOpen(open: boolean): void;
  askConfirmation(confirmation: PendingConfirmation | undefined): void;
  openLogView(workloadKey: RefKey): void;
  updateLogView(change: Partial<Omit<LogViewState, 'workloadKey'>>): void;
  closeLogView(): void;
  showStatus(text: string, severity?: StatusMessage['severity']): void;
  /** A new screen opened: the last screen's message no longer applies. */
  clearStatus(): void;
  requestQuit(): void;
  /** Starts editing a filter for `panel`; keeps the text when that panel already has the filter. */
  startFilter(panel: PanelId): void;
  /** Removes the filter and leaves filter editing. */
  clearFilter(): void;
  openErrorDetail(fingerprint: string): void;
  closeErrorDetail(): void;
  /** Opens the detail of a gate at its top; undefined closes it. */
  openGateDetail(gateId: string | undefined): void;
  /** Scrolls the open gate detail to line `scroll` (the command clamps it to the lines drawn). */
  scrollGateDetail(scroll: number): void;
  /** Starts editing `id` with `value`, cursor at the end, its history ready for up/down. */
  beginTextInput(id: TextInputId, value: string): void;
  setTextInput(state: TextInputState): void;
  /** Stops editing; `remember` keeps the value in the input's history. */
  endTextInput(remember: boolean): void;
  openPrompt(): void;
  /** Closes the prompt; `remember` keeps the line in the prompt's history. */
  closePrompt(remember: boolean): void;
  setPromptCompletions(candidates: readonly string[]): void;
}

export const INITIAL_UI_STATE: UiState = {
  focusedPanel: 'services',
  selectedKeyByPanel: {},
  filter: '',
  filterEditing: false,
  collapsedProjects: {},
  helpOpen: false,
  confirmation: undefined,
  logView: undefined,
  statusMessage: undefined,
  quitRequested: false,
  filterPanel: undefined,
  errorDetail: undefined,
  gateDetail: undefined,
  textInput: undefined,
  inputHistory: {},
  promptOpen: false,
  promptCompletions: [],
  wizard: INITIAL_WIZARD_UI,
  cluster: INITIAL_CLUSTER_UI,
  incident: INITIAL_INCIDENT_UI,
};

/** The text input after `id` stops being edited (another input's stays). */
function endingInput(ui: UiState, id: TextInputId): ActiveTextInput | undefined {
  return ui.textInput?.id === id ? undefined : ui.textInput;
}

function endedTextInput(ui: UiState, remember: boolean): Partial<UiState> {
  if (!ui.textInput) return {};
  const { id, state } = ui.textInput;
  const inputHistory = remember ? { ...ui.inputHistory, [id]: historyWith(ui.inputHistory[id] ?? [], state.value) } : ui.inputHistory;
  return { textInput: undefined, inputHistory };
}

type SetState = (update: (state: { ui: UiState }) => { ui: UiState }) => void;

export function createUiSlice(set: SetState, now: () => number): UiSlice {
  const update = (change: (ui: UiState) => Partial<UiState>): void =>
    set((state) => ({ ui: { ...state.ui, ...change(state.ui) } }));

  return {
    ui: INITIAL_UI_STATE,
    ...createWizardUiActions((change) => update((ui) => ({ wizard: { ...ui.wizard, ...change(ui.wizard) } }))),
    ...createClusterUiActions((change) => update((ui) => ({ cluster: { ...ui.cluster, ...change(ui.cluster) } }))),
    ...createIncidentUiActions((change) => update((ui) => ({ incident: { ...ui.incident, ...change(ui.incident) } }))),
    focusPanel: (panel) => update(() => ({ focusedPanel: panel })),
    focusNextPanel: (direction) =>
      update((ui) => {
        const index = PANEL_ORDER.indexOf(ui.focusedPanel);
        const next = PANEL_ORDER[(index + direction + PANEL_ORDER.length) % PANEL_ORDER.length] ?? 'services';
        return { focusedPanel: next };
      }),
    selectRow: (panel, key) => update((ui) => ({ selectedKeyByPanel: { ...ui.selectedKeyByPanel, [panel]: key } })),
    setFilter: (filter) => update(() => ({ filter })),
    setFilterEditing: (filterEditing) => update(() => ({ filterEditing })),
    toggleProjectCollapsed: (projectKey) =>
      update((ui) => {
        const collapsedProjects = { ...ui.collapsedProjects };
        if (collapsedProjects[projectKey]) delete collapsedProjects[projectKey];
        else collapsedProjects[projectKey] = true;
        return { collapsedProjects };
      }),
    setHelpOpen: (helpOpen) => update(() => ({ helpOpen })),
    askConfirmation: (confirmation) => update(() => ({ confirmation })),
    openLogView: (workloadKey) =>
      update(() => ({
        logView: { workloadKey, follow: true, scrollOffset: 0, search: '', searchEditing: false, matchIndex: undefined },
      })),
    updateLogView: (change) => update((ui) => (ui.logView ? { logView: { ...ui.logView, ...change } } : {})),
    closeLogView: () => update((ui) => ({ logView: undefined, textInput: endingInput(ui, 'search') })),
    showStatus: (text, severity = 'info') => update(() => ({ statusMessage: { text, severity, at: now() } })),
    clearStatus: () => update((ui) => (ui.statusMessage ? { statusMessage: undefined } : {})),
    requestQuit: () => update(() => ({ quitRequested: true })),
    startFilter: (panel) =>
      update((ui) => {
        const filter = ui.filterPanel === panel ? ui.filter : '';
        return { filterPanel: panel, filter, filterEditing: true, textInput: { id: 'filter', state: textInputOf(filter, ui.inputHistory.filter) } };
      }),
    clearFilter: () => update((ui) => ({ filter: '', filterEditing: false, filterPanel: undefined, textInput: endingInput(ui, 'filter') })),
    openErrorDetail: (fingerprint) => update(() => ({ errorDetail: fingerprint })),
    closeErrorDetail: () => update(() => ({ errorDetail: undefined })),
    openGateDetail: (gateId) => update(() => ({ gateDetail: gateId === undefined ? undefined : { gateId, scroll: 0 } })),
    scrollGateDetail: (scroll) => update((ui) => (ui.gateDetail ? { gateDetail: { ...ui.gateDetail, scroll: Math.max(0, scroll) } } : {})),
    beginTextInput: (id, value) => update((ui) => ({ textInput: { id, state: textInputOf(value, ui.inputHistory[id]) } })),
    setTextInput: (state) => update((ui) => (ui.textInput ? { textInput: { ...ui.textInput, state } } : {})),
    endTextInput: (remember) => update((ui) => endedTextInput(ui, remember)),
    openPrompt: () =>
      update((ui) => ({ promptOpen: true, promptCompletions: [], textInput: { id: 'prompt', state: textInputOf('', ui.inputHistory.prompt) } })),
    closePrompt: (remember) =>
      update((ui) => ({ ...(ui.textInput?.id === 'prompt' ? endedTextInput(ui, remember) : {}), promptOpen: false, promptCompletions: [] })),
    setPromptCompletions: (promptCompletions) => update(() => ({ promptCompletions })),
  };
}

export const uiSlice: SliceModule<UiSlice, undefined> = {
  name: 'ui',
  createPending: NO_PENDING,
  // A status message is dated on the store's clock too (the latest time it knows), which judges how long it is shown.
  create: ({ set, get, now }) => createUiSlice(set, () => Math.max(now(), get().clock)),
};
