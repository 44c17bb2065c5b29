// Which bindings are live right now. The screen on top of the screen stack
// (views/screens/screen-stack.ts) is the active scope; its entry lists the scopes whose
// bindings apply, first match wins.

import { selectOfferedVerbs } from '../../src/store/selectors/action-targets';
import type { OpsdeckState } from '../../src/store/store-types';
import { screenById, topScreen, type ScreenId } from '../screens/screen-stack';
import { selectKeyTable, type KeyBinding, type KeyService } from './key-table';

export type ActiveScope = ScreenId;

/** The scope of the screen on top of the stack (confirm > text input > help > error sample > log view > main). */
export function resolveScope(state: OpsdeckState): ActiveScope {
  return topScreen(state).id;
}

/** Always live, whatever the scope: the way out. */
export const EMERGENCY_QUIT_KEY = 'ctrl+c';

function applies(binding: KeyBinding, state: OpsdeckState): boolean {
  if (binding.panels && !binding.panels.includes(state.ui.focusedPanel)) return false;
  if (binding.when && !binding.when(state)) return false;
  return true;
}

/**
 * Bindings live in `scope`, in precedence order, each with only the keys it really gets:
 * a key claimed by an earlier binding in the chain is dropped from later ones (in help,
 * `?` closes the overlay, so the global "? help" is not offered there).
 */
export function activeBindings(state: OpsdeckState, scope: ActiveScope = resolveScope(state)): KeyBinding[] {
  const table = selectKeyTable(state);
  const claimed = new Set<string>();
  const result: KeyBinding[] = [];
  for (const chainScope of screenById(scope).keyScopes) {
    for (const binding of table) {
      if (binding.scope !== chainScope || !applies(binding, state)) continue;
      const keys = binding.keys.filter((key) => !claimed.has(key));
      if (keys.length === 0) continue;
      for (const key of keys) claimed.add(key);
      result.push(keys.length === binding.keys.length ? binding : { ...binding, keys });
    }
  }
  return result;
}

/** The binding a key name triggers in the current state, if any. */
export function findBinding(state: OpsdeckState, keyName: string, scope: ActiveScope = resolveScope(state)): KeyBinding | undefined {
  if (keyName === '') return undefined;
  return activeBindings(state, scope).find((binding) => binding.keys.includes(keyName));
}

export interface HintEntry {
  keys: string[];
  hint: string;
}

/** Which services of the command context the cockpit has; every one unless told. */
export type AvailableServices = Readonly<Record<KeyService, boolean>>;

const ALL_SERVICES: AvailableServices = { gates: true, incidents: true, playbooks: true };

/** Hint bar entries for the current state: bindings with a hint, equal hints merged ("j/k move"). */
export function hintEntries(state: OpsdeckState, scope: ActiveScope = resolveScope(state), services: AvailableServices = ALL_SERVICES): HintEntry[] {
  const entries: HintEntry[] = [];
  const offered = selectOfferedVerbs(state);
  for (const binding of activeBindings(state, scope)) {
    if (!binding.hint) continue;
    if (binding.requires && !services[binding.requires]) continue;
    if (binding.verb && !offered.includes(binding.verb)) continue;
    if (binding.offered && !binding.offered(state)) continue;
    const firstKey = binding.hintKeys?.(state) ?? binding.keys[0];
    if (firstKey === undefined) continue;
    const existing = entries.find((entry) => entry.hint === binding.hint);
    if (existing) {
      if (!existing.keys.includes(firstKey)) existing.keys.push(firstKey);
    } else {
      entries.push({ keys: [firstKey], hint: binding.hint });
    }
  }
  return entries;
}
