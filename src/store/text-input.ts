// One text-input model for every line the operator types into (panel filter, log search,
// the `:` command prompt, playbook forms next): the value, a cursor, editing and history.
// Pure functions over a plain value, kept in the ui slice while the line is being edited.

export interface TextInputState {
  value: string;
  /** Cursor position in characters (code points), 0..length. */
  cursor: number;
  /** Earlier entries of this input, oldest first. */
  history: readonly string[];
  /** Entry of `history` shown after up / ctrl-p; undefined while on the line being typed. */
  historyIndex: number | undefined;
  /** The line being typed, kept while browsing the history. */
  draft: string;
}

export type TextInputEdit =
  | { kind: 'insert'; text: string }
  | { kind: 'deleteBackward' }
  | { kind: 'deleteForward' }
  | { kind: 'deleteWordBackward' }
  | { kind: 'left' }
  | { kind: 'right' }
  | { kind: 'home' }
  | { kind: 'end' }
  | { kind: 'historyPrevious' }
  | { kind: 'historyNext' };

/** Entries kept per input. */
export const MAX_HISTORY = 50;

const characters = (text: string): string[] => [...text];

export function textInputOf(value: string, history: readonly string[] = []): TextInputState {
  return { value, cursor: characters(value).length, history, historyIndex: undefined, draft: value };
}

function withValue(state: TextInputState, value: string, cursor: number): TextInputState {
  return { ...state, value, cursor, historyIndex: undefined, draft: value };
}

function showHistory(state: TextInputState, index: number | undefined): TextInputState {
  const value = index === undefined ? state.draft : (state.history[index] ?? '');
  return { ...state, value, cursor: characters(value).length, historyIndex: index };
}

/** Start of the word before `cursor` (ctrl-w: spaces before it, then the word). */
function wordStartBefore(chars: readonly string[], cursor: number): number {
  let index = cursor;
  while (index > 0 && /\s/.test(chars[index - 1] ?? '')) index -= 1;
  while (index > 0 && !/\s/.test(chars[index - 1] ?? '')) index -= 1;
  return index;
}

export function editTextInput(state: TextInputState, edit: TextInputEdit): TextInputState {
  const chars = characters(state.value);
  const cursor = Math.min(Math.max(0, state.cursor), chars.length);
  switch (edit.kind) {
    case 'insert': {
      const inserted = characters(edit.text);
      if (inserted.length === 0) return state;
      return withValue(state, [...chars.slice(0, cursor), ...inserted, ...chars.slice(cursor)].join(''), cursor + inserted.length);
    }
    case 'deleteBackward':
      if (cursor === 0) return state;
      return withValue(state, [...chars.slice(0, cursor - 1), ...chars.slice(cursor)].join(''), cursor - 1);
    case 'deleteForward':
      if (cursor >= chars.length) return state;
      return withValue(state, [...chars.slice(0, cursor), ...chars.slice(cursor + 1)].join(''), cursor);
    case 'deleteWordBackward': {
      const start = wordStartBefore(chars, cursor);
      if (start === cursor) return state;
      return withValue(state, [...chars.slice(0, start), ...chars.slice(cursor)].join(''), start);
    }
    case 'left':
      return { ...state, cursor: Math.max(0, cursor - 1) };
    case 'right':
      return { ...state, cursor: Math.min(chars.length, cursor + 1) };
    case 'home':
      return { ...state, cursor: 0 };
    case 'end':
      return { ...state, cursor: chars.length };
    case 'historyPrevious': {
      if (state.history.length === 0) return state;
      const index = state.historyIndex === undefined ? state.history.length - 1 : Math.max(0, state.historyIndex - 1);
      return showHistory(state, index);
    }
    case 'historyNext': {
      if (state.historyIndex === undefined) return state;
      const index = state.historyIndex + 1;
      return showHistory(state, index >= state.history.length ? undefined : index);
    }
  }
}

/** The history after `value` was entered: blank lines are not kept, a repeat moves to the end. */
export function historyWith(history: readonly string[], value: string): string[] {
  const entry = value.trim();
  if (entry === '') return [...history];
  return [...history.filter((item) => item !== entry), entry].slice(-MAX_HISTORY);
}

/** The value split at the cursor, for drawing. */
export function splitAtCursor(state: Pick<TextInputState, 'value' | 'cursor'>): { before: string; after: string } {
  const chars = characters(state.value);
  const cursor = Math.min(Math.max(0, state.cursor), chars.length);
  return { before: chars.slice(0, cursor).join(''), after: chars.slice(cursor).join('') };
}
