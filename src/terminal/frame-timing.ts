// A debug log of where a frame's time goes, off unless OPSDECK_FRAME_TIMING names a file: one
// line per event, `<ms since start> <event> <duration ms> <process CPU ms so far> [detail]`
// (the CPU figure tells a slow phase from a descheduled one on a loaded machine), after a first
// line `origin <monotonic µs>` (to line the log up with a --cpu-prof profile); written when the
// cockpit exits. Events: `key` (bytes arrived on stdin), `layout` (Ink's Yoga pass after a React commit,
// timed by a bundle patch through globalThis.__opsdeckFrameTiming), `output` (Ink's frame built
// from the laid-out tree), `write` (bytes handed to the terminal), `gc` (a pause and its kind).
// What happened between a key and the next write is then read off the log (the React render is
// the time from the key to the layout after it). Nothing is recorded when the variable is unset.
import { writeFileSync } from 'node:fs';
import { PerformanceObserver, performance } from 'node:perf_hooks';

export type FrameTimingEvent = 'key' | 'layout' | 'output' | 'write' | 'gc';

export interface FrameTiming {
  /** Records an event that started at `start` (performance.now()) and ends now. */
  record(event: FrameTimingEvent, start: number, detail?: string | number): void;
  /** Writes the log and stops listening. */
  stop(): void;
}

declare global {
  var __opsdeckFrameTiming: ((event: FrameTimingEvent, start: number) => void) | undefined;
}

const GC_KINDS: Record<number, string> = { 1: 'scavenge', 2: 'mark-compact', 4: 'incremental', 8: 'weak-callbacks', 16: 'all' };

/** Starts the log when `env.OPSDECK_FRAME_TIMING` is set; undefined otherwise. */
export function startFrameTiming(
  env: NodeJS.ProcessEnv,
  streams: { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream },
): FrameTiming | undefined {
  const path = env.OPSDECK_FRAME_TIMING;
  if (!path) return undefined;
  const lines: string[] = [];
  const origin = performance.now();
  const monotonicOrigin = Number(process.hrtime.bigint() / 1000n);
  const cpuMs = (): string => {
    const usage = process.cpuUsage();
    return ((usage.user + usage.system) / 1000).toFixed(1);
  };
  const record = (event: FrameTimingEvent, start: number, detail?: string | number): void => {
    const end = performance.now();
    lines.push(`${(start - origin).toFixed(2)} ${event} ${(end - start).toFixed(2)} ${cpuMs()}${detail === undefined ? '' : ` ${detail}`}`);
  };
  globalThis.__opsdeckFrameTiming = record;
  const onReadable = (): void => record('key', performance.now());
  streams.stdin.prependListener('readable', onReadable);
  const write = streams.stdout.write;
  streams.stdout.write = function timedWrite(this: NodeJS.WriteStream, ...args: Parameters<typeof write>) {
    const start = performance.now();
    const result = write.apply(this, args);
    const chunk = args[0];
    record('write', start, typeof chunk === 'string' ? Buffer.byteLength(chunk) : (chunk as Uint8Array).length);
    return result;
  } as typeof write;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0;
      lines.push(`${(entry.startTime - origin).toFixed(2)} gc ${entry.duration.toFixed(2)} ${cpuMs()} ${GC_KINDS[kind] ?? kind}`);
    }
  });
  gc.observe({ entryTypes: ['gc'] });
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    gc.disconnect();
    process.off('exit', stop);
    streams.stdin.off('readable', onReadable);
    streams.stdout.write = write;
    globalThis.__opsdeckFrameTiming = undefined;
    lines.sort((left, right) => Number.parseFloat(left) - Number.parseFloat(right));
    writeFileSync(path, `origin ${monotonicOrigin}\n${lines.join('\n')}\n`);
  };
  // A signal ends the cockpit through process.exit: the log is written then too.
  process.on('exit', stop);
  return { record, stop };
}
