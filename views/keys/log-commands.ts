// Commands of the full-screen log view: scrolling, follow mode and search.

import { findMatches, logSourceOf, maxScrollOffset, scrollOffsetShowing, stepMatch } from '../../src/store/selectors/log-view';
import type { LogLineSource } from '../../src/store/selectors/log-view';
import type { LogViewState } from '../../src/store/slices/ui-slice';
import type { CommandId } from './command-ids';
import type { CommandContext, CommandHandler } from './command-context';

interface LogContext {
  view: LogViewState;
  source: LogLineSource;
  rows: number;
  update: (change: Partial<Omit<LogViewState, 'workloadKey'>>) => void;
}

function withLog(action: (log: LogContext, context: CommandContext) => void): CommandHandler {
  return (context) => {
    const state = context.store.getState();
    const view = state.ui.logView;
    if (!view) return;
    const source = logSourceOf(state.logBuffers.get(view.workloadKey));
    action({ view, source, rows: Math.max(1, context.viewport.logRows), update: state.updateLogView }, context);
  };
}

/** Scrolls by `delta` lines (positive = towards older lines); leaving the tail stops following. */
function scrollBy(delta: number): CommandHandler {
  return withLog(({ view, source, rows, update }) => {
    const current = view.follow ? 0 : view.scrollOffset;
    const scrollOffset = Math.min(maxScrollOffset(source, rows), Math.max(0, current + delta));
    if (view.follow && scrollOffset === 0) return;
    update({ follow: false, scrollOffset });
  });
}

function jumpToMatch(direction: 1 | -1): CommandHandler {
  return withLog(({ view, source, rows, update }, context) => {
    if (view.search === '') return;
    const matches = findMatches(source, view.search);
    const match = stepMatch(matches, view.matchIndex, direction);
    if (match === undefined) {
      context.store.getState().showStatus(`no line matches "${view.search}"`, 'warning');
      update({ matchIndex: undefined });
      return;
    }
    update({ matchIndex: match, follow: false, scrollOffset: scrollOffsetShowing(source, match, rows) });
  });
}

export const LOG_COMMANDS = {
  'log.close': (context) => context.store.getState().closeLogView(),
  'log.up': scrollBy(1),
  'log.down': scrollBy(-1),
  'log.pageUp': withLog((log, context) => scrollBy(log.rows - 1)(context)),
  'log.pageDown': withLog((log, context) => scrollBy(-(log.rows - 1))(context)),
  'log.top': withLog(({ source, rows, update }) => update({ follow: false, scrollOffset: maxScrollOffset(source, rows) })),
  'log.follow': withLog(({ update }) => update({ follow: true, scrollOffset: 0 })),
  'log.search': withLog(({ update }, context) => {
    update({ searchEditing: true, search: '', matchIndex: undefined });
    context.store.getState().beginTextInput('search', '');
  }),
  'log.nextMatch': jumpToMatch(-1),
  'log.previousMatch': jumpToMatch(1),
  'search.accept': withLog((log, context) => {
    context.store.getState().endTextInput(true);
    log.update({ searchEditing: false, matchIndex: undefined });
    if (log.view.search !== '') jumpToMatch(-1)(context);
  }),
  'search.cancel': withLog(({ update }, context) => {
    context.store.getState().endTextInput(false);
    update({ searchEditing: false, search: '', matchIndex: undefined });
  }),
} satisfies Partial<Record<CommandId, CommandHandler>>;
