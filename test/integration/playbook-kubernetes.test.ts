// The shipped Kubernetes playbooks run headless as an operator runs them (`opsdeck run <id>
// --yes --json` with a kubernetes engine: --kubeconfig, --context, -n) against the real control
// plane (kube-apiserver, kube-controller-manager, kube-scheduler) with the fake kubelet playing
// the pods: the rolling restart makes a new ReplicaSet through the controller-manager; the
// rollback brings back the previous image; service down deletes the crash-looping pods of a bad
// release and, still failing, rolls it back; a dry run shows the server's own dry-run answer and
// changes nothing; a view-only identity is refused before any confirmation.
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeConnection } from '../../src/adapters/kubernetes/kube-connection';
import { readJournal } from '../../src/journal/journal-reader';
import type { JournalRecord } from '../../src/journal/journal-types';
import { runBundle } from '../support/bundle-command';
import { FakeKubelet } from '../support/fake-kubelet';
import { kubeConnection, kubeLab, useTestNamespace } from '../support/kube';
import { pinnedDeployment, readDeployment, waitForAvailable } from '../support/kube-cluster';
import { waitFor } from '../support/wait-for';

const lab = kubeLab();
const namespace = useTestNamespace('pb-k8s');
let admin: KubeConnection;
let kubelet: FakeKubelet;
let directory: string;
let health: Server;
let healthUrl: string;

interface StepLine {
  type: 'step';
  id: string;
  status: string;
  detail?: string;
  calls: string[];
}

interface RunLine {
  type: 'run';
  verdict: string;
  summary: string;
  journal: string;
}

interface Played {
  code: number;
  stderr: string;
  steps: Map<string, StepLine>;
  run: RunLine;
  records: JournalRecord[];
}

/** `opsdeck run <playbook> --input ... --yes --json` on a kubernetes engine watching the test's namespace; the last line of each step, the run, its journal. */
async function opsdeckRun(playbook: string, inputs: Record<string, string>, options: { context?: string; extra?: string[] } = {}): Promise<Played> {
  const args = ['run', playbook, ...Object.entries(inputs).flatMap(([name, value]) => ['--input', `${name}=${value}`]), '--yes', '--json'];
  const engine = ['--kubeconfig', lab.kubeconfig, '--context', options.context ?? lab.contexts.admin, '-n', namespace()];
  const result = await runBundle([...args, ...engine, ...(options.extra ?? [])], {
    env: { ...process.env, HOME: directory, XDG_STATE_HOME: path.join(directory, 'state'), XDG_CONFIG_HOME: '', KUBECONFIG: '', DOCKER_HOST: '', OPSDECK_CONFIG: '', NO_COLOR: '1' },
    cwd: directory,
    timeoutMs: 240_000,
  });
  const lines = result.stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as StepLine | RunLine | { type: string });
  const steps = new Map<string, StepLine>();
  for (const line of lines) if (line.type === 'step') steps.set((line as StepLine).id, line as StepLine);
  const run = lines.find((line): line is RunLine => line.type === 'run');
  if (!run) throw new Error(`no run line (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  return { code: result.code, stderr: result.stderr, steps, run, records: readJournal(run.journal).records };
}

/** What to show when a run did not end as expected: each step's status and detail, and stderr. */
function story(played: Played): string {
  return [...[...played.steps.values()].map((step) => `${step.id}: ${step.status}${step.detail ? ` (${step.detail})` : ''}`), played.stderr].join('\n');
}

interface ReplicaSetList {
  items: Array<{ metadata: { name: string; annotations?: Record<string, string> }; spec: { template: { metadata?: { annotations?: Record<string, string> }; spec: { containers: Array<{ image: string }> } } } }>;
}

async function replicaSetsOf(name: string): Promise<ReplicaSetList['items']> {
  const list = await admin.request<ReplicaSetList>({ path: `/apis/apps/v1/namespaces/${namespace()}/replicasets?labelSelector=app%3D${name}` });
  return list.items.sort((left, right) => Number(left.metadata.annotations?.['deployment.kubernetes.io/revision']) - Number(right.metadata.annotations?.['deployment.kubernetes.io/revision']));
}

const revisionOf = (replicaSet: ReplicaSetList['items'][number]) => replicaSet.metadata.annotations?.['deployment.kubernetes.io/revision'];

/** A Deployment of two pods on the fake kubelet's node, available. */
async function availableDeployment(name: string, image = 'local/busybox:1'): Promise<void> {
  await pinnedDeployment(namespace(), kubelet.nodeName, name, { replicas: 2, image });
  await waitForAvailable(admin, namespace(), name, 60_000);
}

beforeAll(async () => {
  admin = await kubeConnection();
  kubelet = await FakeKubelet.start({ connection: admin, namespace: namespace() });
  directory = await mkdtemp(path.join(os.tmpdir(), 'opsdeck-pb-k8s-'));
  health = createServer((request, response) => {
    response.writeHead(request.url === '/actuator/health' ? 200 : 404, { 'content-type': 'application/json' }).end('{"status":"UP"}');
  });
  await new Promise<void>((resolve) => health.listen(0, '127.0.0.1', resolve));
  const address = health.address();
  healthUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/actuator/health`;
});

afterAll(async () => {
  await kubelet?.stop();
  await new Promise((resolve) => health?.close(resolve));
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe('Kubernetes playbooks headless on the real control plane', () => {
  it('k8s-rolling-restart: restart confirmed by --yes, a new ReplicaSet from the controller-manager, rolled out, every pod ready', async () => {
    await availableDeployment('api');
    expect((await replicaSetsOf('api')).map(revisionOf)).toEqual(['1']);
    const played = await opsdeckRun('k8s-rolling-restart', { deployment: `${namespace()}/api`, timeout: '90s' });
    expect(played.run, story(played)).toMatchObject({ verdict: 'passed' });
    expect(played.code).toBe(0);
    expect([...played.steps.values()].map((step) => `${step.id} ${step.status}`)).toEqual(['before passed', 'restart passed', 'rollout passed', 'after passed']);
    expect(played.steps.get('restart')?.calls.join(' ')).toContain(`PATCH /apis/apps/v1/namespaces/${namespace()}/deployments/api`);

    const replicaSets = await replicaSetsOf('api');
    expect(replicaSets.map(revisionOf)).toEqual(['1', '2']);
    const restartedAt = replicaSets[1]?.spec.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'];
    expect(restartedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const deployment = await readDeployment(admin, namespace(), 'api');
    expect(deployment.spec.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']).toBe(restartedAt);

    const confirmation = played.records.find((record) => record.type === 'confirmation');
    expect(confirmation).toMatchObject({ stepId: 'restart', answer: 'yes (--yes)', accepted: true });
    const output = played.records.filter((record) => record.type === 'step-output' && record.stepId === 'rollout').map((record) => (record.type === 'step-output' ? record.text : '')).join('');
    expect(output).toContain('deployment "api" successfully rolled out');
  });

  it('k8s-rollback-deployment: history, undo to the previous revision, rolled out, health checked; the previous image is back', async () => {
    await availableDeployment('shop', 'local/busybox:1');
    await admin.request({
      method: 'PATCH',
      path: `/apis/apps/v1/namespaces/${namespace()}/deployments/shop`,
      patchType: 'strategic',
      body: { spec: { template: { spec: { containers: [{ name: 'api', image: 'local/busybox:2' }] } } } },
    });
    await waitForAvailable(admin, namespace(), 'shop', 60_000);
    expect((await readDeployment(admin, namespace(), 'shop')).spec.template.spec.containers[0]?.image).toBe('local/busybox:2');

    const played = await opsdeckRun('k8s-rollback-deployment', { deployment: `${namespace()}/shop`, healthUrl });
    expect(played.run, story(played)).toMatchObject({ verdict: 'passed' });
    expect(played.steps.get('undo-previous')?.status).toBe('passed');
    expect(played.steps.get('undo-to')?.status).toBe('skipped');
    expect(played.steps.get('health')?.status).toBe('passed');

    expect((await readDeployment(admin, namespace(), 'shop')).spec.template.spec.containers[0]?.image).toBe('local/busybox:1');
    // kubectl's undo: revision 1's ReplicaSet becomes revision 3.
    const replicaSets = await replicaSetsOf('shop');
    expect(replicaSets.map((replicaSet) => `${revisionOf(replicaSet)} ${replicaSet.spec.template.spec.containers[0]?.image}`)).toEqual(['2 local/busybox:2', '3 local/busybox:1']);
    const intent = played.records.find((record) => record.type === 'step-intent' && record.stepId === 'undo-previous');
    expect(intent).toMatchObject({ params: { toRevision: 1 }, mutates: true, dryRun: false });
    const summary = played.records.filter((record) => record.type === 'step-output' && record.stepId === 'summary').map((record) => (record.type === 'step-output' ? record.text : '')).join('');
    expect(summary).toMatch(/rolled back from revision 2 \(local\/busybox:2\); now revision 3 \(local\/busybox:1\)/);
  });

  it('k8s-service-down: a release whose pods crash-loop; deleting them does not help, so it rolls back and every pod is ready again', async () => {
    kubelet.behave((pod) => pod.spec.containers.some((container) => container.image === 'local/busybox:broken'), { kind: 'crash-loop', restartEveryMs: 500 });
    await availableDeployment('cart', 'local/busybox:1');
    await admin.request({
      method: 'PATCH',
      path: `/apis/apps/v1/namespaces/${namespace()}/deployments/cart`,
      patchType: 'strategic',
      body: { spec: { template: { spec: { containers: [{ name: 'api', image: 'local/busybox:broken' }] } } } },
    });
    // The new ReplicaSet's pod crash-loops while the old ones keep serving.
    await waitFor('a crash-looping pod of cart', async () => {
      const pods = await admin.request<{ items: Array<{ status?: { containerStatuses?: Array<{ state?: { waiting?: { reason?: string } } }> } }> }>({ path: `/api/v1/namespaces/${namespace()}/pods?labelSelector=app%3Dcart` });
      return pods.items.some((pod) => pod.status?.containerStatuses?.some((status) => status.state?.waiting?.reason === 'CrashLoopBackOff')) || undefined;
    }, { timeoutMs: 30_000 });

    const played = await opsdeckRun('k8s-service-down', { deployment: `${namespace()}/cart`, recoverWithin: '15s' });
    expect(played.run, story(played)).toMatchObject({ verdict: 'passed' });
    expect([...played.steps.values()].map((step) => `${step.id} ${step.status}`)).toEqual([
      'pods passed',
      'events passed',
      // Pod logs need a kubelet, which this control plane does not have: the diagnosis goes on.
      expect.stringMatching(/^logs (passed|failed)$/),
      'delete passed',
      // Its failure goes to the rollback: the note of a recovery is never reached.
      'recovered failed',
      'history passed',
      'rollback passed',
      'rollout passed',
      'final passed',
    ]);
    expect(played.steps.get('delete')?.calls.some((call) => call.startsWith(`DELETE /api/v1/namespaces/${namespace()}/pods/cart-`))).toBe(true);
    expect((await readDeployment(admin, namespace(), 'cart')).spec.template.spec.containers[0]?.image).toBe('local/busybox:1');
    expect(played.records.filter((record) => record.type === 'confirmation').map((record) => record.type === 'confirmation' && record.stepId)).toEqual(['delete', 'rollback']);
  });

  it('a dry run shows the server\'s dry-run answer for the scale and changes nothing', async () => {
    const played = await opsdeckRun('k8s-scale-deployment', { deployment: `${namespace()}/api`, replicas: '4', timeout: '30s' }, { extra: ['--dry-run'] });
    expect(played.run, story(played)).toMatchObject({ verdict: 'passed' });
    expect(played.steps.get('scale')).toMatchObject({ status: 'would-do', detail: 'dry run (server, nothing persisted): deployment.apps/api scaled from 2 to 4' });
    expect((await readDeployment(admin, namespace(), 'api')).spec.replicas).toBe(2);
    expect(played.records.find((record) => record.type === 'step-intent' && record.stepId === 'scale')).toMatchObject({ dryRun: true });
    expect(played.records.filter((record) => record.type === 'confirmation')).toEqual([]);
  });

  it('a view-only identity is refused the restart with the server\'s reason, before any confirmation, and nothing changes', async () => {
    const before = (await replicaSetsOf('api')).map(revisionOf);
    const played = await opsdeckRun('k8s-rolling-restart', { deployment: `${namespace()}/api` }, { context: lab.contexts.viewer });
    expect(played.run.verdict).toBe('failed');
    expect(played.code).toBe(1);
    expect(played.steps.get('before')?.status).toBe('passed');
    expect(played.steps.get('restart')?.status).toBe('refused');
    expect(played.steps.get('restart')?.detail).toMatch(/forbidden|cannot patch/i);
    expect(played.records.filter((record) => record.type === 'confirmation' || (record.type === 'step-intent' && record.stepId === 'restart'))).toEqual([]);
    expect(played.records.find((record) => record.type === 'step-result' && record.stepId === 'restart')).toMatchObject({ verdict: 'refused' });
    expect((await replicaSetsOf('api')).map(revisionOf)).toEqual(before);
  });
});
