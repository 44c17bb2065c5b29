// Which playbooks are the suggested fix for a row of the cockpit, and the inputs their
// `suggest` rules bind from it. Pure: the picker puts these first, `!` starts the first one.
//
// A row gives sources (the alerts about it, its error fingerprint, its failing gate); each
// playbook's rules are tried in order against each source in order, and a playbook is
// suggested once, by its first matching rule.

import { compilePattern } from '../domain/pattern';
import type { SuggestRule } from './playbook-types';
import { renderTemplate, TemplateError, type TemplateScope } from './template';

/** What a row offers to the suggest rules, with the fields their `bind` templates can name. */
export type SuggestionSource =
  /** `alert.target` is the alert's target ref key (or disk path, engine id, 'host'). */
  | { kind: 'alert'; alert: { kind: string; target: string; message: string } }
  /** `error.service` / `error.container` are ref keys of the fingerprint's sample workload and instance. */
  | { kind: 'error'; error: { fingerprint: string; service?: string | undefined; container?: string | undefined } }
  | { kind: 'gate'; gate: { id: string; detail: string } };

/** What the matcher needs of a playbook: the catalog's summaries and the validated playbooks both fit. */
export interface SuggestablePlaybook {
  id: string;
  suggest?: readonly SuggestRule[] | undefined;
}

export interface Suggestion {
  playbookId: string;
  rule: SuggestRule;
  source: SuggestionSource;
  /** Input name -> the rendered binding; a binding whose template names a field the source lacks is left out (the form asks). */
  inputs: Record<string, string>;
}

/** A rule's fingerprint pattern; an invalid one matches nothing (the loader reports it, the cockpit must not throw). */
function matchesPattern(pattern: string, text: string): boolean {
  try {
    return compilePattern(pattern).test(text);
  } catch {
    return false;
  }
}

function ruleMatches(rule: SuggestRule, source: SuggestionSource): boolean {
  switch (source.kind) {
    case 'alert':
      return rule.alert !== undefined && rule.alert === source.alert.kind;
    case 'error':
      return rule.fingerprint !== undefined && matchesPattern(rule.fingerprint, source.error.fingerprint);
    case 'gate':
      return rule.gate !== undefined && rule.gate === source.gate.id;
  }
}

/** The fields a source's templates see: `alert.*`, `error.*` or `gate.*`. */
function templateScope(source: SuggestionSource): TemplateScope {
  switch (source.kind) {
    case 'alert':
      return { alert: source.alert };
    case 'error':
      return { error: source.error };
    case 'gate':
      return { gate: source.gate };
  }
}

/** The inputs a rule binds from a source; bindings naming a field the source does not have are left out. */
export function bindInputs(rule: SuggestRule, source: SuggestionSource): Record<string, string> {
  const scope = templateScope(source);
  const inputs: Record<string, string> = {};
  for (const [name, template] of Object.entries(rule.bind)) {
    try {
      inputs[name] = renderTemplate(template, scope);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
    }
  }
  return inputs;
}

/** The suggested playbooks for a row's sources, in order: sources first to last, then catalog order; each playbook once. */
export function suggestionsFor(playbooks: readonly SuggestablePlaybook[], sources: readonly SuggestionSource[]): Suggestion[] {
  const suggestions: Suggestion[] = [];
  const suggested = new Set<string>();
  for (const source of sources) {
    for (const playbook of playbooks) {
      if (suggested.has(playbook.id)) continue;
      const rule = playbook.suggest?.find((candidate) => ruleMatches(candidate, source));
      if (!rule) continue;
      suggested.add(playbook.id);
      suggestions.push({ playbookId: playbook.id, rule, source, inputs: bindInputs(rule, source) });
    }
  }
  return suggestions;
}
