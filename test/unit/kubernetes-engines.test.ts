// Kubernetes engines as kubectl finds its clusters: `type: kubernetes` in opsdeck.yaml and the
// --kubeconfig / --context / -n / -A / --engine kubernetes:CONTEXT flags, each engine resolved from
// real kubeconfig files (merged first-wins, as kubectl does) when the configuration is loaded.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatEnginesText } from '../../src/cli/engines-text';
import { ConfigError, loadConfig, parseConfigText, type LoadConfigOptions } from '../../src/config/load-config';

let root: string;
let home: string;
let prodFile: string;
let edgeFile: string;

function kubeconfigText(options: { clusters: Array<[string, string]>; contexts: Array<[string, string]>; current?: string }): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    ...options.clusters.flatMap(([name, server]) => [`- name: ${name}`, '  cluster:', `    server: ${server}`]),
    'users:',
    '- name: ops',
    '  user:',
    '    token: not-a-real-token',
    'contexts:',
    ...options.contexts.flatMap(([name, cluster]) => [`- name: "${name}"`, '  context:', `    cluster: ${cluster}`, '    user: ops']),
    ...(options.current ? [`current-context: ${options.current}`] : []),
    '',
  ].join('\n');
}

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'opsdeck-kubeconfig-'));
  home = path.join(root, 'home');
  await fs.mkdir(path.join(home, '.kube'), { recursive: true });
  prodFile = path.join(root, 'prod.yaml');
  edgeFile = path.join(root, 'edge.yaml');
  await fs.writeFile(
    prodFile,
    kubeconfigText({
      clusters: [['prod', 'https://10.0.0.1:6443/'], ['staging', 'https://10.0.0.2:6443'], ['eks', 'https://ABC.gr7.eu-west-1.eks.amazonaws.com']],
      contexts: [['prod', 'prod'], ['staging', 'staging'], ['arn:aws:eks:eu-west-1:123456789012:cluster/shop', 'eks'], ['orphan', 'missing']],
      current: 'prod',
    }),
  );
  // `prod` here too, on another cluster: the first file that names a context wins, as in kubectl.
  await fs.writeFile(edgeFile, kubeconfigText({ clusters: [['edge', 'https://10.9.0.1:6443'], ['other', 'https://10.9.9.9:6443']], contexts: [['edge', 'edge'], ['prod', 'other']], current: 'edge' }));
  await fs.writeFile(path.join(home, '.kube', 'config'), kubeconfigText({ clusters: [['home', 'https://10.5.0.1:6443']], contexts: [['home', 'home']], current: 'home' }));
  await fs.writeFile(path.join(root, 'broken.yaml'), 'clusters: [unclosed\n');
  await fs.writeFile(path.join(root, 'no-current.yaml'), kubeconfigText({ clusters: [['x', 'https://10.7.0.1:6443']], contexts: [['x', 'x']] }));
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ HOME: home, ...extra });

function parse(text: string, environment: NodeJS.ProcessEnv = env()) {
  return parseConfigText(text, { fileName: 'opsdeck.yaml', env: environment });
}

async function errorOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (error instanceof ConfigError) return error.message;
  throw new Error(`expected a ConfigError, got ${String(error)}`);
}

/** loadConfig without a config file (defaults), with flags. */
function withFlags(flags: LoadConfigOptions, environment: NodeJS.ProcessEnv = env()) {
  return loadConfig({ cwd: root, env: environment, podmanConnections: () => [], ...flags });
}

/** loadConfig of a written opsdeck.yaml, with flags. */
async function fileWithFlags(text: string, flags: LoadConfigOptions) {
  const file = path.join(root, `opsdeck-${Math.random().toString(36).slice(2)}.yaml`);
  await fs.writeFile(file, text);
  return loadConfig({ path: file, cwd: root, env: env(), podmanConnections: () => [], ...flags });
}

describe('kubernetes engines in opsdeck.yaml', () => {
  it('reads the current context and its API server from the kubeconfig, watching all namespaces by default', async () => {
    const config = await parse(`engines:\n  - name: prod\n    type: kubernetes\n    kubeconfig: ${prodFile}\n`);
    expect(config.engines).toEqual([{ name: 'prod', type: 'kubernetes', kubeconfig: [prodFile], context: 'prod', host: 'https://10.0.0.1:6443' }]);
  });

  it('merges several files first-wins, whether written as a list or as a KUBECONFIG path list, beside a Docker engine', async () => {
    const listed = await parse(
      `engines:\n  - name: local\n    host: unix:///var/run/docker.sock\n  - name: edge\n    type: kubernetes\n    kubeconfig: [${prodFile}, ${edgeFile}]\n    context: edge\n    namespace: shop\n  - name: p\n    type: kubernetes\n    kubeconfig: ${prodFile}:${edgeFile}\n    context: prod\n`,
    );
    expect(listed.engines).toEqual([
      { name: 'local', type: 'docker', host: 'unix:///var/run/docker.sock' },
      { name: 'edge', type: 'kubernetes', kubeconfig: [prodFile, edgeFile], context: 'edge', namespace: 'shop', host: 'https://10.9.0.1:6443' },
      // prod.yaml names `prod` first: its cluster, not edge.yaml's.
      { name: 'p', type: 'kubernetes', kubeconfig: [prodFile, edgeFile], context: 'prod', host: 'https://10.0.0.1:6443' },
    ]);
  });

  it('expands ~/ and, without a kubeconfig key, reads KUBECONFIG (skipping missing files) or ~/.kube/config', async () => {
    const tilde = await parse('engines:\n  - name: home\n    type: kubernetes\n    kubeconfig: ~/.kube/config\n');
    expect(tilde.engines[0]).toMatchObject({ kubeconfig: [path.join(home, '.kube', 'config')], context: 'home', host: 'https://10.5.0.1:6443' });
    const fromEnvironment = await parse('engines:\n  - name: k\n    type: kubernetes\n', env({ KUBECONFIG: `${path.join(root, 'gone.yaml')}:${edgeFile}:${prodFile}` }));
    expect(fromEnvironment.engines[0]).toMatchObject({ kubeconfig: [edgeFile, prodFile], context: 'edge', host: 'https://10.9.0.1:6443' });
    const fromHome = await parse('engines:\n  - name: k\n    type: kubernetes\n');
    expect(fromHome.engines[0]).toMatchObject({ kubeconfig: [path.join(home, '.kube', 'config')], context: 'home' });
  });

  it('names file, line and field for a context, file or namespace that cannot be', async () => {
    const engine = (lines: string): string => `engines:\n  - name: k\n    type: kubernetes\n${lines}`;
    expect(await errorOf(parse(engine(`    kubeconfig: ${prodFile}\n    context: nope\n`)))).toBe(
      'opsdeck.yaml:5:14: engines[0].context: no context "nope" in the kubeconfig (known: prod, staging, arn:aws:eks:eu-west-1:123456789012:cluster/shop, orphan)',
    );
    expect(await errorOf(parse(engine(`    kubeconfig: ${prodFile}\n    context: orphan\n`)))).toBe(
      'opsdeck.yaml:5:14: engines[0].context: context "orphan" names cluster "missing", which the kubeconfig does not define',
    );
    expect(await errorOf(parse(engine('    kubeconfig: /nonexistent/config\n')))).toBe('opsdeck.yaml:4:17: engines[0].kubeconfig: kubeconfig file not found: /nonexistent/config');
    expect(await errorOf(parse(engine('    kubeconfig: kube/config\n')))).toBe('opsdeck.yaml:4:17: engines[0].kubeconfig: expected an absolute path or ~/..., got "kube/config"');
    expect(await errorOf(parse(engine(`    kubeconfig: ${path.join(root, 'broken.yaml')}\n`)))).toMatch(
      new RegExp(`^opsdeck\\.yaml:4:17: engines\\[0\\]\\.kubeconfig: cannot read kubeconfig ${path.join(root, 'broken.yaml').replace(/[.]/g, '\\.')}: `),
    );
    expect(await errorOf(parse(engine(`    kubeconfig: ${path.join(root, 'no-current.yaml')}\n`)))).toBe(
      'opsdeck.yaml:2:5: engines[0].context: the kubeconfig sets no current-context: name a context (known: x)',
    );
    expect(await errorOf(parse(engine(''), { HOME: path.join(root, 'nobody') }))).toBe(
      `opsdeck.yaml:2:5: engines[0].kubeconfig: no kubeconfig: KUBECONFIG is not set and ${path.join(root, 'nobody', '.kube', 'config')} does not exist`,
    );
    expect(await errorOf(parse(engine('    namespace: Shop_1\n')))).toBe(
      'opsdeck.yaml:4:16: engines[0].namespace: invalid namespace "Shop_1": lower-case letters, digits and "-", at most 63, starting and ending with a letter or digit',
    );
    expect(await errorOf(parse(engine('    kubeconfig: 5\n')))).toBe('opsdeck.yaml:4:17: engines[0].kubeconfig: expected a file or a list of files, got 5');
    expect(await errorOf(parse(engine('    host: https://10.0.0.1:6443\n')))).toBe(
      'opsdeck.yaml:4:5: engines[0].host: unknown key (expected one of: name, type, kubeconfig, context, namespace)',
    );
  });
});

describe('--context, --kubeconfig, -n, -A and --engine kubernetes:CONTEXT', () => {
  it('watches one engine per --context, named by it, in the --kubeconfig files merged, all namespaces or -n', async () => {
    const { config } = await withFlags({ kubeconfig: [`${prodFile}:${edgeFile}`], contexts: ['staging', 'edge'], namespace: 'shop' });
    expect(config.engines).toEqual([
      { name: 'staging', type: 'kubernetes', kubeconfig: [prodFile, edgeFile], context: 'staging', namespace: 'shop', host: 'https://10.0.0.2:6443' },
      { name: 'edge', type: 'kubernetes', kubeconfig: [prodFile, edgeFile], context: 'edge', namespace: 'shop', host: 'https://10.9.0.1:6443' },
    ]);
  });

  it('takes kubernetes and k8s engine specs (current context, named, colons in the context) and suffixes a name taken', async () => {
    const eks = 'arn:aws:eks:eu-west-1:123456789012:cluster/shop';
    const { config } = await withFlags({
      kubeconfig: [prodFile],
      dockerHosts: ['unix:///tmp/d.sock'],
      engines: ['prod=docker:tcp://10.0.0.5:2375', 'kubernetes', `k8s:${eks}`, 'live=kubernetes:staging'],
      contexts: ['prod'],
    });
    expect(config.engines.map((engine) => [engine.name, engine.type, engine.host])).toEqual([
      ['local', 'docker', 'unix:///tmp/d.sock'],
      ['prod', 'docker', 'tcp://10.0.0.5:2375'],
      ['prod-2', 'kubernetes', 'https://10.0.0.1:6443'],
      [eks, 'kubernetes', 'https://ABC.gr7.eu-west-1.eks.amazonaws.com'],
      ['live', 'kubernetes', 'https://10.0.0.2:6443'],
      ['prod-3', 'kubernetes', 'https://10.0.0.1:6443'],
    ]);
  });

  it('applies -n, -A and --kubeconfig alone to the configured Kubernetes engines, and leaves the others as they are', async () => {
    const text = `engines:\n  - name: local\n    host: unix:///var/run/docker.sock\n  - name: k\n    type: kubernetes\n    kubeconfig: ${prodFile}\n    context: prod\n    namespace: shop\n`;
    expect((await fileWithFlags(text, { namespace: 'billing' })).config.engines).toEqual([
      { name: 'local', type: 'docker', host: 'unix:///var/run/docker.sock' },
      { name: 'k', type: 'kubernetes', kubeconfig: [prodFile], context: 'prod', namespace: 'billing', host: 'https://10.0.0.1:6443' },
    ]);
    expect((await fileWithFlags(text, { allNamespaces: true })).config.engines[1]).toEqual({
      name: 'k',
      type: 'kubernetes',
      kubeconfig: [prodFile],
      context: 'prod',
      host: 'https://10.0.0.1:6443',
    });
    // Another kubeconfig: the same context read from there (edge.yaml's prod is another cluster).
    expect((await fileWithFlags(text, { kubeconfig: [edgeFile] })).config.engines[1]).toEqual({
      name: 'k',
      type: 'kubernetes',
      kubeconfig: [edgeFile],
      context: 'prod',
      namespace: 'shop',
      host: 'https://10.9.9.9:6443',
    });
    // A configured engine picked by name with --engine takes -n too; the others are not watched.
    expect((await fileWithFlags(text, { engines: ['k'], namespace: 'billing' })).config.engines).toEqual([
      { name: 'k', type: 'kubernetes', kubeconfig: [prodFile], context: 'prod', namespace: 'billing', host: 'https://10.0.0.1:6443' },
    ]);
    expect(await errorOf(fileWithFlags(text.replace('context: prod', 'context: staging'), { kubeconfig: [edgeFile] }))).toBe(
      '--kubeconfig: k: no context "staging" in the kubeconfig (known: edge, prod)',
    );
  });

  it('makes -n, -A or --kubeconfig alone stand for the current context when no Kubernetes engine is configured (DOCKER_HOST then does not matter)', async () => {
    const { config } = await withFlags({ namespace: 'shop' }, env({ KUBECONFIG: edgeFile, DOCKER_HOST: 'http://not-docker' }));
    expect(config.engines).toEqual([{ name: 'edge', type: 'kubernetes', kubeconfig: [edgeFile], context: 'edge', namespace: 'shop', host: 'https://10.9.0.1:6443' }]);
    expect((await withFlags({ kubeconfig: [prodFile] })).config.engines).toEqual([
      { name: 'prod', type: 'kubernetes', kubeconfig: [prodFile], context: 'prod', host: 'https://10.0.0.1:6443' },
    ]);
  });

  it('refuses bad flags in one line naming the flag and the value', async () => {
    expect(await errorOf(withFlags({ kubeconfig: [prodFile], contexts: ['nope'] }))).toBe(
      '--context: nope: no context "nope" in the kubeconfig (known: prod, staging, arn:aws:eks:eu-west-1:123456789012:cluster/shop, orphan)',
    );
    expect(await errorOf(withFlags({ kubeconfig: ['/nonexistent/config'], contexts: ['prod'] }))).toBe('--kubeconfig: kubeconfig file not found: /nonexistent/config');
    expect(await errorOf(withFlags({ kubeconfig: [prodFile], engines: ['k8s:nope'] }))).toMatch(/^--engine: k8s:nope: no context "nope" in the kubeconfig/);
    expect(await errorOf(withFlags({ contexts: ['prod'] }, { HOME: path.join(root, 'nobody') }))).toBe(
      `--context: prod: no kubeconfig: KUBECONFIG is not set and ${path.join(root, 'nobody', '.kube', 'config')} does not exist`,
    );
    expect(await errorOf(withFlags({ contexts: ['prod'] }, env({ KUBECONFIG: '/gone/a:/gone/b' })))).toBe(
      "--context: prod: none of KUBECONFIG's files exists (/gone/a, /gone/b)",
    );
    expect(await errorOf(withFlags({ namespace: 'shop', allNamespaces: true, contexts: ['prod'] }))).toBe(
      '--namespace: give either --namespace or --all-namespaces, not both',
    );
    expect(await errorOf(withFlags({ namespace: '-shop', kubeconfig: [prodFile] }))).toMatch(/^--namespace: invalid namespace "-shop": /);
    expect(await errorOf(withFlags({ dockerHosts: ['unix:///run/d.sock'], namespace: 'shop' }))).toBe(
      '--namespace: applies to Kubernetes engines, and none is watched (add --context NAME or --engine kubernetes[:CONTEXT])',
    );
    expect(await errorOf(withFlags({ namespace: 'shop' }, env({ KUBECONFIG: path.join(root, 'no-current.yaml') })))).toBe(
      '--namespace: the kubeconfig sets no current-context: name a context (known: x)',
    );
  });
});

describe('opsdeck engines', () => {
  it('shows each Kubernetes engine with its server, context, namespace and kubeconfig', async () => {
    const { config } = await withFlags({ kubeconfig: [prodFile], contexts: ['prod'], engines: ['k8s:staging', 'local=docker:unix:///run/d.sock'], namespace: 'shop' });
    expect(formatEnginesText({ engines: config.engines, podmanConnections: [] }).split('\n').slice(0, 4)).toEqual([
      'ENGINES',
      `staging  kubernetes  https://10.0.0.2:6443  (context staging, namespace shop, kubeconfig ${prodFile})`,
      'local    docker      unix:///run/d.sock',
      `prod     kubernetes  https://10.0.0.1:6443  (context prod, namespace shop, kubeconfig ${prodFile})`,
    ]);
  });
});
