// The screen stack: the one place that says which screens are open and which is on top.
// The body (Screen.tsx), the key scope (keys/scopes.ts), the hint bar (HintBar.tsx) and
// the help (overlays/HelpOverlay.tsx) all read it, so they cannot disagree.
//
// Each entry is one screen: when it is open, the keys it takes, what it draws and what
// its help lists. The stack is the open entries, top first. Adding a screen (a playbook
// wizard, another overlay) is adding one entry here, with its state in the ui slice.

import { selectRunQuestion } from '../../src/store/selectors/active-run';
import type { TextInputId } from '../../src/store/slices/ui-slice';
import type { OpsdeckState } from '../../src/store/store-types';
import type { CommandId } from '../keys/command-ids';
import type { KeyScope } from '../keys/key-table';
import { RESOURCE_DETAIL_SCREEN, SCALE_INPUT_SCREEN } from './kubernetes-screens';
import { pickerHint, RUN_FORM_INPUT, RUN_TYPED_INPUT, WIZARD_SCOPES, runScreenOpen } from './wizard-screens';
import { ESCALATION_SCREEN, INCIDENT_FORM_SCREEN, INCIDENT_SCREEN } from './incident-screens';

/** Full-screen bodies; Screen.tsx has one component for each. */
export type BodyId = 'panels' | 'log' | 'detail' | 'resource' | 'gate' | 'help' | 'picker' | 'run' | 'incident';

/** Drawn over the body; Screen.tsx has one component for each. */
export type OverlayId = 'confirm' | 'run-question' | 'incident-form' | 'escalation';

export type ScreenId = Exclude<KeyScope, 'global' | 'input' | 'kubernetes-rows' | 'alert-rows'>;

/** A line the operator types into: its model is src/store/text-input.ts, edited by keys/input-commands.ts. */
export interface TextInputScreen {
  id: TextInputId;
  /** Leads the input's line in the hint bar. */
  label: string;
  /** The value as the store holds it (shown when the line is not being edited yet). */
  value(state: OpsdeckState): string;
  /** Writes an edited value where it takes effect (the filter narrows as you type). */
  apply(state: OpsdeckState, value: string): void;
  /** Shown after the line (the prompt's completion candidates). */
  hint?(state: OpsdeckState): string;
}

export interface ScreenEntry {
  id: ScreenId;
  /** Section title in the help overlay. */
  title: string;
  /** Whether the screen is open in this state (the main screen always is). */
  isOpen(state: OpsdeckState): boolean;
  /**
   * Key scopes consulted while this screen is on top, first match wins. Dialogs and text
   * inputs leave out the global keys (q would quit while typing); ctrl-c always quits.
   */
  keyScopes: readonly KeyScope[];
  /** A question: the terminal read whose key asked it; keys of that same read cannot answer ("ry" asks, never confirms). */
  askedInRead?(state: OpsdeckState): number | undefined;
  /** What a key no binding takes does: a text input types it, the dialog cancels. */
  fallback?: CommandId;
  /** A text input: pasted text goes here and nowhere else. */
  textInput?: TextInputScreen;
  /** The full-screen body it draws; screens without one draw over the body below them. */
  body?: BodyId;
  overlay?: OverlayId;
  /** Key scopes the help lists when opened over this screen (the screen's own first). */
  helpScopes?: readonly KeyScope[];
  /** More help scopes, after the screen's own, listed only while a Kubernetes context is configured. */
  kubernetesHelpScopes?: readonly KeyScope[];
  /** More help scopes, listed only while an Alertmanager source is configured. */
  alertmanagerHelpScopes?: readonly KeyScope[];
  /** Help lists the `:` commands too (the screen the prompt opens on). */
  helpCommands?: boolean;
}

/**
 * Every screen, highest priority first: confirm > the run's question > text input (prompt,
 * scale, search, filter, picker, typed name, input form, incident form) > a due escalation >
 * help > run > incident > error sample > workload or pod detail > gate detail > log view > main.
 */
export const SCREENS: readonly ScreenEntry[] = [
  {
    id: 'confirm',
    title: 'Confirmation',
    isOpen: (state) => state.ui.confirmation !== undefined,
    askedInRead: (state) => state.ui.confirmation?.askedInRead,
    keyScopes: ['confirm'],
    fallback: 'confirm.cancel',
    overlay: 'confirm',
  },
  {
    id: 'run-question',
    title: 'Run question',
    isOpen: (state) => selectRunQuestion(state) !== undefined,
    askedInRead: (state) => selectRunQuestion(state)?.askedInRead,
    keyScopes: ['run-question'],
    fallback: 'question.cancel',
    overlay: 'run-question',
  },
  {
    id: 'prompt',
    title: 'Command prompt',
    isOpen: (state) => state.ui.promptOpen,
    keyScopes: ['prompt', 'input'],
    fallback: 'input.type',
    textInput: {
      id: 'prompt',
      label: ':',
      value: (state) => (state.ui.textInput?.id === 'prompt' ? state.ui.textInput.state.value : ''),
      apply: (state) => {
        if (state.ui.promptCompletions.length > 0) state.setPromptCompletions([]);
      },
      hint: (state) => state.ui.promptCompletions.join('  '),
    },
  },
  SCALE_INPUT_SCREEN,
  {
    id: 'search',
    title: 'Log search',
    isOpen: (state) => state.ui.logView?.searchEditing === true,
    keyScopes: ['search', 'input'],
    fallback: 'input.type',
    textInput: {
      id: 'search',
      label: 'search: /',
      value: (state) => state.ui.logView?.search ?? '',
      apply: (state, search) => state.updateLogView({ search, matchIndex: undefined }),
    },
  },
  {
    id: 'filter',
    title: 'Filter input',
    isOpen: (state) => state.ui.filterEditing && !state.ui.logView,
    // Up and down move the selection while filtering; the history is on ctrl-p / ctrl-n.
    keyScopes: ['filter', 'input'],
    fallback: 'input.type',
    textInput: { id: 'filter', label: 'filter: /', value: (state) => state.ui.filter, apply: (state, filter) => state.setFilter(filter) },
  },
  {
    id: 'picker',
    title: 'Playbook picker',
    isOpen: (state) => state.ui.wizard.picker !== undefined,
    keyScopes: ['picker', 'input'],
    fallback: 'input.type',
    textInput: {
      id: 'playbook-filter',
      label: 'playbook: ',
      value: (state) => state.ui.wizard.picker?.filter ?? '',
      apply: (state, filter) => state.setPickerFilter(filter),
      hint: pickerHint,
    },
    body: 'picker',
  },
  {
    id: 'run-typed',
    title: 'Typed confirmation',
    isOpen: (state) => runScreenOpen(state) && RUN_TYPED_INPUT.expected(state) !== undefined,
    keyScopes: ['run-typed', 'input'],
    fallback: 'input.type',
    textInput: RUN_TYPED_INPUT,
  },
  {
    id: 'run-form',
    title: 'Input form',
    isOpen: (state) => runScreenOpen(state) && state.runs[state.activeRunId ?? '']?.awaiting?.kind === 'inputs',
    keyScopes: ['run-form', 'input'],
    fallback: 'input.type',
    textInput: RUN_FORM_INPUT,
  },
  INCIDENT_FORM_SCREEN,
  ESCALATION_SCREEN,
  {
    id: 'help',
    title: 'Help',
    isOpen: (state) => state.ui.helpOpen,
    keyScopes: ['help', 'global'],
    body: 'help',
  },
  {
    id: 'run',
    title: 'Playbook run',
    isOpen: runScreenOpen,
    keyScopes: ['run', 'global'],
    body: 'run',
    helpScopes: WIZARD_SCOPES,
  },
  INCIDENT_SCREEN,
  {
    id: 'detail',
    title: 'Error sample',
    isOpen: (state) => state.ui.errorDetail !== undefined,
    keyScopes: ['detail', 'global'],
    body: 'detail',
    helpScopes: ['detail', 'global'],
  },
  RESOURCE_DETAIL_SCREEN,
  {
    id: 'gate-detail',
    title: 'Gate detail',
    isOpen: (state) => state.ui.gateDetail !== undefined,
    keyScopes: ['gate-detail', 'global'],
    body: 'gate',
    helpScopes: ['gate-detail', 'global'],
  },
  {
    id: 'log',
    title: 'Log view',
    isOpen: (state) => state.ui.logView !== undefined,
    keyScopes: ['log', 'global'],
    body: 'log',
    helpScopes: ['log', 'search', 'input', 'global'],
  },
  {
    id: 'main',
    title: 'Panels',
    isOpen: () => true,
    keyScopes: ['main', 'kubernetes-rows', 'alert-rows', 'global'],
    body: 'panels',
    helpScopes: ['main', 'filter', 'prompt', 'input', 'confirm', 'global'],
    kubernetesHelpScopes: ['kubernetes-rows'],
    alertmanagerHelpScopes: ['alert-rows'],
    helpCommands: true,
  },
];

const MAIN = SCREENS[SCREENS.length - 1] as ScreenEntry;

/** The open screens, top first; the main screen is always the last. */
export function screenStack(state: OpsdeckState): ScreenEntry[] {
  return SCREENS.filter((screen) => screen.isOpen(state));
}

/** The screen on top: it takes the keys. */
export function topScreen(state: OpsdeckState): ScreenEntry {
  return SCREENS.find((screen) => screen.isOpen(state)) ?? MAIN;
}

/** The highest open screen that draws a body. */
export function bodyOf(state: OpsdeckState): BodyId {
  return SCREENS.find((screen) => screen.body !== undefined && screen.isOpen(state))?.body ?? 'panels';
}

/** The highest open screen with help of its own below the help itself: what help explains. */
export function helpScreenOf(state: OpsdeckState): ScreenEntry {
  return SCREENS.find((screen) => screen.helpScopes !== undefined && screen.isOpen(state)) ?? MAIN;
}

export function screenById(id: ScreenId): ScreenEntry {
  return SCREENS.find((screen) => screen.id === id) ?? MAIN;
}

/** The key scopes help lists for a screen: its own, then the Kubernetes and Alertmanager ones when configured, then the rest. */
export function helpScopesOf(screen: ScreenEntry, kubernetes: boolean, alertmanager = false): readonly KeyScope[] {
  const scopes = screen.helpScopes ?? [];
  const extra = [...(kubernetes ? (screen.kubernetesHelpScopes ?? []) : []), ...(alertmanager ? (screen.alertmanagerHelpScopes ?? []) : [])];
  if (extra.length === 0) return scopes;
  return [...scopes.slice(0, 1), ...extra, ...scopes.slice(1)];
}

/** Help section title of a key scope: the title of its screen. */
export function scopeTitle(scope: KeyScope): string {
  if (scope === 'global') return 'Everywhere';
  if (scope === 'input') return 'Typing (filter, search, :)';
  if (scope === 'kubernetes-rows') return 'Deployment, StatefulSet and pod rows';
  if (scope === 'alert-rows') return 'Alertmanager alert rows';
  return screenById(scope).title;
}
