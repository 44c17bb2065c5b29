// vitest globalSetup: ONE shared private dockerd with the demo stack `shop`, ONE shared private
// podman service, ONE shared Kubernetes control plane (lab/kube-engine.mjs) and ONE Prometheus +
// Alertmanager with its test exporter (lab/prometheus-engine.mjs), for the whole run. All four start at the same time. If any cannot start, setup throws and the run fails (never
// skips). vitest gives globalSetup no timeout, so a first run may build the Kubernetes binaries
// here (about 6 minutes, once per machine; start-kube.sh says so on stderr).
import type { TestProject } from 'vitest/node';
import { startPrivateDockerd, stopOnProcessExit, type PrivateDockerd } from '../../lab/docker-engine.mjs';
import { startKubeLab, stopKubeOnProcessExit, type KubeLab } from '../../lab/kube-engine.mjs';
import { startPrometheusLab, type PrometheusLab } from '../../lab/prometheus-engine.mjs';
import { startPrivatePodman, stopPodmanOnProcessExit, type PrivatePodman } from '../../lab/podman-engine.mjs';
import { startDemoStack } from '../../lab/stack.mjs';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const t0 = performance.now();
  const unhooks: Array<() => void> = [];
  const disposers: Array<() => Promise<void>> = [];
  const took: Record<string, number> = {};
  const timed = <T>(name: string, ready: Promise<T>): Promise<T> =>
    ready.then((value) => {
      took[name] = Math.round(performance.now() - t0);
      return value;
    });
  const dockerReady = timed(
    'docker',
    startPrivateDockerd().then(async (engine: PrivateDockerd) => {
      // Safety net: vitest exits after `teardownTimeout` even while a teardown is still running.
      unhooks.push(stopOnProcessExit(engine));
      disposers.push(() => engine.dispose());
      await startDemoStack(engine.dockerHost, { project: 'shop' });
      return engine;
    }),
  );
  const podmanReady = timed(
    'podman',
    startPrivatePodman().then((engine: PrivatePodman) => {
      unhooks.push(stopPodmanOnProcessExit(engine));
      disposers.push(() => engine.dispose());
      return engine;
    }),
  );
  const kubeReady = timed(
    'kube',
    startKubeLab({ onProgress: (text) => process.stderr.write(text.replace(/^(?=.)/gm, '[engine] ')) }).then((lab: KubeLab) => {
      unhooks.push(stopKubeOnProcessExit(lab));
      disposers.push(() => lab.dispose());
      return lab;
    }),
  );
  const prometheusReady = timed(
    'prometheus',
    startPrometheusLab().then((lab: PrometheusLab) => {
      // Its safety net (stop by pid if this process exits first) is installed by startPrometheusLab.
      disposers.push(() => lab.dispose());
      return lab;
    }),
  );
  const teardown = async (): Promise<void> => {
    await Promise.all(disposers.map((dispose) => dispose().catch(() => undefined)));
    for (const unhook of unhooks) unhook();
  };
  const [docker, podman, kube, prometheus] = await Promise.allSettled([dockerReady, podmanReady, kubeReady, prometheusReady]);
  if (docker.status === 'rejected' || podman.status === 'rejected' || kube.status === 'rejected' || prometheus.status === 'rejected') {
    await teardown();
    const reasons = [docker, podman, kube, prometheus].flatMap((result) => (result.status === 'rejected' ? [String(result.reason?.stack ?? result.reason)] : []));
    throw new Error(reasons.join('\n\n'));
  }
  project.provide('dockerHost', docker.value.dockerHost);
  project.provide('podmanHost', podman.value.podmanHost);
  project.provide('podmanDir', podman.value.dir);
  project.provide('kubeconfig', kube.value.kubeconfig);
  project.provide('kubeServer', kube.value.server);
  project.provide('kubeContexts', kube.value.contexts);
  project.provide('kubeRunDir', kube.value.runDir);
  project.provide('prometheusUrl', prometheus.value.prometheusUrl);
  project.provide('alertmanagerUrl', prometheus.value.alertmanagerUrl ?? '');
  project.provide('exporterUrl', prometheus.value.exporterUrl);
  if (process.env.OPSDECK_ENGINE_VERBOSE) {
    console.log(
      `[engine] private dockerd pid ${docker.value.pid()} at ${docker.value.dockerHost}, stack shop up (${took['docker']} ms); ` +
        `podman service pid ${podman.value.pid()} at ${podman.value.podmanHost} (${took['podman']} ms); ` +
        `kube-apiserver pid ${kube.value.pid()} at ${kube.value.server}, run directory ${kube.value.runDir} (${took['kube']} ms); ` +
        `prometheus pid ${prometheus.value.pids().prometheus} at ${prometheus.value.prometheusUrl}, alertmanager pid ${prometheus.value.pids().alertmanager} at ${prometheus.value.alertmanagerUrl} (${took['prometheus']} ms); ` +
        `${Math.round(performance.now() - t0)} ms`,
    );
  }
  return teardown;
}
