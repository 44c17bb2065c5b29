import { render } from 'ink-testing-library';
import type { EngineAdapter } from '../../src/adapters/capabilities';
import type { ActionExecutor } from '../../src/domain/engine-action';
import type { PlaybookService } from '../../src/playbooks/run-types';
import type { OpsdeckStore } from '../../src/store/create-opsdeck-store';
import { App, type AppProps } from '../../views/App';
import { nextTick, recordingExecutor, type RecordingAdapter, waitForFrame } from './fixtures';

export interface RenderedApp extends ReturnType<typeof render> {
  store: OpsdeckStore;
  /** What the real executor asked the engine to do. */
  adapter: RecordingAdapter;
  /** The real action executor the app runs its actions through. */
  executor: ActionExecutor;
  /** Writes keys one by one (each is one keypress for Ink), giving Ink a tick between them. */
  press(...keys: string[]): Promise<void>;
  /** Waits until the last frame satisfies the predicate and returns it. */
  waitFor(predicate: (frame: string) => boolean, timeoutMs?: number): Promise<string>;
  /** The last frame (never undefined). */
  frame(): string;
}

/**
 * Renders the App with ink-testing-library at width x height. ink-testing-library's stdout
 * reports 100 columns, and Ink sizes its output grid from that: a 120-column frame would
 * come out with the right border pulled in. The fake stdout is given the real width and
 * the App rendered again before anything is asserted.
 */
export async function renderApp(
  store: OpsdeckStore,
  props: Partial<Omit<AppProps, 'store' | 'executor'>> & {
    /** Builds the playbook service over the app's own executor (a real runner whose restarts the adapter records). */
    playbooksFor?: (executor: ActionExecutor) => PlaybookService;
    /** More engines' adapters beside the recording Docker one (a recording Kubernetes adapter). */
    adapters?: readonly EngineAdapter[];
  } = {},
): Promise<RenderedApp> {
  const { playbooksFor, adapters, ...appProps } = props;
  const { executor, adapter } = recordingExecutor(store, adapters);
  if (playbooksFor) appProps.playbooks = playbooksFor(executor);
  const width = appProps.width ?? 120;
  const height = appProps.height ?? 40;
  const element = <App store={store} executor={executor} {...appProps} width={width} height={height} />;
  const app = render(element);
  Object.defineProperty(app.stdout, 'columns', { configurable: true, get: () => width });
  app.rerender(element);
  // useInput subscribes in an effect: wait a tick before the first key.
  await nextTick();
  const frame = (): string => app.lastFrame() ?? '';
  return {
    ...app,
    store,
    adapter,
    executor,
    frame,
    waitFor: (predicate, timeoutMs) => waitForFrame(app.lastFrame, predicate, timeoutMs),
    async press(...keys: string[]) {
      for (const key of keys) {
        app.stdin.write(key);
        await nextTick();
      }
    },
  };
}
