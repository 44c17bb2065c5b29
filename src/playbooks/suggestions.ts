// Which playbooks are the suggested fix for a row of the cockpit, and the inputs their
// `suggest` rules bind from it. Pure: the picker puts these first, `!` starts the first one
// that answers a problem (a rule matching any deployment row is offered, not started).
//
// A row gives sources (a Kubernetes row itself, the alerts about it, its error fingerprint,
// its failing gate); each
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
  /**
   * `gate.workload`: the ref key of the first offender's workload, when the gate names one.
   * `recovery`: the gate's own recovery playbook and its inputs as the gate bound them (offered first).
   */
  | { kind: 'gate'; gate: { id: string; detail: string; workload?: string | undefined; builtIn?: string | undefined }; recovery?: GateRecoveryOffer | undefined }
  /** A Kubernetes row: `resource.target` its ref key, `resource.workload` its workload's (a pod's Deployment), `resource.state` its state words. */
  | { kind: 'resource'; resource: ResourceSourceFields };

/** A failing gate's recovery playbook, named by the gate itself (opsdeck.yaml `recovery:`), with the inputs it bound. */
export interface GateRecoveryOffer {
  playbook: string;
  inputs: Readonly<Record<string, string>>;
}

/** What a Kubernetes row (deployment, statefulset, pod) offers the rules. */
export interface ResourceSourceFields {
  kind: 'deployment' | 'statefulset' | 'pod';
  target: string;
  name: string;
  namespace: string;
  /** The engine id (the context). */
  context: string;
  workload: string;
  /** "crash-loop CrashLoopBackOff OOMKilled not-ready", "progressing unavailable failing-pods". */
  state: string;
}

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
      // A rule may name a configured entry's id (`G1`) or the built-in gate it places (`engine-reachable`).
      return rule.gate !== undefined && (rule.gate === source.gate.id || rule.gate === source.gate.builtIn);
    case 'resource':
      return rule.resource === source.resource.kind && (rule.state === undefined || matchesPattern(rule.state, source.resource.state));
  }
}

/** Whether a rule names a problem (an alert, an error, a failing gate, a row's bad state) rather than any row of a kind. */
export function isProblemRule(rule: SuggestRule): boolean {
  return rule.resource === undefined || rule.state !== undefined;
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
    case 'resource':
      return { resource: { ...source.resource } };
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

/**
 * The suggested playbooks for a row's sources, in order: sources first to last; for each, the
 * playbooks whose rule names a problem before those that match any row of the kind, then
 * catalog order; each playbook once.
 */
export function suggestionsFor(playbooks: readonly SuggestablePlaybook[], sources: readonly SuggestionSource[]): Suggestion[] {
  const suggestions: Suggestion[] = [];
  const suggested = new Set<string>();
  for (const source of sources) {
    const recovery = recoverySuggestion(playbooks, source);
    if (recovery && !suggested.has(recovery.playbookId)) {
      suggested.add(recovery.playbookId);
      suggestions.push(recovery);
    }
    const matched: Suggestion[] = [];
    for (const playbook of playbooks) {
      if (suggested.has(playbook.id)) continue;
      const rule = playbook.suggest?.find((candidate) => ruleMatches(candidate, source));
      if (!rule) continue;
      suggested.add(playbook.id);
      matched.push({ playbookId: playbook.id, rule, source, inputs: bindInputs(rule, source) });
    }
    suggestions.push(...matched.filter((suggestion) => isProblemRule(suggestion.rule)), ...matched.filter((suggestion) => !isProblemRule(suggestion.rule)));
  }
  return suggestions;
}

/**
 * A gate's own recovery playbook, when the catalog has it: its rule is the playbook's own rule
 * for this gate when it has one (its bindings, `{{ gate.workload }}`, apply), else a rule naming
 * the gate; the inputs the gate bound win over the rule's.
 */
function recoverySuggestion(playbooks: readonly SuggestablePlaybook[], source: SuggestionSource): Suggestion | undefined {
  if (source.kind !== 'gate' || !source.recovery) return undefined;
  const playbookId = source.recovery.playbook;
  const playbook = playbooks.find((candidate) => candidate.id === playbookId);
  if (!playbook) return undefined;
  const rule = playbook.suggest?.find((candidate) => ruleMatches(candidate, source)) ?? { gate: source.gate.id, bind: {} };
  return { playbookId, rule, source, inputs: { ...bindInputs(rule, source), ...source.recovery.inputs } };
}

/** The playbook `!` starts: the first suggestion that answers a problem of the row. */
export function fixFor(suggestions: readonly Suggestion[]): Suggestion | undefined {
  return suggestions.find((suggestion) => isProblemRule(suggestion.rule));
}
