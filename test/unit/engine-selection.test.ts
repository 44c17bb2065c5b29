// Engines of kind docker and podman: the config's `engines` union, Podman's default sockets and
// named connections, and the repeatable --docker-host / --engine flags.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfigText } from '../../src/config/load-config';
import {
  defaultPodmanHost,
  parseConnectionList,
  parseServiceDestinations,
  type PodmanConnection,
} from '../../src/config/engine-selection';

const CONNECTIONS: PodmanConnection[] = [
  { name: 'lab', uri: 'unix:///tmp/lab/podman.sock', isDefault: true },
  { name: 'edge', uri: 'ssh://core@10.0.0.7:22/run/podman/podman.sock', isDefault: false },
];
const lookup = (): PodmanConnection[] => CONNECTIONS;
const noLookup = (): PodmanConnection[] => {
  throw new Error('podman connections looked up although none is named');
};

async function errorFor(text: string): Promise<string> {
  try {
    await parseConfigText(text, { fileName: 'opsdeck.yaml', env: {}, podmanConnections: lookup });
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

async function flagError(options: Parameters<typeof loadConfig>[0]): Promise<string> {
  const error = await loadConfig({ cwd: '/nonexistent-opsdeck', env: { HOME: '/nonexistent-opsdeck' }, podmanConnections: lookup, ...options }).catch((e: unknown) => e);
  if (error instanceof ConfigError) return error.message;
  throw new Error(`expected a ConfigError, got ${String(error)}`);
}

describe('podman engines in opsdeck.yaml', () => {
  it('reads docker and podman engines side by side, podman on its default socket when no host is written', async () => {
    const config = await parseConfigText(
      ['engines:', '  - name: local', '    host: unix:///var/run/docker.sock', '  - name: pods', '    type: podman', '  - name: lab', '    type: podman', '    connection: lab'].join('\n'),
      { fileName: 'opsdeck.yaml', env: {}, podmanConnections: lookup },
    );
    expect(config.engines).toEqual([
      { name: 'local', type: 'docker', host: 'unix:///var/run/docker.sock' },
      { name: 'pods', type: 'podman', host: defaultPodmanHost({}) },
      { name: 'lab', type: 'podman', host: 'unix:///tmp/lab/podman.sock', connection: 'lab' },
    ]);
  });

  it('only runs the connection lookup when a connection is named', async () => {
    const config = await parseConfigText('engines:\n  - name: pods\n    type: podman\n    host: unix:///run/podman/podman.sock\n', {
      fileName: 'opsdeck.yaml',
      podmanConnections: noLookup,
    });
    expect(config.engines[0]).toEqual({ name: 'pods', type: 'podman', host: 'unix:///run/podman/podman.sock' });
  });

  it('names file, line and field for an unknown connection, an ssh connection, or host and connection together', async () => {
    expect(await errorFor('engines:\n  - name: x\n    type: podman\n    connection: nope\n')).toBe(
      'opsdeck.yaml:4:17: engines[0].connection: no podman connection named "nope" (known: lab, edge)',
    );
    expect(await errorFor('engines:\n  - name: x\n    type: podman\n    connection: edge\n')).toMatch(
      /^opsdeck\.yaml:4:17: engines\[0\]\.connection: podman connection "edge" is ssh:\/\/core@10\.0\.0\.7:22\/run\/podman\/podman\.sock: only unix:\/\/ and tcp:\/\/ podman engines/,
    );
    expect(await errorFor('engines:\n  - name: x\n    type: podman\n    host: ssh://core@10.0.0.7\n')).toBe(
      'opsdeck.yaml:4:11: engines[0].host: only unix:// and tcp:// podman engines are supported (forward the socket, e.g. ssh -L, and use its unix:// path)',
    );
    expect(await errorFor('engines:\n  - name: x\n    type: podman\n    host: unix:///a.sock\n    connection: lab\n')).toBe(
      'opsdeck.yaml:5:5: engines[0].connection: give either host or connection, not both',
    );
    expect(await errorFor('engines:\n  - name: x\n    type: podman\n    hots: unix:///a.sock\n')).toBe(
      'opsdeck.yaml:4:5: engines[0].hots: unknown key (expected one of: name, type, host, connection)',
    );
    expect(await errorFor('engines:\n  - name: x\n    type: docker\n')).toBe('opsdeck.yaml:2:5: engines[0].host: required key is missing');
  });
});

describe('default podman socket', () => {
  it('is the rootful socket as root and the user runtime directory otherwise', () => {
    expect(defaultPodmanHost({}, 0)).toBe('unix:///run/podman/podman.sock');
    expect(defaultPodmanHost({ XDG_RUNTIME_DIR: '/run/user/1000' }, 1000)).toBe('unix:///run/user/1000/podman/podman.sock');
    expect(defaultPodmanHost({}, 1001)).toBe('unix:///run/user/1001/podman/podman.sock');
  });
});

describe('podman connections', () => {
  it('reads `podman system connection list --format json`', () => {
    const json = JSON.stringify([
      { Name: 'lab', URI: 'unix:///tmp/x/podman.sock', Identity: '', IsMachine: false, Default: true },
      { Name: 'remote', URI: 'ssh://core@127.0.0.1:2222/run/podman/podman.sock', Identity: '', IsMachine: false, Default: false },
    ]);
    expect(parseConnectionList(json)).toEqual([
      { name: 'lab', uri: 'unix:///tmp/x/podman.sock', isDefault: true },
      { name: 'remote', uri: 'ssh://core@127.0.0.1:2222/run/podman/podman.sock', isDefault: false },
    ]);
  });

  it('reads the service destinations of a containers.conf (as `podman system connection add` writes them)', () => {
    const toml = [
      '[containers]',
      '',
      '[engine]',
      '  active_service = "lab"',
      '  [engine.service_destinations]',
      '    [engine.service_destinations.lab]',
      '      uri = "unix:///tmp/x/podman.sock"',
      '    [engine.service_destinations.remote]',
      '      uri = "ssh://core@127.0.0.1:2222/run/podman/podman.sock"',
      '      identity = "/root/.ssh/id_ed25519"',
      '',
      '[machine]',
    ].join('\n');
    expect(parseServiceDestinations(toml)).toEqual([
      { name: 'lab', uri: 'unix:///tmp/x/podman.sock', isDefault: true },
      { name: 'remote', uri: 'ssh://core@127.0.0.1:2222/run/podman/podman.sock', isDefault: false },
    ]);
  });
});

describe('--docker-host and --engine', () => {
  it('watches every engine named on the command line, replacing the configured ones', async () => {
    const { config } = await loadConfig({
      cwd: '/nonexistent-opsdeck',
      env: { HOME: '/nonexistent-opsdeck', DOCKER_HOST: 'tcp://10.0.0.5:2375' },
      podmanConnections: lookup,
      dockerHosts: ['unix:///tmp/a/docker.sock', 'tcp://127.0.0.1:2375'],
      engines: ['podman', 'podman:lab', 'shop=podman:unix:///tmp/shop/podman.sock', 'docker', 'local'],
    });
    expect(config.engines).toEqual([
      { name: 'local', type: 'docker', host: 'unix:///tmp/a/docker.sock' },
      { name: 'docker', type: 'docker', host: 'tcp://127.0.0.1:2375' },
      { name: 'podman', type: 'podman', host: defaultPodmanHost({}) },
      { name: 'lab', type: 'podman', host: 'unix:///tmp/lab/podman.sock', connection: 'lab' },
      { name: 'shop', type: 'podman', host: 'unix:///tmp/shop/podman.sock' },
      { name: 'docker-2', type: 'docker', host: 'tcp://10.0.0.5:2375' },
      // `local`: the configured (here: default) engine of that name
      { name: 'local-2', type: 'docker', host: 'tcp://10.0.0.5:2375' },
    ]);
  });

  it('refuses an engine it cannot name, in one line naming the flag and the value', async () => {
    expect(await flagError({ engines: ['swarm:prod'] })).toBe(
      '--engine: swarm:prod: expected docker[:URL], podman[:CONNECTION or URL], kubernetes[:CONTEXT] (or k8s[:CONTEXT]), NAME=one of those, or the name of a configured engine (configured: local)',
    );
    expect(await flagError({ engines: ['podman:nope'] })).toBe('--engine: podman:nope: no podman connection named "nope" (known: lab, edge)');
    expect(await flagError({ engines: ['docker:http://10.0.0.5'] })).toBe(
      '--engine: docker: expected a unix://, tcp://, ssh:// or npipe:// URL, got "http://10.0.0.5"',
    );
    expect(await flagError({ dockerHosts: ['unix:///a.sock', 'ftp://x'] })).toBe(
      '--docker-host: expected a unix://, tcp://, ssh:// or npipe:// URL, got "ftp://x"',
    );
  });
});
