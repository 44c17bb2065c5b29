import { NO_PENDING, type SliceModule } from '../slice-module';

export interface SessionSlice {
  readOnly: boolean;
  /** Actions are dry runs: they show the exact call and send nothing. */
  dryRun: boolean;
  /** Coarse wall clock (epoch ms) ticked by the runtime, so ages and uptimes move without per-row timers. */
  clock: number;
  clockTicked(now: number): void;
  /** Apply everything pending now (tests, headless snapshot, shutdown). */
  flush(): void;
  dispose(): void;
}

export const sessionSlice: SliceModule<SessionSlice, undefined> = {
  name: 'session',
  createPending: NO_PENDING,
  create: ({ set, options, now, flushNow, stopFlushing, requestFlush }) => ({
    readOnly: options.readOnly,
    dryRun: options.dryRun ?? false,
    clock: now(),
    clockTicked: (time) => {
      set({ clock: time });
      // What time alone changes (a pod pending too long, a restart leaving its window) is derived on the next flush.
      requestFlush();
    },
    flush: flushNow,
    dispose: stopFlushing,
  }),
};
