// The command registry (in the spirit of gemini-cli's SlashCommand): every named command
// the operator can give, with aliases, a description and an argument completed from live
// state. The `:` prompt runs them by name; the keys r, s, S, ? and q run the same entries
// on the current selection (key-table -> main/overlay commands -> runCommand here).

import type { LifecycleVerb } from '../../src/domain/engine-action';
import { selectTargetInstance, selectTargetWorkloadKey } from '../../src/store/selectors/selection-targets';
import { selectServiceTree } from '../../src/store/selectors/service-tree';
import { hasKubernetesEngine } from '../../src/store/selectors/view-scope';
import type { OpsdeckState } from '../../src/store/store-types';
import type { CommandContext } from '../keys/command-context';
import type { CommandId } from '../keys/command-ids';
import { askToRun } from '../keys/engine-actions';
import { resolveInstance, resolveTarget, targetNames } from './command-targets';
import { ALERT_COMMANDS } from './alert-commands';
import { PLAYBOOK_COMMANDS } from './playbook-commands';
import { INCIDENT_PROMPT_COMMANDS } from './incident-prompt-commands';
import { SCOPE_COMMANDS } from './scope-commands';

export interface CommandArgument {
  /** As written in help: `:restart <target>`. */
  name: string;
  /** Without it the command acts on the selection (restart, logs) or clears (filter). */
  optional: boolean;
  /** Values for tab completion, from the store as it is now. */
  complete?(state: OpsdeckState): string[];
}

export interface RegisteredCommand {
  name: string;
  aliases: readonly string[];
  description: string;
  argument?: CommandArgument;
  /** Changes an engine: not offered in read-only mode (and refused there anyway). */
  destructive?: boolean;
  /** Means something only with a Kubernetes context configured: help and completion leave it out otherwise. */
  kubernetes?: boolean;
  /** Means something only with an `alertmanager:` source: help and completion leave it out otherwise. */
  alertmanager?: boolean;
  /** The key command that runs this on the selection, for help ("r"). */
  key?: CommandId;
  /** `argument` is the trimmed text after the name; undefined when none was given. */
  run(context: CommandContext, argument: string | undefined): void;
}

const TARGET: CommandArgument = { name: '<target>', optional: true, complete: targetNames };

function instanceAction(action: LifecycleVerb, description: string, key: CommandId): RegisteredCommand {
  return {
    name: action,
    aliases: [],
    description,
    argument: TARGET,
    destructive: true,
    key,
    run(context, argument) {
      const state = context.store.getState();
      const target = argument === undefined ? selectTargetInstance(state) : resolveInstance(state, argument);
      if ('instance' in target) askToRun(context, action, target.instance);
      else state.showStatus(`${action}: ${'reason' in target ? target.reason : target.error}`, 'warning');
    },
  };
}

export const COMMAND_REGISTRY: readonly RegisteredCommand[] = [
  instanceAction('restart', 'restart a container (asks y/N first)', 'container.restart'),
  instanceAction('stop', 'stop a container (asks y/N first)', 'container.stop'),
  instanceAction('start', 'start a container (asks y/N first)', 'container.start'),
  {
    name: 'logs',
    aliases: ['log'],
    description: 'full log view of a service',
    argument: TARGET,
    key: 'service.openLogs',
    run(context, argument) {
      const state = context.store.getState();
      if (argument === undefined) {
        const workloadKey = selectTargetWorkloadKey(state);
        if (workloadKey === undefined) state.showStatus('logs: select a service first', 'warning');
        else state.openLogView(workloadKey);
        return;
      }
      const target = resolveTarget(state, argument);
      if ('error' in target) state.showStatus(`logs: ${target.error}`, 'warning');
      else state.openLogView(target.workloadKey);
    },
  },
  {
    name: 'engine',
    aliases: [],
    description: "go to an engine's services",
    argument: { name: '<name>', optional: false, complete: (state) => Object.values(state.engines).map((engine) => engine.label) },
    run(context, argument) {
      const state = context.store.getState();
      const engine = Object.values(state.engines).find((candidate) => candidate.label === argument || candidate.id === argument);
      if (!engine) {
        const known = Object.values(state.engines).map((candidate) => candidate.label).join(', ');
        state.showStatus(argument === undefined ? `engine: name one (${known})` : `engine: no engine "${argument}" (${known})`, 'warning');
        return;
      }
      state.clearFilter();
      state.focusPanel('services');
      const row = selectServiceTree(context.store.getState()).rows.find((candidate) => candidate.engineId === engine.id);
      if (row) state.selectRow('services', row.key);
      else state.showStatus(`engine ${engine.label}: no containers`);
    },
  },
  {
    name: 'filter',
    aliases: [],
    description: 'filter the panel (no text: clear)',
    argument: { name: '<text>', optional: true },
    run(context, argument) {
      const state = context.store.getState();
      if (argument === undefined) {
        state.clearFilter();
        return;
      }
      state.startFilter(state.ui.focusedPanel);
      state.setFilter(argument);
      state.setFilterEditing(false);
      state.endTextInput(false);
    },
  },
  ...SCOPE_COMMANDS,
  ...PLAYBOOK_COMMANDS,
  ...ALERT_COMMANDS,
  ...INCIDENT_PROMPT_COMMANDS,
  {
    name: 'help',
    aliases: ['h'],
    description: 'every key and command',
    key: 'help.open',
    run: (context) => context.store.getState().setHelpOpen(true),
  },
  {
    name: 'quit',
    aliases: ['q'],
    description: 'quit opsdeck',
    key: 'app.quit',
    run(context) {
      context.store.getState().requestQuit();
      context.exit();
    },
  },
];

export interface CommandOffer {
  readOnly: boolean;
  /** A Kubernetes context is configured. */
  kubernetes: boolean;
  /** An Alertmanager source is configured. */
  alertmanager?: boolean;
}

export function commandOfferOf(state: Pick<OpsdeckState, 'readOnly' | 'engines' | 'alertmanagerStatus'>): CommandOffer {
  return { readOnly: state.readOnly, kubernetes: hasKubernetesEngine(state), alertmanager: state.alertmanagerStatus !== undefined };
}

/** The commands offered (read-only mode drops those that change engines; `:ctx`/`:ns` need a Kubernetes context). */
export function availableCommands(offer: CommandOffer): RegisteredCommand[] {
  return COMMAND_REGISTRY.filter(
    (command) => !(offer.readOnly && command.destructive) && !(command.kubernetes && !offer.kubernetes) && !(command.alertmanager && offer.alertmanager !== true),
  );
}

export function findCommand(name: string): RegisteredCommand | undefined {
  return COMMAND_REGISTRY.find((command) => command.name === name || command.aliases.includes(name));
}

/** Runs a registered command by name; the key bindings come through here. */
export function runCommand(context: CommandContext, name: string, argument?: string): void {
  findCommand(name)?.run(context, argument);
}

export interface ParsedCommandLine {
  name: string;
  argument: string | undefined;
}

/** ":restart shop-api-1" -> { name: "restart", argument: "shop-api-1" } (a leading ":" is allowed). */
export function parseCommandLine(line: string): ParsedCommandLine {
  const text = line.trim().replace(/^:/, '').trimStart();
  const space = text.search(/\s/);
  if (space < 0) return { name: text, argument: undefined };
  const argument = text.slice(space).trim();
  return { name: text.slice(0, space), argument: argument === '' ? undefined : argument };
}

/** Runs a typed command line; an unknown command is one line in the status bar. */
export function runCommandLine(context: CommandContext, line: string): void {
  const { name, argument } = parseCommandLine(line);
  if (name === '') return;
  const command = findCommand(name);
  const state = context.store.getState();
  if (!command) {
    state.showStatus(`unknown command ":${name}" (:help lists the commands)`, 'warning');
    return;
  }
  if (argument === undefined && command.argument && !command.argument.optional) {
    state.showStatus(`:${command.name} needs ${command.argument.name}`, 'warning');
    return;
  }
  command.run(context, argument);
}

export interface Completion {
  /** The line after completing (unchanged when nothing matched). */
  line: string;
  /** Every candidate for the word at the end of the line. */
  candidates: string[];
}

function commonPrefix(values: readonly string[]): string {
  const [first = '', ...rest] = values;
  let length = first.length;
  for (const value of rest) {
    while (length > 0 && !value.startsWith(first.slice(0, length))) length -= 1;
  }
  return first.slice(0, length);
}

function completeWord(word: string, values: readonly string[]): { word: string; candidates: string[]; whole: boolean } {
  const candidates = [...new Set(values.filter((value) => value.startsWith(word)))].sort();
  const [only] = candidates;
  if (candidates.length === 1 && only !== undefined) return { word: only, candidates, whole: true };
  const prefix = commonPrefix(candidates);
  return { word: prefix.length > word.length ? prefix : word, candidates, whole: false };
}

/** Tab completion: the command name first, then its argument from live state. */
export function completeCommandLine(state: OpsdeckState, line: string): Completion {
  const commands = availableCommands(commandOfferOf(state));
  const space = line.search(/\s/);
  if (space < 0) {
    const names = commands.flatMap((command) => [command.name, ...command.aliases]);
    const result = completeWord(line, names);
    const command = result.whole ? findCommand(result.word) : undefined;
    return { line: result.whole && command?.argument ? `${result.word} ` : result.word, candidates: result.candidates };
  }
  const command = findCommand(line.slice(0, space));
  if (!command?.argument?.complete || !commands.includes(command)) return { line, candidates: [] };
  const head = line.slice(0, space + 1) + line.slice(space + 1).match(/^\s*/)?.[0];
  const word = line.slice(head.length);
  const result = completeWord(word, command.argument.complete(state));
  return { line: head + result.word, candidates: result.candidates };
}
