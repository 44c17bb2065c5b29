import { NO_PENDING, type SliceModule } from '../slice-module';

export interface SessionSlice {
  readOnly: boolean;
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
  create: ({ set, options, now, flushNow, stopFlushing }) => ({
    readOnly: options.readOnly,
    clock: now(),
    clockTicked: (time) => set({ clock: time }),
    flush: flushNow,
    dispose: stopFlushing,
  }),
};
