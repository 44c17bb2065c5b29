// `opsdeck engines`: the engines opsdeck would watch, and the Podman connections it offers.
import type { PodmanConnection } from '../config/engine-selection';
import type { EngineConfig } from '../config/schema';

export interface EnginesListing {
  /** Watched: from the config file, or from --docker-host / --engine / --context. */
  engines: EngineConfig[];
  /** `podman system connection list` (containers.conf service destinations). */
  podmanConnections: PodmanConnection[];
}

/** Where an engine came from or what it watches, after its host. */
function engineDetail(engine: EngineConfig): string {
  if (engine.type === 'podman' && engine.connection) return `  (podman connection ${engine.connection})`;
  if (engine.type === 'kubernetes') {
    const namespace = engine.namespace !== undefined ? `namespace ${engine.namespace}` : 'all namespaces';
    return `  (context ${engine.context}, ${namespace}, kubeconfig ${engine.kubeconfig.join(':')})`;
  }
  return '';
}

export function formatEnginesText(listing: EnginesListing): string {
  const lines: string[] = ['ENGINES'];
  const nameWidth = Math.max(4, ...listing.engines.map((engine) => engine.name.length), ...listing.podmanConnections.map((c) => c.name.length + 2));
  const typeWidth = Math.max(6, ...listing.engines.map((engine) => engine.type.length));
  for (const engine of listing.engines) {
    lines.push(`${engine.name.padEnd(nameWidth)}  ${engine.type.padEnd(typeWidth)}  ${engine.host}${engineDetail(engine)}`);
  }
  lines.push('', 'PODMAN CONNECTIONS (--engine podman:NAME, or connection: NAME in opsdeck.yaml)');
  if (listing.podmanConnections.length === 0) lines.push('(none: podman system connection list shows none)');
  for (const connection of listing.podmanConnections) {
    const name = `${connection.name}${connection.isDefault ? ' *' : ''}`;
    const usable = /^(unix|tcp):\/\//.test(connection.uri) ? '' : '  (not usable: only unix:// and tcp:// connections)';
    lines.push(`${name.padEnd(nameWidth)}  ${connection.uri}${usable}`);
  }
  return `${lines.join('\n')}\n`;
}
