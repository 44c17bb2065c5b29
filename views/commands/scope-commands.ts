// `:ctx [name]` and `:ns [name]` (k9s habits): narrow the panels to one Kubernetes context and
// to one namespace; no name or `all` shows everything again. The scope lives in the ui slice
// (cluster-ui.ts) and every panel selector applies it; the titles say what is shown.

import { findContext, contextChoices, kubernetesEngines, namespaceChoices } from '../../src/store/selectors/view-scope';
import type { RegisteredCommand } from './command-registry';

const ALL = 'all';

export const SCOPE_COMMANDS: readonly RegisteredCommand[] = [
  {
    name: 'ctx',
    aliases: ['context'],
    kubernetes: true,
    description: 'one context (all: every engine)',
    argument: { name: '[name]', optional: true, complete: contextChoices },
    run(context, argument) {
      const state = context.store.getState();
      const scope = state.ui.cluster.scope;
      if (argument === undefined || argument === ALL) {
        state.setScope({ namespace: scope.namespace });
        state.showStatus('every engine shown');
        return;
      }
      const engine = findContext(state, argument);
      if (!engine) {
        const known = contextChoices(state).slice(1);
        state.showStatus(known.length === 0 ? 'ctx: no Kubernetes context is configured' : `ctx: no context "${argument}" (${known.join(', ')})`, 'warning');
        return;
      }
      // A namespace the new context has never shown is dropped with it (k9s starts a context on its own namespace).
      const keepNamespace = scope.namespace !== undefined && (engine.namespaces ?? []).includes(scope.namespace);
      state.setScope({ engineId: engine.id, namespace: keepNamespace ? scope.namespace : undefined });
      state.focusPanel('services');
      state.showStatus(`context ${engine.label} shown (:ctx all shows every engine)`);
    },
  },
  {
    name: 'ns',
    aliases: ['namespace'],
    kubernetes: true,
    description: 'one namespace (all: every one)',
    argument: { name: '[name]', optional: true, complete: namespaceChoices },
    run(context, argument) {
      const state = context.store.getState();
      const scope = state.ui.cluster.scope;
      if (kubernetesEngines(state.engines, state.engineOrder).length === 0) {
        state.showStatus('ns: no Kubernetes context is configured', 'warning');
        return;
      }
      if (argument === undefined || argument === ALL) {
        state.setScope({ engineId: scope.engineId });
        state.showStatus('every namespace shown');
        return;
      }
      state.setScope({ engineId: scope.engineId, namespace: argument });
      state.focusPanel('services');
      const seen = namespaceChoices(state).includes(argument);
      state.showStatus(seen ? `namespace ${argument} shown (:ns all shows every namespace)` : `namespace ${argument}: nothing seen there yet`, seen ? 'info' : 'warning');
    },
  },
];
