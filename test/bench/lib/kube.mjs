// The Kubernetes benchmarks' own control plane (lab/kube-engine.mjs: etcd, apiserver,
// controller-manager and scheduler on free loopback ports in a fresh /tmp/ok-XXXX, stopped by
// their pids) and the pieces of the project they drive it with: src/'s KubeConnection and the
// tests' FakeKubelet, both TypeScript, bundled once by esbuild into dist/bench/ (plain node has no
// TypeScript loader; the same code the tests run, not a copy).
import { build } from 'esbuild';
import { startKubeLab, stopKubeOnProcessExit } from '../../../lab/kube-engine.mjs';
import { ROOT, say } from './util.mjs';

/** Control planes still running (disposed on SIGINT/SIGTERM by the harness). */
export const liveClusters = new Set();

export async function disposeAllClusters() {
  await Promise.all([...liveClusters].map((cluster) => cluster.dispose().catch(() => undefined)));
}

let support;

/**
 * `{ connectKube, KubeApiError, FakeKubelet }` from src/adapters/kubernetes/kube-connection.ts and
 * test/support/fake-kubelet.ts, bundled on first use (client-node stays an external package).
 */
export function kubeSupport() {
  support ??= (async () => {
    const outfile = `${ROOT}dist/bench/kube-support.mjs`;
    await build({
      absWorkingDir: ROOT,
      stdin: {
        contents: [
          "export { connectKube, KubeApiError } from './src/adapters/kubernetes/kube-connection.ts';",
          "export { FakeKubelet } from './test/support/fake-kubelet.ts';",
        ].join('\n'),
        resolveDir: ROOT,
        loader: 'ts',
      },
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'warning',
    });
    return import(`${outfile}?${Date.now()}`);
  })();
  return support;
}

/**
 * A private control plane. The controller-manager gets a high client rate (its default, 20
 * requests/s, would take 8 minutes for the ReplicaSets to create 10,000 pods).
 */
export async function startCluster() {
  const t0 = Date.now();
  const lab = await startKubeLab({
    controllerManagerFlags: ['--kube-api-qps=2000', '--kube-api-burst=4000', '--concurrent-replicaset-syncs=20', '--concurrent-deployment-syncs=20'],
    onProgress: (text) => process.stderr.write(text.replace(/^(?=.)/gm, '[kube] ')),
  });
  const unhook = stopKubeOnProcessExit(lab);
  const { connectKube } = await kubeSupport();
  const admin = await connectKube({ kubeconfig: [lab.kubeconfig], context: lab.contexts.admin });
  const cluster = {
    lab,
    admin,
    kubeconfig: lab.kubeconfig,
    context: lab.contexts.admin,
    server: lab.server,
    async dispose() {
      if (!liveClusters.has(cluster)) return;
      liveClusters.delete(cluster);
      const t = Date.now();
      await lab.dispose();
      unhook();
      say(`kube: stopped the control plane and deleted ${lab.runDir} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    },
  };
  liveClusters.add(cluster);
  say(`kube: control plane ${lab.server} in ${lab.runDir} (apiserver pid ${lab.pid()}, ready in ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return cluster;
}

/** Pods in the namespace: one item and the rest's count (remainingItemCount is not given with a selector). */
const podCount = async (admin, namespace) => {
  const list = await admin.request({ path: `/api/v1/namespaces/${namespace}/pods?limit=1` });
  return list.items.length + (list.metadata.remainingItemCount ?? 0);
};

/**
 * `deployments` Deployments svc-001... of `replicas` pods each in a fresh namespace, their pod
 * template bound to the fake kubelet's Node (spec.nodeName: no scheduling), which plays them
 * Running and Ready, except `crashing` pods in each of the `crashingIn` deployments (CrashLoopBackOff,
 * a restart every `restartEveryMs`). Resolves once every pod exists and the Deployments count all
 * but the crashing ones ready, with the phases' durations.
 */
export async function populate(cluster, { namespace, deployments, replicas, crashingIn = [], crashing = 3, restartEveryMs = 20_000, timeoutMs = 15 * 60_000 }) {
  const { FakeKubelet } = await kubeSupport();
  const { admin } = cluster;
  const total = deployments * replicas;
  const names = Array.from({ length: deployments }, (_, index) => `svc-${String(index + 1).padStart(3, '0')}`);
  const crashers = crashing * crashingIn.filter((name) => names.includes(name)).length;
  const t0 = Date.now();
  await admin.request({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } } });
  const kubelet = await FakeKubelet.start({ connection: admin, namespace, nodeName: `bench-node-${namespace}`, concurrency: 24 });
  cluster.kubelet = kubelet;
  const chosen = new Map(crashingIn.map((name) => [name, new Set()]));
  kubelet.behave(
    (pod) => {
      const owner = pod.metadata.labels?.app;
      const picked = chosen.get(owner);
      if (!picked) return false;
      if (picked.has(pod.metadata.name)) return true;
      if (picked.size >= crashing) return false;
      picked.add(pod.metadata.name);
      return true;
    },
    { kind: 'crash-loop', restartEveryMs },
  );
  for (const name of names) {
    await admin.request({
      method: 'POST',
      path: `/apis/apps/v1/namespaces/${namespace}/deployments`,
      body: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, labels: { app: name } },
        spec: {
          replicas,
          selector: { matchLabels: { app: name } },
          template: {
            metadata: { labels: { app: name, tier: 'bench' } },
            spec: {
              nodeName: kubelet.nodeName,
              terminationGracePeriodSeconds: 0,
              containers: [{ name: 'app', image: 'local/busybox:latest', command: ['sleep', '86400'], resources: { requests: { cpu: '1m', memory: '1Mi' } } }],
            },
          },
        },
      },
    });
  }
  const deadline = t0 + timeoutMs;
  const phases = {};
  const progress = { created: 0, ready: 0 };
  let lastSay = 0;
  for (;;) {
    progress.created = await podCount(admin, namespace);
    const list = await admin.request({ path: `/apis/apps/v1/namespaces/${namespace}/deployments` });
    progress.ready = list.items.reduce((sum, item) => sum + (item.status?.readyReplicas ?? 0), 0);
    const elapsed = Date.now() - t0;
    if (phases.created === undefined && progress.created >= total) phases.created = elapsed;
    // The crash-looping pods are played too: each picked (their status patched) before the rest is ready.
    const crashersPlayed = [...chosen.values()].reduce((sum, picked) => sum + picked.size, 0) >= crashers;
    if (phases.created !== undefined && crashersPlayed && progress.ready >= total - crashers) {
      phases.ready = elapsed;
      break;
    }
    if (Date.now() > deadline) throw new Error(`pods not ready after ${timeoutMs / 1000} s: ${JSON.stringify(progress)}; kubelet problems: ${kubelet.problems.slice(-5).join(' | ')}`);
    if (Date.now() - lastSay > 15_000) {
      lastSay = Date.now();
      say(`  kube: ${Math.round(elapsed / 1000)} s: ${progress.created} pods created, ${progress.ready} ready (of ${total})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return { total, names, crashers, phases, kubeletProblems: kubelet.problems.length };
}
