// The cockpit on a real terminal (tmux) against a real apiserver of its own (a second apiserver on
// the lab's etcd, so stopping it disturbs no other test), reached under two contexts with
// different users (admin and the RBAC-restricted viewer), beside the private dockerd:
// informer updates reach the screen, the viewer is told "forbidden" before any confirmation,
// and the apiserver going away shows both contexts disconnected, then connected again.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startExtraApiserver, type ExtraApiserver } from '../../lab/kube-engine.mjs';
import { connectKube, type KubeConnection } from '../../src/adapters/kubernetes/kube-connection';
import { ensureCommand } from '../support/debian-tools';
import { FakeKubelet } from '../support/fake-kubelet';
import { kubeLab, useTestNamespace } from '../support/kube';
import { pinnedDeployment } from '../support/kube-cluster';
import { BUNDLE, interactiveEnvironment } from '../support/pty';
import { waitFor } from '../support/wait-for';

const dockerHost = inject('dockerHost');
const SESSION = `opsdeck-kubernetes-${process.pid}`;

function tmux(...args: string[]): string {
  return execFileSync('tmux', args, { encoding: 'utf8', env: interactiveEnvironment() });
}

function screen(): string {
  return tmux('capture-pane', '-p', '-t', SESSION);
}

/** waitFor, with the screen in the error when it times out. */
async function waitForScreen<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  try {
    return await waitFor(what, probe, { timeoutMs });
  } catch (error) {
    throw new Error(`${(error as Error).message}\nscreen:\n${screen()}`);
  }
}

function keys(...sequence: string[]): void {
  for (const key of sequence) tmux('send-keys', '-t', SESSION, key);
}

describe('cockpit with two Kubernetes contexts and a Docker engine (tmux, real apiserver)', () => {
  const namespace = useTestNamespace('t-cockpit-k8s');
  let extra: ExtraApiserver | undefined;
  let admin: KubeConnection;
  let kubelet: FakeKubelet | undefined;

  beforeAll(async () => {
    ensureCommand('tmux');
    extra = await startExtraApiserver(kubeLab().runDir, { name: 'cockpit' });
    admin = await connectKube({ kubeconfig: [extra.kubeconfig], context: extra.contexts.admin });
    kubelet = await FakeKubelet.start({ connection: admin, namespace: namespace() });
    kubelet.behave('ledger', { kind: 'crash-loop', restartEveryMs: 1500 });
    await pinnedDeployment(namespace(), kubelet.nodeName, 'orders', { replicas: 2 });
    await pinnedDeployment(namespace(), kubelet.nodeName, 'ledger', { replicas: 1 });
    const command =
      `${process.execPath} ${BUNDLE} --docker-host ${dockerHost} --kubeconfig ${extra.kubeconfig} ` +
      `--context ${extra.contexts.admin} --context ${extra.contexts.viewer} -n ${namespace()}; sleep 600`;
    tmux('new-session', '-d', '-s', SESSION, '-x', '140', '-y', '45', command);
  }, 240_000);

  afterAll(async () => {
    try {
      tmux('kill-session', '-t', SESSION);
    } catch {
      // already gone
    }
    await kubelet?.stop();
    await extra?.dispose();
  });

  it('shows both contexts connected beside docker, pods with their reasons, and a scale made elsewhere', { timeout: 270_000 }, async () => {
    const { admin: adminContext, viewer } = extra!.contexts;
    await waitForScreen('both contexts and the docker engine connected', () => {
      const header = screen().split('\n')[0] ?? '';
      return header.includes(`k8s: ${adminContext} ● connected`) && header.includes(`k8s: ${viewer} ● connected`) && /docker: local ● connected/.test(header) ? true : undefined;
    }, 60_000);
    // The admin context alone: the shared dockerd's containers (other test files add theirs while
    // this one runs) would otherwise push the cluster's rows below the panel's window.
    keys(':');
    keys('-l', `ctx ${adminContext}`);
    keys('Enter');
    await waitForScreen('the crash loop and the orders deployment under the admin context', () => {
      const text = screen();
      return /ledger-\S+\s+CrashLoopBackOff/.test(text) && /orders\s+deploy/.test(text) ? text : undefined;
    }, 60_000);
    // The informers, not a poll: a scale made with the API reaches the screen as a third pod.
    await admin.request({ method: 'PATCH', path: `/apis/apps/v1/namespaces/${namespace()}/deployments/orders/scale`, patchType: 'merge', body: { spec: { replicas: 3 } } });
    // The cluster first (the controller manager and the fake kubelet take their time on a loaded
    // machine), then the screen, which shows the Deployment's status.readyReplicas once its informer has it.
    await waitFor(
      'the apiserver reporting three orders replicas ready',
      async () => {
        const deployment = await admin.request<{ status?: { readyReplicas?: number } }>({ method: 'GET', path: `/apis/apps/v1/namespaces/${namespace()}/deployments/orders` });
        return deployment.status?.readyReplicas === 3 ? true : undefined;
      },
      { timeoutMs: 150_000, intervalMs: 250 },
    );
    await waitForScreen('three orders pods ready under the admin context', () => (/orders\s+deploy\s+3\/3 ready/.test(screen()) ? true : undefined), 45_000);
  });

  it('tells the viewer its rollout restart is forbidden, without asking to confirm', { timeout: 90_000 }, async () => {
    const { viewer } = extra!.contexts;
    keys(':');
    keys('-l', `ctx ${viewer}`);
    keys('Enter');
    // Only the viewer's context is shown now: its rows are the context, the namespace, then workloads.
    await waitForScreen('the services narrowed to the viewer context', () => (screen().includes(`context ${viewer}`) && !new RegExp(`context ${extra!.contexts.admin}\\s`).test(screen()) ? true : undefined), 20_000);
    keys('g');
    const rows = await waitFor('the ledger deployment row', () => {
      const lines = screen().split('\n');
      const index = lines.findIndex((line) => /\bledger\s+deploy\b/.test(line));
      const selected = lines.findIndex((line) => line.slice(0, 4).includes('›'));
      return index >= 0 && selected >= 0 ? index - selected : undefined;
    }, { timeoutMs: 20_000 });
    for (let step = 0; step < rows; step += 1) keys('j');
    await waitFor('ledger selected', () => (screen().split('\n').some((line) => line.slice(0, 4).includes('›') && /\bledger\s+deploy\b/.test(line)) ? true : undefined), {
      timeoutMs: 10_000,
    });
    keys('r');
    const text = await waitFor('the forbidden answer on the status line', () => (/forbidden/i.test(screen()) ? screen() : undefined), { timeoutMs: 20_000 });
    expect(text).not.toMatch(/\[y\/N\]/);
    expect(text).toMatch(/cannot patch deployments/);
    // Nothing was sent: the template still has no restart mark.
    const deployment = await admin.request<{ spec: { template: { metadata: { annotations?: Record<string, string> } } } }>({
      path: `/apis/apps/v1/namespaces/${namespace()}/deployments/ledger`,
    });
    expect(deployment.spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']).toBeUndefined();
    keys(':');
    keys('-l', 'ctx all');
    keys('Enter');
  });

  it('shows both contexts disconnected while their apiserver is down, then connected again', { timeout: 180_000 }, async () => {
    const { admin: adminContext, viewer } = extra!.contexts;
    await extra!.stop();
    const down = await waitFor('both contexts disconnected', () => {
      const header = screen().split('\n')[0] ?? '';
      return new RegExp(`k8s: ${adminContext} \\S disconnected`).test(header) ? screen() : undefined;
    }, { timeoutMs: 60_000 });
    expect(down.split('\n')[0]).toMatch(/docker: local ● connected/);
    await extra!.start();
    await waitFor('both contexts connected again', () => {
      const header = screen().split('\n')[0] ?? '';
      return header.includes(`k8s: ${adminContext} ● connected`) && header.includes(`k8s: ${viewer} ● connected`) ? true : undefined;
    }, { timeoutMs: 90_000 });
    await waitFor('the pods listed again', () => (/orders\s+deploy\s+3\/3 ready/.test(screen()) ? true : undefined), { timeoutMs: 30_000 });
  });
});
