import type { ServiceKey } from '../../domain/types';

export type PanelId = 'services' | 'resources' | 'errors' | 'gates';
export const PANEL_ORDER: readonly PanelId[] = ['services', 'resources', 'errors', 'gates'];

export type ContainerAction = 'restart' | 'stop' | 'start';

export interface PendingConfirmation {
  action: ContainerAction;
  containerId: string;
  containerName: string;
  /** The terminal read whose key asked (views/keys/key-press.ts): keys of that same read cannot answer. */
  askedByInput?: number | undefined;
}

export interface LogViewState {
  serviceKey: ServiceKey;
  /** Follow the tail; off while the operator scrolls back. */
  follow: boolean;
  /** Lines scrolled up from the tail when not following. */
  scrollOffset: number;
  search: string;
  searchEditing: boolean;
  /** Index (in the buffer) of the current search match. */
  matchIndex: number | undefined;
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
}

export interface UiSlice {
  ui: UiState;
  focusPanel(panel: PanelId): void;
  focusNextPanel(direction: 1 | -1): void;
  selectRow(panel: PanelId, key: string | undefined): void;
  setFilter(filter: string): void;
  setFilterEditing(editing: boolean): void;
  toggleProjectCollapsed(projectKey: string): void;
  setHelpOpen(open: boolean): void;
  askConfirmation(confirmation: PendingConfirmation | undefined): void;
  openLogView(serviceKey: ServiceKey): void;
  updateLogView(change: Partial<Omit<LogViewState, 'serviceKey'>>): void;
  closeLogView(): void;
  showStatus(text: string, severity?: StatusMessage['severity']): void;
  requestQuit(): void;
  /** Starts editing a filter for `panel`; keeps the text when that panel already has the filter. */
  startFilter(panel: PanelId): void;
  /** Removes the filter and leaves filter editing. */
  clearFilter(): void;
  openErrorDetail(fingerprint: string): void;
  closeErrorDetail(): void;
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
};

type SetState = (update: (state: { ui: UiState }) => { ui: UiState }) => void;

export function createUiSlice(set: SetState, now: () => number): UiSlice {
  const update = (change: (ui: UiState) => Partial<UiState>): void =>
    set((state) => ({ ui: { ...state.ui, ...change(state.ui) } }));

  return {
    ui: INITIAL_UI_STATE,
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
    openLogView: (serviceKey) =>
      update(() => ({
        logView: { serviceKey, follow: true, scrollOffset: 0, search: '', searchEditing: false, matchIndex: undefined },
      })),
    updateLogView: (change) => update((ui) => (ui.logView ? { logView: { ...ui.logView, ...change } } : {})),
    closeLogView: () => update(() => ({ logView: undefined })),
    showStatus: (text, severity = 'info') => update(() => ({ statusMessage: { text, severity, at: now() } })),
    requestQuit: () => update(() => ({ quitRequested: true })),
    startFilter: (panel) =>
      update((ui) => ({ filterPanel: panel, filter: ui.filterPanel === panel ? ui.filter : '', filterEditing: true })),
    clearFilter: () => update(() => ({ filter: '', filterEditing: false, filterPanel: undefined })),
    openErrorDetail: (fingerprint) => update(() => ({ errorDetail: fingerprint })),
    closeErrorDetail: () => update(() => ({ errorDetail: undefined })),
  };
}
