import { describe, expect, it } from 'vitest';
import { editTextInput, historyWith, MAX_HISTORY, splitAtCursor, textInputOf, type TextInputEdit, type TextInputState } from '../../src/store/text-input';

function apply(state: TextInputState, ...edits: TextInputEdit[]): TextInputState {
  return edits.reduce(editTextInput, state);
}
const typed = (text: string): TextInputEdit => ({ kind: 'insert', text });

describe('text input model', () => {
  it('inserts at the cursor and moves it with left, right, home and end', () => {
    let state = apply(textInputOf(''), typed('vlt'));
    expect(state).toMatchObject({ value: 'vlt', cursor: 3 });
    state = apply(state, { kind: 'left' }, { kind: 'left' }, typed('au'));
    expect(state).toMatchObject({ value: 'vault', cursor: 3 });
    state = apply(state, { kind: 'home' }, typed('['), { kind: 'end' }, typed(']'));
    expect(state).toMatchObject({ value: '[vault]', cursor: 7 });
    // The cursor stays inside the line.
    expect(apply(state, { kind: 'right' }).cursor).toBe(7);
    expect(apply(state, { kind: 'home' }, { kind: 'left' }).cursor).toBe(0);
    expect(splitAtCursor(apply(state, { kind: 'left' }))).toEqual({ before: '[vault', after: ']' });
  });

  it('deletes before and at the cursor, and the word before it (ctrl-w)', () => {
    const state = textInputOf('restart shop-api  ');
    expect(apply(state, { kind: 'deleteBackward' }).value).toBe('restart shop-api ');
    expect(apply(state, { kind: 'deleteWordBackward' })).toMatchObject({ value: 'restart ', cursor: 8 });
    expect(apply(state, { kind: 'deleteWordBackward' }, { kind: 'deleteWordBackward' }).value).toBe('');
    expect(apply(state, { kind: 'home' }, { kind: 'deleteForward' })).toMatchObject({ value: 'estart shop-api  ', cursor: 0 });
    expect(apply(state, { kind: 'home' }, { kind: 'deleteBackward' }).value).toBe('restart shop-api  ');
    expect(apply(state, { kind: 'end' }, { kind: 'deleteForward' }).value).toBe('restart shop-api  ');
  });

  it('counts characters, not UTF-16 units', () => {
    const state = apply(textInputOf('db🔥'), { kind: 'left' }, typed('x'));
    expect(state).toMatchObject({ value: 'dbx🔥', cursor: 3 });
    expect(apply(textInputOf('a🔥'), { kind: 'deleteBackward' }).value).toBe('a');
  });

  it('browses the history with previous / next and comes back to the line being typed', () => {
    const state = apply(textInputOf('', ['api', 'vault']), typed('wor'));
    const previous = apply(state, { kind: 'historyPrevious' });
    expect(previous).toMatchObject({ value: 'vault', cursor: 5 });
    expect(apply(previous, { kind: 'historyPrevious' }).value).toBe('api');
    expect(apply(previous, { kind: 'historyPrevious' }, { kind: 'historyPrevious' }).value).toBe('api');
    expect(apply(previous, { kind: 'historyNext' })).toMatchObject({ value: 'wor', cursor: 3 });
    // Editing an entry from the history makes it the line being typed.
    const edited = apply(previous, typed('!'), { kind: 'historyNext' });
    expect(edited.value).toBe('vault!');
    expect(apply(textInputOf('x'), { kind: 'historyPrevious' }).value).toBe('x');
  });

  it('keeps entered lines once, newest last, bounded', () => {
    expect(historyWith(['api', 'vault'], 'api')).toEqual(['vault', 'api']);
    expect(historyWith(['api'], '   ')).toEqual(['api']);
    const long = Array.from({ length: MAX_HISTORY + 5 }, (_, index) => `entry ${index}`).reduce<string[]>(historyWith, []);
    expect(long).toHaveLength(MAX_HISTORY);
    expect(long.at(-1)).toBe(`entry ${MAX_HISTORY + 4}`);
  });
});
