// A tiny Chrome DevTools Protocol client for the cockpit under test, started with
// BENCH_NODE_FLAGS="--inspect=127.0.0.1:PORT" and BENCH_INSPECT_PORT=PORT: it reads the cockpit's
// own memory figures (process.memoryUsage) without changing the program.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export async function connectInspector(port) {
  const WebSocket = require('ws');
  const list = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const url = list[0]?.webSocketDebuggerUrl;
  if (!url) throw new Error(`no inspector target on 127.0.0.1:${port}`);
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  let nextId = 1;
  const waiting = new Map();
  let snapshotChunks;
  socket.on('message', (data) => {
    const message = JSON.parse(String(data));
    if (message.method === 'HeapProfiler.addHeapSnapshotChunk') snapshotChunks?.push(message.params.chunk);
    const entry = waiting.get(message.id);
    if (!entry) return;
    waiting.delete(message.id);
    if (message.error) entry.reject(new Error(message.error.message));
    else entry.resolve(message.result);
  });
  const call = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      socket.send(JSON.stringify({ id, method, params }));
    });
  // includeCommandLineAPI gives the expression the inspector console's require().
  const evaluate = async (expression) => {
    const result = await call('Runtime.evaluate', { expression, returnByValue: true, includeCommandLineAPI: true });
    if (result.exceptionDetails) throw new Error(result.exceptionDetails.text);
    return result.result.value;
  };
  return {
    call,
    evaluate,
    /** rss, heapTotal, heapUsed, external, arrayBuffers in bytes. */
    memory: () => evaluate('process.memoryUsage()'),
    /** Used bytes of each V8 heap space with size > 1 MB, as "old 30.1/41.0". */
    spaces: () =>
      evaluate(
        "require('v8').getHeapSpaceStatistics().filter((s) => s.space_size > 1048576).map((s) => `${s.space_name.replace('_space', '')} ${(s.space_used_size / 1048576).toFixed(1)}/${(s.space_size / 1048576).toFixed(1)}`).join(', ')",
      ),
    /** A heap snapshot of the cockpit (taken after a full GC), written to `path`. */
    heapSnapshot: async (path) => {
      snapshotChunks = [];
      await call('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      writeFileSync(path, snapshotChunks.join(''));
      snapshotChunks = undefined;
    },
    close: () => socket.close(),
  };
}
