// Holds one 10,000-pod control plane for kube-10k-pods A/B runs: starts it as the bench does
// (lib/kube.mjs: 20 Deployments x 500 replicas in namespace `bench`, the fake kubelet playing them,
// 6 crash-looping), writes what the bench needs to $RUN_DIR/bench-cluster.json, prints the run
// directory, and keeps the kubelet playing until SIGTERM / SIGINT, then disposes of everything.
//
//   node test/bench/kube-hold.mjs &             # prints "kube-hold: ready BENCH_KUBE_CLUSTER=/tmp/ok-XXXX"
//   BENCH_KUBE_CLUSTER=/tmp/ok-XXXX BENCH_ONLY=kube-10k-pods node test/bench/run-all.mjs
//   kill -TERM <pid of kube-hold>               # stops the control plane, deletes /tmp/ok-XXXX
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLUSTER_FILE, KUBE_BENCH } from './kube-10k-pods.mjs';
import { populate, startCluster } from './lib/kube.mjs';
import { envNumber, say } from './lib/util.mjs';

const deployments = envNumber('BENCH_KUBE_DEPLOYMENTS', 20);
const replicas = envNumber('BENCH_KUBE_REPLICAS', 500);
const cluster = await startCluster();
let stopping = false;
const stop = async (why) => {
  if (stopping) return;
  stopping = true;
  say(`kube-hold: ${why}: stopping`);
  await cluster.kubelet?.stop().catch(() => undefined);
  await cluster.dispose();
  process.exit(0);
};
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
try {
  const filled = await populate(cluster, { namespace: KUBE_BENCH.namespace, deployments, replicas, crashingIn: KUBE_BENCH.crashingIn, crashing: KUBE_BENCH.crashingPerDeployment });
  writeFileSync(join(cluster.lab.runDir, CLUSTER_FILE), JSON.stringify({ kubeconfig: cluster.kubeconfig, context: cluster.context, server: cluster.server, runDir: cluster.lab.runDir, deployments, replicas, filled }));
  say(`kube-hold: ready BENCH_KUBE_CLUSTER=${cluster.lab.runDir} (pid ${process.pid}; ${deployments * replicas} pods ready after ${Math.round(filled.phases.ready / 1000)} s)`);
} catch (error) {
  console.error(error?.stack ?? error);
  await stop('populate failed');
}
setInterval(() => undefined, 60_000);
