// Pod logs, exec and top against a PROTOCOL-LEVEL test server over real HTTP and a real
// WebSocket (test/support/kube-protocol-server.ts): the test control plane has no kubelet, so
// these cannot work there. Driven through the action executor and the Kubernetes adapter, so
// the whole action path (describe, read-only, output streaming, abort) is the real one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubernetesEngineAdapter } from '../../src/adapters/kubernetes/kubernetes-adapter';
import type { EngineAction } from '../../src/domain/engine-action';
import { createActionExecutor } from '../../src/runtime/action-executor';
import { startKubeProtocolServer, type KubeProtocolServer, type ProtocolLogLine } from '../support/kube-protocol-server';
import { createTestStore } from '../support/test-store';
import { waitFor } from '../support/wait-for';

let server: KubeProtocolServer;

function at(secondsAgo: number, nanos = '000000000'): string {
  return `${new Date(Math.floor(Date.now() / 1000 - secondsAgo) * 1000).toISOString().replace('.000Z', '')}.${nanos}Z`;
}

function adapterFor(readOnly: boolean): KubernetesEngineAdapter {
  return new KubernetesEngineAdapter({ engineId: 'protocol', label: 'protocol', kubeconfig: [server.kubeconfigPath], context: 'protocol', readOnly, sink: createTestStore().getState() });
}

function executorFor(adapter: KubernetesEngineAdapter, readOnly = false) {
  return createActionExecutor({ adapterFor: (engineId) => (engineId === 'protocol' ? adapter : undefined), readOnly });
}

const pod = { engineId: 'protocol', kind: 'pod' as const, namespace: 'shop', name: 'api-7d9f-abcde' };

beforeAll(async () => {
  server = await startKubeProtocolServer();
  const lines = (container: string, count: number, secondsAgo: (index: number) => number): ProtocolLogLine[] =>
    Array.from({ length: count }, (_, index) => ({ time: at(secondsAgo(index)), text: `${container} line ${index}` }));
  server.addPod({
    namespace: 'shop',
    name: pod.name,
    uid: 'uid-api',
    containers: [{ name: 'sidecar' }, { name: 'api', memoryLimit: '256Mi' }, { name: 'other' }],
    annotations: { 'kubectl.kubernetes.io/default-container': 'api' },
    logs: {
      // Lines an hour old, then the last ten minutes.
      api: [...lines('api', 3, () => 3600), ...lines('api', 5, (index) => 600 - index), { time: at(1), text: 'ERROR \u001b]0;owned\u0007title \u001b[2Jcleared' }],
      sidecar: lines('sidecar', 2, () => 5),
      other: [],
    },
    previousLogs: { api: [{ time: at(900), text: 'panic: out of memory (the container before the restart)' }] },
    exec: (argv, container) => {
      if (argv[0] === 'sleep') return { hang: true, stdout: ['started'] };
      if (argv[0] === 'missing') return { failure: { reason: 'InternalError', message: 'exec: "missing": executable file not found in $PATH' } };
      if (argv[0] === 'fail') return { stdout: ['half done'], stderr: ['\u001b[31mdisk full\u001b[0m'], exitCode: 3 };
      return { stdout: [`ran ${JSON.stringify(argv)} in ${container}`, 'second line'], stderr: ['a warning'] };
    },
    usage: { sidecar: { cpu: '1500000n', memory: '10Mi' }, api: { cpu: '250m', memory: '128974848' }, other: { cpu: '0', memory: '1Mi' } },
  });
  server.addPod({ namespace: 'shop', name: 'locked', uid: 'uid-locked', containers: [{ name: 'app' }], logs: { app: [] }, forbidExec: true });
});

afterAll(async () => {
  await server?.close();
});

describe('pod logs through the protocol-level server (no kubelet on the test control plane)', () => {
  it('reads the default container of the annotation, since and tail as asked, sanitised, and the previous container', async () => {
    const adapter = adapterFor(false);
    const executor = executorFor(adapter);
    const streamed: string[] = [];
    const recent = await executor.execute({ verb: 'logs', target: pod, sinceSeconds: 900 }, { onOutput: (_stream, text) => streamed.push(text) });
    expect(recent.status).toBe('done');
    const text = recent.output?.stdout ?? '';
    expect(text.split('\n')).toEqual(['api line 0', 'api line 1', 'api line 2', 'api line 3', 'api line 4', 'ERROR title cleared']);
    expect(text).not.toContain('\u001b');
    expect(streamed).toEqual(text.split('\n'));
    const logRequest = server.requests.filter((request) => request.path.endsWith('/log')).at(-1);
    expect(logRequest?.query.get('container')).toBe('api');
    expect(logRequest?.query.get('sinceSeconds')).toBe('900');

    const tail = await executor.execute({ verb: 'logs', target: pod, tail: 2, container: 'sidecar' });
    expect(tail.output?.stdout).toBe('sidecar line 0\nsidecar line 1');
    const previous = await executor.execute({ verb: 'logs', target: pod, previous: true });
    expect(previous.output?.stdout).toBe('panic: out of memory (the container before the restart)');
    // The other containers have no previous one: the server's sentence, not a stack.
    const noPrevious = await executor.execute({ verb: 'logs', target: pod, previous: true, container: 'sidecar' });
    expect(noPrevious.status).toBe('failed');
    expect(noPrevious.error).toBe('previous terminated container "sidecar" in pod "api-7d9f-abcde" not found');
    const unknown = await executor.execute({ verb: 'logs', target: pod, container: 'db' });
    expect(unknown.error).toBe('pod/api-7d9f-abcde has no container "db" (containers: sidecar, api, other)');
    expect(executor.describe({ verb: 'logs', target: pod, tail: 2 })).toEqual({
      type: 'http',
      method: 'GET',
      path: '/api/v1/namespaces/shop/pods/api-7d9f-abcde',
      then: { type: 'http', method: 'GET', path: '/api/v1/namespaces/shop/pods/api-7d9f-abcde/log?container={default container}&tailLines=2' },
    });
    await adapter.stop();
  });

  it('keeps the newest MiB of a long log and says how much was left out', async () => {
    const big = Array.from({ length: 3000 }, (_, index) => ({ time: at(10), text: `${String(index).padStart(4, '0')} ${'y'.repeat(1018)}` }));
    server.addPod({ namespace: 'shop', name: 'chatty', uid: 'uid-chatty', containers: [{ name: 'app' }], logs: { app: big } });
    const adapter = adapterFor(false);
    const result = await executorFor(adapter).execute({ verb: 'logs', target: { ...pod, name: 'chatty' } });
    const lines = (result.output?.stdout ?? '').split('\n');
    expect(lines[0]).toBe('[output truncated: 1976 earlier line(s) left out, 1 MiB kept]');
    expect(lines.at(-1)?.startsWith('2999 ')).toBe(true);
    await adapter.stop();
  });
});

describe('pod exec over the WebSocket channel protocol (protocol-level server, no kubelet on the test control plane)', () => {
  it('streams stdout and stderr lines, takes the exit code from the Status channel, and runs in the container asked', async () => {
    const adapter = adapterFor(false);
    const executor = executorFor(adapter);
    const streamed: string[] = [];
    const action: EngineAction = { verb: 'exec', target: pod, argv: ['cat', '/etc/hostname'], env: { MODE: 'check' }, mutates: false, container: 'sidecar' };
    const result = await executor.execute(action, { onOutput: (stream, text) => streamed.push(`${stream}: ${text}`) });
    expect(result.status).toBe('done');
    expect(result.output).toEqual({
      exitCode: 0,
      stdout: 'ran ["env","MODE=check","cat","/etc/hostname"] in sidecar\nsecond line',
      stderr: 'a warning',
    });
    expect(streamed).toContain('stdout: second line');
    expect(streamed).toContain('stderr: a warning');
    const failing = await executor.execute({ verb: 'exec', target: pod, argv: ['fail'], mutates: false });
    expect(failing.output).toEqual({ exitCode: 3, stdout: 'half done', stderr: 'disk full' });
    // The default container (annotation) when none is asked.
    expect(server.requests.filter((request) => request.path.endsWith('/exec')).at(-1)?.query.get('container')).toBe('api');
    await adapter.stop();
  });

  it('fails with the Status message when the command cannot run, and with the forbidden sentence on a 403', async () => {
    const adapter = adapterFor(false);
    const executor = executorFor(adapter);
    const missing = await executor.execute({ verb: 'exec', target: pod, argv: ['missing'], mutates: false });
    expect(missing.status).toBe('failed');
    expect(missing.error).toBe('exec in pod/api-7d9f-abcde: exec: "missing": executable file not found in $PATH');
    const locked = await executor.execute({ verb: 'exec', target: { ...pod, name: 'locked' }, argv: ['id'], mutates: false });
    expect(locked.error).toBe('forbidden: user "tester" cannot create pods/exec in namespace "shop"');
    await adapter.stop();
  });

  it('closes the socket when aborted, and refuses a mutating exec in read-only mode before any request', async () => {
    const adapter = adapterFor(false);
    const executor = executorFor(adapter);
    const closedBefore = server.closedExecSockets();
    const controller = new AbortController();
    const lines: string[] = [];
    const running = executor.execute({ verb: 'exec', target: pod, argv: ['sleep', '3600'], mutates: false }, {
      signal: controller.signal,
      onOutput: (_stream, text) => lines.push(text),
    });
    await waitFor('the first line of the running command', () => lines.includes('started'));
    controller.abort();
    const result = await running;
    expect(result.status).toBe('failed');
    expect(result.error).toBe('exec api-7d9f-abcde was cancelled');
    await waitFor('the server to see the socket closed', () => server.closedExecSockets() > closedBefore);
    await adapter.stop();

    const readOnly = adapterFor(true);
    const requestsBefore = server.requests.length;
    const refused = await executorFor(readOnly, false).execute({ verb: 'exec', target: pod, argv: ['rm', '-rf', '/data'], mutates: true });
    expect(refused.status).toBe('refused');
    expect(refused.error).toBe('read-only mode: refused to exec api-7d9f-abcde');
    // The adapter refuses by itself too (a caller that skips the executor).
    await expect(readOnly.execInInstance(pod, { argv: ['rm', '-rf', '/data'], mutates: true })).rejects.toThrow('read-only mode: refused to exec api-7d9f-abcde');
    expect(server.requests.length).toBe(requestsBefore);
    await readOnly.stop();
  });
});

describe('kubectl top through the protocol-level server (no metrics-server on the test control plane)', () => {
  it('sums the containers of a pod from metrics.k8s.io, with the memory limit only when every container has one', async () => {
    server.addPod({
      namespace: 'shop',
      name: 'limited',
      uid: 'uid-limited',
      containers: [{ name: 'app', memoryLimit: '512Mi' }],
      logs: {},
      usage: { app: { cpu: '1', memory: '1Gi' } },
    });
    const adapter = adapterFor(false);
    const executor = executorFor(adapter);
    const usage = await executor.execute({ verb: 'top', target: pod });
    expect(usage.output?.usage).toEqual([
      {
        pod: 'api-7d9f-abcde',
        namespace: 'shop',
        cpuMillicores: 252,
        memoryBytes: 10 * 2 ** 20 + 128974848 + 2 ** 20,
        containers: [
          { name: 'sidecar', cpuMillicores: 2, memoryBytes: 10 * 2 ** 20 },
          { name: 'api', cpuMillicores: 250, memoryBytes: 128974848 },
          { name: 'other', cpuMillicores: 0, memoryBytes: 2 ** 20 },
        ],
      },
    ]);
    const limited = await executor.execute({ verb: 'top', target: { ...pod, name: 'limited' } });
    expect(limited.output?.usage?.[0]).toMatchObject({ cpuMillicores: 1000, memoryBytes: 2 ** 30, memoryLimitBytes: 512 * 2 ** 20 });
    const unmeasured = await executor.execute({ verb: 'top', target: { ...pod, name: 'locked' } });
    expect(unmeasured.error).toBe('no usage figures for pod/locked yet (metrics-server has not measured it)');
    await adapter.stop();
  });
});

describe('read-only mode (protocol-level server, which records every request)', () => {
  it('refuses every Kubernetes mutation in the adapter before a request is made, dry run or not', async () => {
    const readOnly = adapterFor(true);
    const workload = { engineId: 'protocol', kind: 'deployment' as const, namespace: 'shop', name: 'api' };
    const requestsBefore = server.requests.length;
    const attempts: [string, () => Promise<unknown>][] = [
      ['rollout-restart', () => readOnly.restartRollout(workload)],
      ['rollout-undo', () => readOnly.undoRollout(workload, undefined, { dryRun: true })],
      ['scale', () => readOnly.scaleWorkload(workload, 3)],
      ['set-resources', () => readOnly.setResources(workload, { limits: { memory: '1Gi' } })],
      ['set-env', () => readOnly.setEnv(workload, { env: { MODE: 'x' } }, { dryRun: true })],
      ['delete', () => readOnly.deleteInstance(pod, 0)],
    ];
    for (const [verb, attempt] of attempts) await expect(attempt(), verb).rejects.toThrow(`read-only mode: refused to ${verb} `);
    expect(await readOnly.reviewAccess({ verb: 'scale', target: workload, replicas: 3 })).toEqual({ allowed: false, reason: 'read-only mode: refused to scale api' });
    expect(server.requests.length).toBe(requestsBefore);
    // Reads still work.
    expect((await readOnly.inspectInstance(pod)).status).toBe('Running');
    await readOnly.stop();
  });
});
