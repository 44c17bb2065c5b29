import type { OpsdeckConfig } from '../config/schema';
import { firstEngineAnswer } from '../runtime/engines-answered';
import { createRuntime } from '../runtime/runtime';

/** How long the first frame waits for an engine's first answer once the views are loaded. */
const FIRST_FRAME_WAIT_MS = 100;

export interface CockpitOptions {
  config: OpsdeckConfig;
  readOnly: boolean;
  dryRun: boolean;
  ascii: boolean;
  color: boolean;
  /** --playbooks DIR. */
  playbooks?: readonly string[];
}

/** Opens the full-screen cockpit and resolves with the exit code once the operator quits. */
export async function runCockpit(options: CockpitOptions): Promise<number> {
  const { stdout, stdin, stderr } = process;
  if (!stdout.isTTY || !stdin.isTTY) {
    stderr.write('opsdeck: the cockpit needs an interactive terminal; use `opsdeck status` in scripts\n');
    return 2;
  }
  // Ink writes nothing but the last frame when it believes it runs in CI (is-in-ci reads these
  // when ink loads). On a real terminal the cockpit is interactive by definition.
  for (const name of Object.keys(process.env)) {
    if (name === 'CI' || name === 'CONTINUOUS_INTEGRATION' || name.startsWith('CI_')) delete process.env[name];
  }
  // Start the engines first: their requests are in flight while Ink, the views and the terminal
  // code load (the cell writer's width tables, regular expressions and segmenters take ~20 ms to
  // set up, which went before a Kubernetes engine's first list request when imported statically).
  // The playbooks, gate checks and incident mode are compiled after the first frame (their
  // stand-ins take every key and command until then: src/runtime/deferred-services.ts).
  let firstFrameDrawn: () => void = () => undefined;
  const servicesAfter = new Promise<void>((resolve) => (firstFrameDrawn = resolve));
  const runtime = createRuntime({ config: options.config, readOnly: options.readOnly, dryRun: options.dryRun, playbookDirectories: options.playbooks ?? [], servicesAfter });
  runtime.start();
  const [{ render }, { App }, { incrementalRenderingFor }, { startFrameTiming }, { enterTerminalSession }] = await Promise.all([
    import('ink'),
    import('../../views/App'),
    import('../terminal/cell-log-update'),
    import('../terminal/frame-timing'),
    import('./terminal-session'),
  ]);
  // The engines' lists usually come while Ink loads: the first frame then shows them, instead of
  // a 'connecting' frame whose render keeps the answer waiting (a slow engine: 'connecting' after the cap).
  await firstEngineAnswer(runtime.store, FIRST_FRAME_WAIT_MS);
  let unmount: (() => void) | undefined;
  const session = enterTerminalSession({
    stdout,
    stdin,
    onAbort: () => {
      unmount?.();
      void runtime.stop();
    },
  });
  // OPSDECK_FRAME_TIMING=file: a debug log of each frame's phases (src/terminal/frame-timing.ts).
  const timing = startFrameTiming(process.env, { stdin, stdout });
  try {
    const instance = render(
      <App store={runtime.store} executor={runtime.executor} playbooks={runtime.playbooks} incidents={runtime.incidents} gates={runtime.gates} clipboard={session.clipboard} ascii={options.ascii} color={options.color} />,
      {
        // Sends only the cells that changed (src/terminal/cell-log-update.ts, wired into Ink's
        // log-update by the bundle patch, which takes 'cells' here). OPSDECK_LINE_REDRAW=1 (Ink's
        // changed lines) and OPSDECK_FULL_REDRAW=1 (every frame whole) are the benchmark's baselines.
        incrementalRendering: incrementalRenderingFor(process.env) as boolean,
        // Ink throttles frames to maxFps: at 30 a key pressed just after a background frame
        // waited up to 33 ms for its own. Adapter updates are coalesced to 5/s anyway.
        maxFps: 60,
        ...(timing ? { onRender: ({ renderTime }: { renderTime: number }) => timing.record('output', performance.now() - renderTime) } : {}),
        exitOnCtrlC: false,
        patchConsole: true,
        stdout,
        stdin,
        stderr,
      },
    );
    unmount = () => instance.unmount();
    // render() wrote the first frame; the services load on a later turn, after its output is flushed.
    setImmediate(firstFrameDrawn);
    await instance.waitUntilExit();
    return 0;
  } finally {
    firstFrameDrawn();
    timing?.stop();
    await runtime.stop();
    session.restore();
  }
}
