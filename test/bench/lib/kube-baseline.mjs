// The Kubernetes benchmark's baselines, each in a process of its own (its RSS is its own):
//
//   node kube-baseline.mjs raw KUBECONFIG CONTEXT NAMESPACE
//       the floor: one paginated list of the namespace's pods (limit=500, continue) over node's
//       https, as curl would fetch it; time to the last byte, and the JSON.parse time of the pages.
//   node --expose-gc kube-baseline.mjs informer KUBECONFIG CONTEXT NAMESPACE
//       what @kubernetes/client-node's own informer costs: makeInformer (ListWatch) on the
//       namespace's pods, time until start() resolved (list in the cache, watch open), RSS and heap.
//
// Prints one JSON line. The kubeconfig is read with client-node before any clock starts.
import https from 'node:https';
import { KubeConfig, CoreV1Api, makeInformer } from '@kubernetes/client-node';

const [mode, kubeconfig, context, namespace] = process.argv.slice(2);
const memory = () => {
  globalThis.gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
};

const config = new KubeConfig();
config.loadFromFile(kubeconfig);
config.setCurrentContext(context);
const server = config.getCurrentCluster().server;

async function getPage(path) {
  const options = { method: 'GET', headers: { Accept: 'application/json' } };
  await config.applyToHTTPSOptions(options);
  return new Promise((resolve, reject) => {
    const request = https.request(new URL(server + path), options, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        if (response.statusCode !== 200) reject(new Error(`GET ${path}: HTTP ${response.statusCode}`));
        else resolve(Buffer.concat(chunks));
      });
    });
    request.on('error', reject);
    request.end();
  });
}

async function raw() {
  const pages = [];
  const t0 = performance.now();
  let next = '';
  do {
    const page = await getPage(`/api/v1/namespaces/${namespace}/pods?limit=500${next ? `&continue=${encodeURIComponent(next)}` : ''}`);
    pages.push(page);
    // The continue token is near the start of the answer: read it without parsing the page.
    next = /"continue":"([^"]*)"/.exec(page.subarray(0, 2000).toString('utf8'))?.[1] ?? '';
  } while (next);
  const listMs = performance.now() - t0;
  const t1 = performance.now();
  const items = pages.reduce((sum, page) => sum + JSON.parse(page.toString('utf8')).items.length, 0);
  return { listMs, parseMs: performance.now() - t1, pages: pages.length, bytes: pages.reduce((sum, page) => sum + page.length, 0), items };
}

async function informer() {
  const before = memory();
  const api = config.makeApiClient(CoreV1Api);
  const t0 = performance.now();
  const pods = makeInformer(config, `/api/v1/namespaces/${namespace}/pods`, () => api.listNamespacedPod({ namespace }));
  let synced = false;
  pods.on('error', (error) => {
    if (synced) return; // stop() aborts the watch
    process.stderr.write(`informer error: ${error?.message ?? error}\n`);
    process.exit(1);
  });
  await pods.start();
  synced = true;
  const syncMs = performance.now() - t0;
  const items = pods.list(namespace).length;
  const after = memory();
  await pods.stop();
  return { syncMs, sinceProcessStartMs: performance.now(), items, before, after };
}

const result = mode === 'raw' ? await raw() : mode === 'informer' ? await informer() : undefined;
if (!result) throw new Error(`unknown mode ${mode} (raw, informer)`);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
