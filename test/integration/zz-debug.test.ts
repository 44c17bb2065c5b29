import { it } from 'vitest';
import { kubeConnection } from '../support/kube-interim';
import { startApiFront } from '../support/kube-api-front';
import { connectKube } from '../../src/adapters/kubernetes/kube-connection';
it('debug direct', async () => {
  const admin = await kubeConnection();
  const c = new AbortController();
  const p = admin.stream({ path: '/api/v1/namespaces/default/pods?watch=1&timeoutSeconds=30', signal: c.signal }, () => {});
  await new Promise((r) => setTimeout(r, 300));
  c.abort();
  await p.catch((e) => console.log('rejected', e.name));
  await new Promise((r) => setTimeout(r, 300));
});
it('debug front', async () => {
  const front = await startApiFront(await kubeConnection());
  const conn = await connectKube({ kubeconfig: [front.kubeconfig], context: 'front' });
  const c = new AbortController();
  const p = conn.stream({ path: '/api/v1/namespaces/default/pods?watch=1&timeoutSeconds=30', signal: c.signal }, () => {});
  await new Promise((r) => setTimeout(r, 300));
  c.abort();
  await p.catch((e) => console.log('rejected', e.name));
  await new Promise((r) => setTimeout(r, 300));
  await front.close();
});
