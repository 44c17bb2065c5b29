import { describe, expect, it } from 'vitest';
import { evaluateGates, type GateInput } from '../../src/domain/gates';
import { DEFAULT_THRESHOLDS } from '../../src/domain/thresholds';
import type { EngineStatus, GateResult } from '../../src/domain/types';
import { container, NOW } from '../views/fixtures';
import { deployment, kubeEngine, pod } from '../views/kubernetes-fixtures';

const MINUTE = 60_000;
const docker: EngineStatus = { id: 'local', kind: 'docker', label: 'local', endpoint: 'unix:///var/run/docker.sock', state: 'connected' };
const KUBERNETES_GATES = ['deployments-available', 'no-pod-crash-loop', 'no-pod-pending'];

function input(overrides: Partial<GateInput> = {}): GateInput {
  return { engines: [docker], instances: [container('api')], workloads: [], thresholds: DEFAULT_THRESHOLDS, ...overrides };
}

function gate(results: GateResult[], id: string): GateResult {
  const result = results.find((entry) => entry.id === id);
  if (!result) throw new Error(`no gate ${id} in ${results.map((entry) => entry.id).join(', ')}`);
  return result;
}

const api = deployment('prod', 'shop', 'api');
const worker = deployment('prod', 'shop', 'worker', { kind: 'statefulset', replicas: 2, availableReplicas: 1 });

describe('Kubernetes gates', () => {
  it('are not listed without a Kubernetes context: a Docker-only screen has no rows that can only pass', () => {
    const ids = evaluateGates(input(), NOW).map((result) => result.id);
    for (const id of KUBERNETES_GATES) expect(ids).not.toContain(id);
  });

  it('are unknown while no context is connected (its pods would be stale or missing)', () => {
    const results = evaluateGates(input({ engines: [docker, kubeEngine('prod', { state: 'connecting' })], workloads: [api] }), NOW);
    for (const id of KUBERNETES_GATES) expect(gate(results, id)).toMatchObject({ status: 'unknown', detail: 'no Kubernetes context connected' });
  });

  it('"Deployments available" passes when every Deployment and StatefulSet has its replicas available, and names those that do not', () => {
    const engines = [docker, kubeEngine('prod')];
    expect(gate(evaluateGates(input({ engines, workloads: [api] }), NOW), 'deployments-available')).toMatchObject({ status: 'pass', detail: '1 workload fully available' });
    const failing = gate(evaluateGates(input({ engines, workloads: [api, worker, deployment('prod', 'shop', 'cron', { replicas: 0 })] }), NOW), 'deployments-available');
    expect(failing).toMatchObject({ status: 'fail', title: 'Deployments available', detail: 'prod/shop/worker 1/2 available' });
  });

  it('"No pod crash-looping" fails on a crash-looping pod with its reason and restarts', () => {
    const engines = [kubeEngine('prod')];
    const crashing = pod(api, 'b', { phase: 'crash-loop', state: 'CrashLoopBackOff', reason: 'OOMKilled', restartCount: 7 });
    expect(gate(evaluateGates(input({ engines, instances: [pod(api, 'a')] }), NOW), 'no-pod-crash-loop')).toMatchObject({ status: 'pass', detail: '1 pod, none crash-looping' });
    expect(gate(evaluateGates(input({ engines, instances: [pod(api, 'a'), crashing] }), NOW), 'no-pod-crash-loop')).toMatchObject({
      status: 'fail',
      detail: 'api-7d9f8-b CrashLoopBackOff OOMKilled (7 restarts)',
    });
  });

  it('"No pod pending" fails once a pod waits longer than the threshold, with the scheduler\'s message', () => {
    const engines = [kubeEngine('prod')];
    const pending = pod(api, 'c', { phase: 'pending', state: 'Pending', message: '0/1 nodes are available: 1 Insufficient memory.', createdAt: NOW - 6 * MINUTE });
    const fresh = gate(evaluateGates(input({ engines, instances: [pending], pendingThresholdMs: 10 * MINUTE }), NOW), 'no-pod-pending');
    expect(fresh).toMatchObject({ status: 'pass', title: 'No pod pending > 10m', detail: '1 pending for less than 10m' });
    const stuck = gate(evaluateGates(input({ engines, instances: [pending] }), NOW), 'no-pod-pending');
    expect(stuck).toMatchObject({ status: 'fail', title: 'No pod pending > 5m', detail: 'api-7d9f8-c pending 6m: 0/1 nodes are available: 1 Insufficient memory.' });
    // The same pod, later: time alone fails the gate.
    expect(gate(evaluateGates(input({ engines, instances: [pending], pendingThresholdMs: 10 * MINUTE }), NOW + 5 * MINUTE), 'no-pod-pending').status).toBe('fail');
  });
});
