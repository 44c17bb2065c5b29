// Lets every bench file run on its own: `node test/bench/<bench>.mjs` starts a private engine,
// runs the bench and tears the engine down (BENCH_KEEP_ENGINE=1 keeps it, BENCH_ENGINE_DIR reuses one).
// A bench that brings its own engine (the Kubernetes ones) passes { dockerEngine: false }.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startEngine } from './engine.mjs';
import { disposeAllClusters } from './kube.mjs';
import { stopAllSessions } from './pty.mjs';
import { BUNDLE, say } from './util.mjs';

export function standalone(moduleUrl, run, { dockerEngine = true } = {}) {
  if (process.argv[1] !== fileURLToPath(moduleUrl)) return;
  main(run, dockerEngine).catch((e) => {
    console.error(e?.stack ?? e);
    process.exit(1);
  });
}

async function main(run, dockerEngine) {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run npm run build first`);
  let engine;
  installSignalCleanup(() => engine);
  if (!dockerEngine) return run(undefined);
  engine = await startEngine();
  try {
    await run(engine);
  } finally {
    await engine.dispose({ keep: process.env.BENCH_KEEP_ENGINE === '1' });
  }
}

/** On SIGINT/SIGTERM: tear the engine and the Kubernetes control planes down before exiting (once). */
export function installSignalCleanup(getEngine) {
  let busy = false;
  const onSignal = async (sig) => {
    if (busy) return;
    busy = true;
    say(`\n${sig}: cleaning up...`);
    try {
      await stopAllSessions();
      await disposeAllClusters();
      await getEngine()?.dispose({ keep: process.env.BENCH_KEEP_ENGINE === '1' });
    } finally {
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
