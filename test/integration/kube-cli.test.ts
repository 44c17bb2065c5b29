// Kubernetes engines through the bundled CLI, on the project's own control plane: kubectl's flags
// (--kubeconfig, --context repeated, -n, -A, KUBECONFIG with several files), a kubernetes engine in
// opsdeck.yaml, `status` on one apiserver under two contexts, and a context that does not exist
// refused in one line before anything connects.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnginesListing } from '../../src/cli/engines-text';
import type { StatusSnapshot } from '../../src/runtime/status-snapshot';
import { runBundle, type CommandRun } from '../support/bundle-command';
import { applyDeployment, createTestNamespace, kubeConnection, kubeLab } from '../support/kube';
import { waitFor } from '../support/wait-for';

const lab = kubeLab();
let directory: string;

function opsdeck(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CommandRun> {
  return runBundle(args, { env: { ...process.env, HOME: directory, XDG_CONFIG_HOME: '', KUBECONFIG: '', DOCKER_HOST: '', OPSDECK_CONFIG: '', NO_COLOR: '1', ...env }, cwd: directory });
}

async function engines(args: string[], env: NodeJS.ProcessEnv = {}): Promise<EnginesListing['engines']> {
  const result = await opsdeck(['engines', '--json', ...args], env);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return (JSON.parse(result.stdout) as EnginesListing).engines;
}

beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'opsdeck-kube-cli-'));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('Kubernetes engines on the command line (bundled CLI)', () => {
  it('--help names the kubectl flags and how they combine with the configured engines', async () => {
    const help = await opsdeck(['--help']);
    expect(help.code).toBe(0);
    for (const flag of ['--kubeconfig <file>', '--context <name>', '-n, --namespace <namespace>', '-A, --all-namespaces', 'kubernetes[:CONTEXT]']) {
      expect(help.stdout).toContain(flag);
    }
    expect(help.stdout).toContain('replacing those of the');
  });

  it('watches one engine per --context, two contexts of one apiserver, with -n', async () => {
    const listed = await engines(['--kubeconfig', lab.kubeconfig, '--context', lab.contexts.admin, '--context', lab.contexts.viewer, '-n', 'shop']);
    expect(listed).toEqual([
      { name: 'admin', type: 'kubernetes', kubeconfig: [lab.kubeconfig], context: 'admin', namespace: 'shop', host: lab.server },
      { name: 'viewer', type: 'kubernetes', kubeconfig: [lab.kubeconfig], context: 'viewer', namespace: 'shop', host: lab.server },
    ]);
    const text = await opsdeck(['engines', '--kubeconfig', lab.kubeconfig, '--context', lab.contexts.viewer]);
    expect(text.stdout.split('\n')[1]).toBe(`viewer  kubernetes  ${lab.server}  (context viewer, all namespaces, kubeconfig ${lab.kubeconfig})`);
  });

  it('reads KUBECONFIG with several files as kubectl does, and --engine k8s:CONTEXT beside a Docker engine', async () => {
    const other = path.join(directory, 'other.kubeconfig');
    await writeFile(
      other,
      'apiVersion: v1\nkind: Config\nclusters:\n- name: far\n  cluster:\n    server: https://127.0.0.2:6443\nusers:\n- name: u\n  user: {token: x}\ncontexts:\n- name: far\n  context: {cluster: far, user: u}\n- name: admin\n  context: {cluster: far, user: u}\ncurrent-context: far\n',
    );
    const env = { KUBECONFIG: `${lab.kubeconfig}:${other}` };
    // The lab's file comes first: its current context, and its `admin` over the other file's.
    expect(await engines(['-A'], env)).toEqual([{ name: 'admin', type: 'kubernetes', kubeconfig: [lab.kubeconfig, other], context: 'admin', host: lab.server }]);
    const listed = await engines(['--engine', 'local=docker:unix:///run/d.sock', '--engine', 'k8s:far', '--engine', 'lab=kubernetes:viewer'], env);
    expect(listed.map((engine) => [engine.name, engine.type, engine.host])).toEqual([
      ['local', 'docker', 'unix:///run/d.sock'],
      ['far', 'kubernetes', 'https://127.0.0.2:6443'],
      ['lab', 'kubernetes', lab.server],
    ]);
  });

  it('takes a kubernetes engine from opsdeck.yaml, and -A over its namespace', async () => {
    await writeFile(
      path.join(directory, 'opsdeck.yaml'),
      `engines:\n  - name: cluster\n    type: kubernetes\n    kubeconfig: ${lab.kubeconfig}\n    context: ${lab.contexts.viewer}\n    namespace: shop\n`,
    );
    try {
      expect(await engines([])).toEqual([{ name: 'cluster', type: 'kubernetes', kubeconfig: [lab.kubeconfig], context: 'viewer', namespace: 'shop', host: lab.server }]);
      expect((await engines(['-A']))[0]).toEqual({ name: 'cluster', type: 'kubernetes', kubeconfig: [lab.kubeconfig], context: 'viewer', host: lab.server });
    } finally {
      await rm(path.join(directory, 'opsdeck.yaml'));
    }
  });

  it('status reads a namespace of the cluster under two contexts at once, in JSON and in text', async () => {
    const namespace = await createTestNamespace('t-kube-cli');
    try {
      await applyDeployment(namespace.name, 'web', { replicas: 2 });
      await waitFor('the pods of web', async () => {
        const pods = await (await kubeConnection()).request<{ items: unknown[] }>({ path: `/api/v1/namespaces/${namespace.name}/pods` });
        return pods.items.length === 2;
      });
      const args = ['--kubeconfig', lab.kubeconfig, '--context', lab.contexts.admin, '--context', lab.contexts.viewer, '-n', namespace.name];
      const json = await opsdeck(['status', '--json', ...args]);
      expect(json.code).toBe(0);
      const snapshot = JSON.parse(json.stdout) as StatusSnapshot;
      expect(snapshot.engines.map((engine) => [engine.id, engine.kind, engine.state, engine.context, engine.namespace, engine.endpoint])).toEqual([
        ['admin', 'kubernetes', 'connected', 'admin', namespace.name, lab.server],
        ['viewer', 'kubernetes', 'connected', 'viewer', namespace.name, lab.server],
      ]);
      // The same Deployment seen by both users, each row under its own engine.
      expect(snapshot.services.map((service) => [service.engine, service.project, service.service, service.containers.length])).toEqual([
        ['admin', namespace.name, 'web', 2],
        ['viewer', namespace.name, 'web', 2],
      ]);
      const text = await opsdeck(['status', ...args]);
      expect(text.stdout.split('\n').slice(0, 2)).toEqual([
        expect.stringMatching(new RegExp(`^engine admin \\(${lab.server}, context admin, namespace ${namespace.name}\\): connected kubernetes v1\\.20\\.2$`)),
        expect.stringMatching(new RegExp(`^engine viewer \\(${lab.server}, context viewer, namespace ${namespace.name}\\): connected kubernetes v1\\.20\\.2$`)),
      ]);
    } finally {
      await namespace.delete();
    }
  });

  it('refuses a context the kubeconfig does not have, in one line, exit code 2', async () => {
    const result = await opsdeck(['status', '--kubeconfig', lab.kubeconfig, '--context', 'prod']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('opsdeck: --context: prod: no context "prod" in the kubeconfig (known: admin, viewer)\n');
  });
});
