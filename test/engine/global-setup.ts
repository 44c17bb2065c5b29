// vitest globalSetup: ONE shared private dockerd for the whole run, with the demo stack `shop`.
// If the engine cannot start, setup throws and the run fails (never skips).
import type { TestProject } from 'vitest/node';
import { startPrivateDockerd, stopOnProcessExit, type PrivateDockerd } from './docker-engine';
import { startDemoStack } from './stack.mjs';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const t0 = performance.now();
  const engine: PrivateDockerd = await startPrivateDockerd();
  // Safety net: vitest exits after `teardownTimeout` even while a teardown is still running.
  const unhook = stopOnProcessExit(engine);
  try {
    await startDemoStack(engine.dockerHost, { project: 'shop' });
  } catch (err) {
    await engine.dispose().catch(() => undefined);
    unhook();
    throw err;
  }
  project.provide('dockerHost', engine.dockerHost);
  if (process.env.OPSDECK_ENGINE_VERBOSE) {
    console.log(
      `[engine] private dockerd pid ${engine.pid()} at ${engine.dockerHost}, stack shop up in ` +
        `${Math.round(performance.now() - t0)} ms`,
    );
  }
  return async () => {
    await engine.dispose();
    unhook();
  };
}
