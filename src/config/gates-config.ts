// opsdeck.yaml `gates:`: each entry validated on its own (strict zod, file:line:col per problem),
// so a malformed entry is listed as invalid while the other gates load and run.

import type { GateSpec, InvalidGate } from '../gates/gate-types';
import type { YamlSource } from './located-problems';

export interface GatesConfig {
  specs: GateSpec[];
  invalid: InvalidGate[];
}

export const NO_GATES: GatesConfig = { specs: [], invalid: [] };

/**
 * The `gates:` list as written (each entry still unknown), its source for lines, and the directory
 * relative paths resolve against (the config file's). Never throws: problems become InvalidGate.
 */
export function resolveGates(entries: readonly unknown[] | undefined, source: YamlSource | undefined, baseDirectory: string): GatesConfig {
  void source;
  void baseDirectory;
  if (entries === undefined || entries.length === 0) return NO_GATES;
  // Implemented by the gates configuration work (issue 8).
  return NO_GATES;
}
