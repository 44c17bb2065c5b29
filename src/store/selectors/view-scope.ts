// The `:ctx` / `:ns` scope (k9s habits): which engine and which Kubernetes namespace the panels
// show. Every panel selector asks `inScope` for each record, so narrowing costs one lookup per row.

import type { EngineStatus } from '../../domain/types';
import type { ViewScope } from '../slices/cluster-ui';
import type { OpsdeckState } from '../store-types';

export type { ViewScope };

/** Whether a record of `engineId` in `namespace` (compose project or Kubernetes namespace) is shown. */
export function inScope(scope: ViewScope, engines: Record<string, EngineStatus>, engineId: string, namespace: string | undefined): boolean {
  if (scope.engineId !== undefined && engineId !== scope.engineId) return false;
  // `:ns` narrows Kubernetes rows only: a compose project is not a namespace.
  if (scope.namespace !== undefined && engines[engineId]?.kind === 'kubernetes' && namespace !== scope.namespace) return false;
  return true;
}

export function isUnscoped(scope: ViewScope): boolean {
  return scope.engineId === undefined && scope.namespace === undefined;
}

export function kubernetesEngines(engines: Record<string, EngineStatus>, engineOrder: readonly string[]): EngineStatus[] {
  const result: EngineStatus[] = [];
  for (const engineId of engineOrder) {
    const engine = engines[engineId];
    if (engine?.kind === 'kubernetes') result.push(engine);
  }
  return result;
}

/** Whether any Kubernetes context is configured (help and completion offer its keys and commands only then). */
export function hasKubernetesEngine(state: Pick<OpsdeckState, 'engines'>): boolean {
  for (const engine of Object.values(state.engines)) if (engine.kind === 'kubernetes') return true;
  return false;
}

/** The names `:ctx` takes for an engine: its label and its kubeconfig context. */
function contextNamesOf(engine: EngineStatus): string[] {
  return engine.context !== undefined && engine.context !== engine.label ? [engine.label, engine.context] : [engine.label];
}

/** Completion of `:ctx`: every Kubernetes engine's label and context, and `all`. */
export function contextChoices(state: Pick<OpsdeckState, 'engines' | 'engineOrder'>): string[] {
  return ['all', ...kubernetesEngines(state.engines, state.engineOrder).flatMap(contextNamesOf)];
}

/** The Kubernetes engine `:ctx NAME` means (its label, its context, or its id). */
export function findContext(state: Pick<OpsdeckState, 'engines' | 'engineOrder'>, name: string): EngineStatus | undefined {
  const engines = kubernetesEngines(state.engines, state.engineOrder);
  return engines.find((engine) => engine.label === name) ?? engines.find((engine) => engine.context === name || engine.id === name);
}

/** Completion of `:ns`: the namespaces seen by the contexts shown, and `all`. */
export function namespaceChoices(state: Pick<OpsdeckState, 'engines' | 'engineOrder' | 'ui'>): string[] {
  const scope = state.ui.cluster.scope;
  const names = new Set<string>();
  for (const engine of kubernetesEngines(state.engines, state.engineOrder)) {
    if (scope.engineId !== undefined && engine.id !== scope.engineId) continue;
    for (const namespace of engine.namespaces ?? []) names.add(namespace);
    if (engine.namespace !== undefined) names.add(engine.namespace);
  }
  return ['all', ...[...names].sort()];
}

/** The scope in words for a panel title ("ctx prod ns shop"), '' when everything is shown. */
export function scopeText(state: Pick<OpsdeckState, 'engines' | 'ui'>): string {
  const scope = state.ui.cluster.scope;
  const parts: string[] = [];
  if (scope.engineId !== undefined) parts.push(`ctx ${state.engines[scope.engineId]?.label ?? scope.engineId}`);
  if (scope.namespace !== undefined) parts.push(`ns ${scope.namespace}`);
  return parts.join(' ');
}
