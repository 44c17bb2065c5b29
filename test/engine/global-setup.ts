// vitest globalSetup: ONE shared private dockerd with the demo stack `shop`, and ONE shared private
// podman service, for the whole run. Both start at the same time. If either cannot start, setup
// throws and the run fails (never skips).
import type { TestProject } from 'vitest/node';
import { startPrivateDockerd, stopOnProcessExit, type PrivateDockerd } from '../../lab/docker-engine.mjs';
import { startPrivatePodman, stopPodmanOnProcessExit, type PrivatePodman } from '../../lab/podman-engine.mjs';
import { startDemoStack } from '../../lab/stack.mjs';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const t0 = performance.now();
  const unhooks: Array<() => void> = [];
  const disposers: Array<() => Promise<void>> = [];
  const dockerReady = startPrivateDockerd().then(async (engine: PrivateDockerd) => {
    // Safety net: vitest exits after `teardownTimeout` even while a teardown is still running.
    unhooks.push(stopOnProcessExit(engine));
    disposers.push(() => engine.dispose());
    await startDemoStack(engine.dockerHost, { project: 'shop' });
    return engine;
  });
  const podmanReady = startPrivatePodman().then((engine: PrivatePodman) => {
    unhooks.push(stopPodmanOnProcessExit(engine));
    disposers.push(() => engine.dispose());
    return engine;
  });
  const teardown = async (): Promise<void> => {
    await Promise.all(disposers.map((dispose) => dispose().catch(() => undefined)));
    for (const unhook of unhooks) unhook();
  };
  const [docker, podman] = await Promise.allSettled([dockerReady, podmanReady]);
  if (docker.status === 'rejected' || podman.status === 'rejected') {
    await teardown();
    const reasons = [docker, podman].flatMap((result) => (result.status === 'rejected' ? [String(result.reason?.stack ?? result.reason)] : []));
    throw new Error(reasons.join('\n\n'));
  }
  project.provide('dockerHost', docker.value.dockerHost);
  project.provide('podmanHost', podman.value.podmanHost);
  project.provide('podmanDir', podman.value.dir);
  if (process.env.OPSDECK_ENGINE_VERBOSE) {
    console.log(
      `[engine] private dockerd pid ${docker.value.pid()} at ${docker.value.dockerHost}, stack shop up; ` +
        `podman service pid ${podman.value.pid()} at ${podman.value.podmanHost}; ${Math.round(performance.now() - t0)} ms`,
    );
  }
  return teardown;
}
