// The playbook picker's rows: the playbooks suggested for the selected row first (marked,
// in suggestion order), then the others best fuzzy match first, then the invalid files
// greyed with their one-line error. The same function orders what is drawn and what the
// keys move over.

import type { Suggestion, SuggestionSource } from '../../playbooks/suggestions';
import type { InvalidPlaybook } from '../../playbooks/playbook-types';
import type { PlaybookSummary } from '../slices/runs-slice';
import type { OpsdeckState } from '../store-types';
import { bestFuzzyScore } from './fuzzy-match';
import { memoizeLast } from './memoize';
import { selectRowSuggestions } from './suggestion-sources';

export interface PickerEntry {
  /** `playbook:<id>` or `invalid:<file>`. */
  key: string;
  playbookId: string | undefined;
  title: string;
  /** The description, or the error of an invalid file. */
  detail: string;
  /** What made it suggested ("vault restarting"), for suggested entries. */
  suggestedBecause: string | undefined;
  /** Inputs bound by the suggestion. */
  inputs: Readonly<Record<string, string>>;
  invalid: boolean;
}

function sourceText(source: SuggestionSource): string {
  switch (source.kind) {
    case 'alert':
      return source.alert.message;
    case 'error':
      return `error: ${source.error.fingerprint}`;
    case 'gate':
      return `gate ${source.gate.id}: ${source.gate.detail}`;
    case 'resource':
      return `${source.resource.kind} ${source.resource.name}: ${source.resource.state}`;
  }
}

function playbookEntry(playbook: PlaybookSummary, suggestion: Suggestion | undefined): PickerEntry {
  return {
    key: `playbook:${playbook.id}`,
    playbookId: playbook.id,
    title: playbook.title,
    detail: playbook.description,
    suggestedBecause: suggestion ? sourceText(suggestion.source) : undefined,
    inputs: suggestion?.inputs ?? {},
    invalid: false,
  };
}

function invalidEntry(invalid: InvalidPlaybook): PickerEntry {
  return { key: `invalid:${invalid.file}`, playbookId: invalid.id, title: invalid.id ?? invalid.file, detail: invalid.error, suggestedBecause: undefined, inputs: {}, invalid: true };
}

const buildEntries = memoizeLast(
  (playbooks: readonly PlaybookSummary[], invalid: readonly InvalidPlaybook[], suggestions: readonly Suggestion[], filter: string): PickerEntry[] => {
    const byId = new Map(playbooks.map((playbook) => [playbook.id, playbook]));
    const scored = (texts: readonly string[]) => bestFuzzyScore(filter, ...texts);
    const suggestedIds = new Set(suggestions.map((suggestion) => suggestion.playbookId));
    const suggested = suggestions.flatMap((suggestion) => {
      const playbook = byId.get(suggestion.playbookId);
      return playbook && scored([playbook.id, playbook.title, ...playbook.tags]) !== undefined ? [playbookEntry(playbook, suggestion)] : [];
    });
    const others = playbooks
      .filter((playbook) => !suggestedIds.has(playbook.id))
      .map((playbook) => ({ playbook, score: scored([playbook.id, playbook.title, ...playbook.tags]) }))
      .filter((entry): entry is { playbook: PlaybookSummary; score: number } => entry.score !== undefined)
      // Without a filter the catalog's order stands (sort is stable, every score is 0).
      .sort((left, right) => right.score - left.score)
      .map(({ playbook }) => playbookEntry(playbook, undefined));
    const broken = invalid.filter((entry) => scored([entry.id ?? '', entry.file]) !== undefined).map(invalidEntry);
    return [...suggested, ...others, ...broken];
  },
);

export function selectPickerEntries(state: OpsdeckState): PickerEntry[] {
  const { playbooks, invalid } = state.catalog;
  return buildEntries(playbooks, invalid, selectRowSuggestions(state), state.ui.wizard.picker?.filter ?? '');
}

/** The entry the picker's selection is on: the first when none (or a filtered-out one) is selected. */
export function selectPickerSelection(state: OpsdeckState): { entries: PickerEntry[]; index: number } {
  const entries = selectPickerEntries(state);
  const selectedKey = state.ui.wizard.picker?.selectedKey;
  const index = entries.findIndex((entry) => entry.key === selectedKey);
  return { entries, index: entries.length === 0 ? -1 : Math.max(0, index) };
}
