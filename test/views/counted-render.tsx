// The cockpit rendered inside React's Profiler, counting commits: how a test tells that a store
// change (a clock tick, a host sample) re-rendered nothing, or something.
import { render } from 'ink-testing-library';
import { Profiler } from 'react';
import type { OpsdeckStore } from '../../src/store/create-opsdeck-store';
import { App } from '../../views/App';
import { recordingExecutor, waitForFrame } from './fixtures';

export interface CountedRender {
  counter: { commits: number };
  lastFrame(): string | undefined;
  waitFor(predicate: (frame: string) => boolean): Promise<string>;
  unmount(): void;
}

/** Renders App at 120x40 inside a Profiler whose commits `counter` counts. */
export function renderCounted(store: OpsdeckStore): CountedRender {
  const { executor } = recordingExecutor(store);
  const counter = { commits: 0 };
  const element = (
    <Profiler id="app" onRender={() => (counter.commits += 1)}>
      <App store={store} executor={executor} width={120} height={40} />
    </Profiler>
  );
  const app = render(element);
  Object.defineProperty(app.stdout, 'columns', { configurable: true, get: () => 120 });
  app.rerender(element);
  return { counter, lastFrame: app.lastFrame, waitFor: (predicate) => waitForFrame(app.lastFrame, predicate), unmount: app.unmount };
}
