// The playbook verbs on the real engines, through the one action executor: what a step sees
// (exit codes, both streams, logs, inspect, stats, archives) and what the engine saw (its event
// stream: nothing for a refused or dry-run mutation).
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DockerEngineAdapter } from '../../src/adapters/docker/docker-adapter';
import { describeCall, type EngineAction } from '../../src/domain/engine-action';
import type { Instance } from '../../src/domain/types';
import { createActionExecutor } from '../../src/runtime/action-executor';
import type { OpsdeckStore } from '../../src/store/create-opsdeck-store';
import { docker } from '../../lab/docker-engine.mjs';
import { podman } from '../../lab/podman-engine.mjs';
import { IMAGE, LABEL_PROJECT, LABEL_SERVICE } from '../../lab/stack.mjs';
import { instanceWithUid } from '../support/domain-fixtures';
import { createTestStore } from '../support/test-store';
import { waitFor } from '../support/wait-for';

const dockerHost = inject('dockerHost');
const podmanHost = inject('podmanHost');
const podmanDir = inject('podmanDir');

const PROBE_SH = [
  'mkdir -p /data/sub',
  'echo alpha > /data/a.txt',
  'echo beta > /data/sub/b.txt',
  'echo "early-out"',
  'echo "early-err" >&2',
  'sleep 6',
  'printf "\\033]0;pwned\\007late-title\\n"',
  'echo "late-err" >&2',
  'exec sleep 2147483647',
].join('; ');

function adapterOn(store: OpsdeckStore, options: { engineId: string; host: string; kind?: 'docker' | 'podman'; readOnly?: boolean }): DockerEngineAdapter {
  const adapter = new DockerEngineAdapter({
    engineId: options.engineId,
    label: options.engineId,
    host: options.host,
    readOnly: options.readOnly ?? false,
    sink: store.getState(),
    logs: { backfillMs: 3_600_000, maxLineBytes: 4096 },
    ...(options.kind ? { kind: options.kind } : {}),
  });
  adapter.start();
  return adapter;
}

/** Actions of the engine's events for one container since a time (epoch ms), e.g. "exec_create: cat /x". */
async function eventsOf(id: string, sinceMs: number): Promise<string[]> {
  const seconds = (ms: number): string => (ms / 1000).toFixed(3);
  const result = await docker(dockerHost, [
    'events', '--since', seconds(sinceMs), '--until', seconds(Date.now() + 1000), '--filter', `container=${id}`, '--format', '{{.Action}}',
  ]);
  return result.stdout.split('\n').filter(Boolean);
}

async function inspectField(id: string, template: string): Promise<string> {
  return (await docker(dockerHost, ['inspect', '-f', template, id])).stdout.trim();
}

async function sha256Of(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex');
}

/** The entries of a .tar.gz (`tar -tzf`), directories without their trailing slash (Podman's tar has none). */
async function tarListing(file: string): Promise<string[]> {
  return (await execa('tar', ['-tzf', file])).stdout.split('\n').filter(Boolean).map((entry) => entry.replace(/\/$/, '')).sort();
}

async function runProbe(name: string, options: string[], command: string): Promise<string> {
  await docker(dockerHost, ['rm', '-f', name], { reject: false });
  const result = await docker(dockerHost, [
    'run', '-d', '--name', name, '--network', 'none', ...options,
    '--label', `${LABEL_PROJECT}=probe`, '--label', `${LABEL_SERVICE}=${name}`, IMAGE, 'sh', '-c', command,
  ]);
  return result.stdout.trim();
}

describe('container operations on Docker', () => {
  let store: OpsdeckStore;
  let adapter: DockerEngineAdapter;
  let readOnlyAdapter: DockerEngineAdapter;
  let directory: string;
  let probeId: string;
  let probe: Instance;
  const executor = () => createActionExecutor({ store, adapterFor: (engineId) => (engineId === 'local' ? adapter : undefined), readOnly: false });

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'opsdeck-operations-'));
    probeId = await runProbe('probe-ops-1', [
      '--memory', '64m', '-e', 'DB_PASSWORD=hunter2', '-e', 'GREETING=hello', '--label', 'api.token=abc123', '--label', 'team=payments',
    ], PROBE_SH);
    store = createTestStore();
    adapter = adapterOn(store, { engineId: 'local', host: dockerHost });
    const readOnlyStore = createTestStore({ readOnly: true });
    readOnlyAdapter = adapterOn(readOnlyStore, { engineId: 'local', host: dockerHost, readOnly: true });
    probe = await waitFor('probe known', () => instanceWithUid(store.getState().instances, probeId));
    await waitFor('read-only adapter knows the probe', () => instanceWithUid(readOnlyStore.getState().instances, probeId));
  });

  afterAll(async () => {
    await adapter?.stop();
    await readOnlyAdapter?.stop();
    await docker(dockerHost, ['rm', '-f', 'probe-ops-1', 'probe-kill-1'], { reject: false });
    await rm(directory, { recursive: true, force: true });
  });

  it('runs a command: its exit code and both streams, streamed as they come, with env, user and working directory', async () => {
    const streamed: string[] = [];
    const result = await executor().execute(
      { verb: 'exec', target: probe.ref, argv: ['sh', '-c', 'echo "$GREETING $EXTRA"; pwd; id -u; echo oops >&2; exit 3'], env: { EXTRA: 'world' }, user: '1234', workingDir: '/data/sub', mutates: false },
      { onOutput: (stream, text) => streamed.push(`${stream}: ${text}`) },
    );
    expect(result.status).toBe('done');
    expect(result.output).toEqual({ exitCode: 3, stdout: 'hello world\n/data/sub\n1234', stderr: 'oops' });
    expect(streamed.filter((line) => line.startsWith('stdout'))).toEqual(['stdout: hello world', 'stdout: /data/sub', 'stdout: 1234']);
    expect(streamed).toContain('stderr: oops');
    expect(describeCall(result.call!)).toMatch(new RegExp(`^POST /containers/${probeId}/exec \\{.*"Cmd":\\["sh","-c",.*\\} then POST /exec/\\{execId\\}/start`));
  });

  it('in read-only mode runs a read-only exec and refuses a mutating one with nothing sent', async () => {
    const readOnly = createActionExecutor({ adapterFor: () => readOnlyAdapter, readOnly: true });
    // The adapter refuses on its own too, whatever the executor said.
    const adapterOnly = createActionExecutor({ adapterFor: () => readOnlyAdapter, readOnly: false });
    const since = Date.now();
    const read = await readOnly.execute({ verb: 'exec', target: probe.ref, argv: ['cat', '/data/a.txt'], mutates: false });
    expect(read).toMatchObject({ status: 'done', output: { exitCode: 0, stdout: 'alpha' } });
    const write: EngineAction = { verb: 'exec', target: probe.ref, argv: ['touch', '/data/written'], mutates: true };
    expect(await readOnly.execute(write)).toMatchObject({ status: 'refused', error: 'read-only mode: refused to exec probe-ops-1' });
    expect(await adapterOnly.execute(write)).toMatchObject({ status: 'refused', error: 'read-only mode: refused to exec probe-ops-1' });
    for (const action of [
      { verb: 'kill', target: probe.ref },
      { verb: 'restore', target: probe.ref, path: '/', sourceFile: join(directory, 'none.tar.gz') },
    ] as const) {
      expect(await adapterOnly.execute(action)).toMatchObject({ status: 'refused', error: `read-only mode: refused to ${action.verb} probe-ops-1` });
    }
    const events = await eventsOf(probeId, since);
    expect(events.filter((event) => event.startsWith('exec_create'))).toEqual(['exec_create: cat /data/a.txt']);
    expect(events.some((event) => /touch|kill|extract/.test(event))).toBe(false);
    expect((await docker(dockerHost, ['exec', probeId, 'test', '-e', '/data/written'], { reject: false })).exitCode).toBe(1);
  });

  it('reads the logs as they are: tail, since, stderr among them, escape sequences removed', async () => {
    await waitFor('late lines logged', async () => (await docker(dockerHost, ['logs', probeId])).stderr.includes('late-err'), { timeoutMs: 15_000 });
    const streamed: string[] = [];
    const tail = await executor().execute({ verb: 'logs', target: probe.ref, tail: 2 }, { onOutput: (stream, text) => streamed.push(`${stream}: ${text}`) });
    expect(tail.output?.stdout?.split('\n').sort()).toEqual(['late-err', 'late-title']);
    expect(tail.output?.stdout).not.toContain('\u001b');
    expect(streamed.sort()).toEqual(['stderr: late-err', 'stdout: late-title']);
    // The late lines came 6 s after the early ones: a 4 s window holds only them.
    const recent = await executor().execute({ verb: 'logs', target: probe.ref, sinceSeconds: 4 });
    expect(recent.output?.stdout?.split('\n').sort()).toEqual(['late-err', 'late-title']);
    const all = await executor().execute({ verb: 'logs', target: probe.ref });
    expect(all.output?.stdout?.split('\n').sort()).toEqual(['early-err', 'early-out', 'late-err', 'late-title']);
    expect(all.call).toMatchObject({ method: 'GET', path: `/containers/${probeId}/logs?stdout=1&stderr=1&timestamps=0` });
  });

  it('inspects: state, StartedAt as the engine says it, restarts, health, limits; env values and secret labels redacted', async () => {
    const result = await executor().execute({ verb: 'inspect', target: probe.ref });
    expect(result.call).toEqual({ type: 'http', method: 'GET', path: `/containers/${probeId}/json` });
    const details = result.output?.inspect;
    expect(details).toMatchObject({
      name: 'probe-ops-1',
      state: 'running',
      status: 'running',
      health: 'none',
      restartCount: 0,
      exitCode: 0,
      oomKilled: false,
      image: IMAGE,
      memoryLimitBytes: 64 * 1024 * 1024,
    });
    expect(details?.startedAt).toBe(await inspectField(probeId, '{{.State.StartedAt}}'));
    expect(details?.finishedAt).toBeUndefined();
    const raw = details!.raw as { Config: { Env: string[]; Labels: Record<string, string> }; Id: string };
    expect(raw.Id).toBe(probeId);
    expect(raw.Config.Env).toContain('DB_PASSWORD=<redacted>');
    expect(raw.Config.Env).toContain('GREETING=<redacted>');
    expect(raw.Config.Labels).toMatchObject({ 'api.token': '<redacted>', team: 'payments' });
    expect(JSON.stringify(raw)).not.toMatch(/hunter2|abc123/);
    // Health as the engine's check says it (the shop's web answers its check).
    const web = Object.values(store.getState().instances).find((instance) => instance.ref.name === 'shop-web-1')!;
    await waitFor('web healthy', async () => (await inspectField(web.ref.uid!, '{{.State.Health.Status}}')) === 'healthy');
    expect((await executor().execute({ verb: 'inspect', target: web.ref })).output?.inspect?.health).toBe('healthy');
    // A crash-looping container's restarts, as the engine counts them.
    const worker = Object.values(store.getState().instances).find((instance) => instance.ref.name === 'shop-worker-1')!;
    const workerDetails = (await executor().execute({ verb: 'inspect', target: worker.ref })).output?.inspect;
    expect(workerDetails?.restartCount).toBeGreaterThanOrEqual(1);
    expect(workerDetails!.restartCount).toBeLessThanOrEqual(Number(await inspectField(worker.ref.uid!, '{{.RestartCount}}')));
  });

  it('samples CPU and memory once: the burner busy, the probe within its 64 MiB limit, no limit for an unlimited one', async () => {
    const burner = Object.values(store.getState().instances).find((instance) => instance.ref.name === 'shop-burner-1')!;
    const busy = await executor().execute({ verb: 'stats', target: burner.ref });
    expect(busy.call).toEqual({ type: 'http', method: 'GET', path: `/containers/${burner.ref.uid}/stats?stream=false` });
    expect(busy.output?.stats?.cpuPercent).toBeGreaterThan(5);
    expect(busy.output?.stats?.memoryBytes).toBeGreaterThan(0);
    expect(busy.output?.stats?.memoryLimitBytes).toBeUndefined();
    const limited = (await executor().execute({ verb: 'stats', target: probe.ref })).output?.stats;
    expect(limited?.memoryLimitBytes).toBe(64 * 1024 * 1024);
    expect(limited?.memoryBytes).toBeGreaterThan(0);
    expect(limited?.memoryPercent).toBeCloseTo((limited!.memoryBytes! / limited!.memoryLimitBytes!) * 100, 5);
    expect(limited?.cpuPercent).toBeLessThan(busy.output!.stats!.cpuPercent!);
  });

  it('archives a path to a new .tar.gz with its sha256, never overwrites one, and restores it', async () => {
    const destinationFile = join(directory, 'data.tar.gz');
    const since = Date.now();
    const archived = await executor().execute({ verb: 'archive', target: probe.ref, path: '/data', destinationFile });
    expect(archived.call).toEqual({ type: 'http', method: 'GET', path: `/containers/${probeId}/archive?path=%2Fdata` });
    expect(archived.status).toBe('done');
    const file = archived.output!.file!;
    expect(file.path).toBe(destinationFile);
    expect(file.sha256).toBe(await sha256Of(destinationFile));
    expect(file.bytes).toBe((await stat(destinationFile)).size);
    expect(await tarListing(destinationFile)).toEqual(['data', 'data/a.txt', 'data/sub', 'data/sub/b.txt']);
    // An existing file is an earlier backup: refused before the engine is asked, left as it was.
    const again = await executor().execute({ verb: 'archive', target: probe.ref, path: '/data', destinationFile });
    expect(again).toMatchObject({ status: 'failed', error: `${destinationFile} already exists: an archive is never overwritten` });
    expect(await sha256Of(destinationFile)).toBe(file.sha256);
    expect((await eventsOf(probeId, since)).filter((event) => event === 'archive-path')).toHaveLength(1);
    // A path that is not there: failed, and no partial file left behind.
    const missing = join(directory, 'missing.tar.gz');
    expect((await executor().execute({ verb: 'archive', target: probe.ref, path: '/nowhere', destinationFile: missing })).status).toBe('failed');
    await expect(stat(missing)).rejects.toThrow(/ENOENT/);

    const wiped = await executor().execute({ verb: 'exec', target: probe.ref, argv: ['rm', '-rf', '/data'], mutates: true });
    expect(wiped.output?.exitCode).toBe(0);
    const restored = await executor().execute({ verb: 'restore', target: probe.ref, path: '/', sourceFile: destinationFile });
    expect(restored).toMatchObject({ status: 'done', call: { method: 'PUT', path: `/containers/${probeId}/archive?path=%2F` } });
    const read = await executor().execute({ verb: 'exec', target: probe.ref, argv: ['cat', '/data/a.txt', '/data/sub/b.txt'], mutates: false });
    expect(read.output).toMatchObject({ exitCode: 0, stdout: 'alpha\nbeta' });
  });

  it('kills with a signal: the container stops, and the engine saw one kill', async () => {
    const id = await runProbe('probe-kill-1', [], 'exec sleep 2147483647');
    const target = (await waitFor('kill probe running', () => {
      const instance = instanceWithUid(store.getState().instances, id);
      return instance?.phase === 'running' ? instance : undefined;
    })).ref;
    const since = Date.now();
    const dryRun = await executor().execute({ verb: 'kill', target }, { dryRun: true });
    expect(dryRun).toMatchObject({ status: 'would-do', call: { method: 'POST', path: `/containers/${id}/kill?signal=KILL` } });
    expect(await inspectField(id, '{{.State.Status}}')).toBe('running');
    const killed = await executor().execute({ verb: 'kill', target, signal: 'KILL' });
    expect(killed.status).toBe('done');
    expect(store.getState().actionResults.at(-1)).toEqual(killed);
    await waitFor('exited', async () => (await inspectField(id, '{{.State.Status}}')) === 'exited');
    expect(await inspectField(id, '{{.State.ExitCode}}')).toBe('137');
    expect((await eventsOf(id, since)).filter((event) => event.startsWith('kill'))).toEqual(['kill']);
    await waitFor('the store sees it exited', () => instanceWithUid(store.getState().instances, id)?.state === 'exited');
  });

  it('in a dry run sends nothing for a mutation while an inspect returns the real container', async () => {
    const dryRun = createActionExecutor({ store, adapterFor: () => adapter, readOnly: false, dryRun: true });
    const since = Date.now();
    const resultsBefore = store.getState().actionResults.length;
    const restore = await dryRun.execute({ verb: 'restore', target: probe.ref, path: '/', sourceFile: join(directory, 'data.tar.gz') });
    expect(restore.status).toBe('would-do');
    expect(describeCall(restore.call!)).toBe(`PUT /containers/${probeId}/archive?path=%2F`);
    const wipe = await dryRun.execute({ verb: 'exec', target: probe.ref, argv: ['rm', '-rf', '/data'], mutates: true });
    expect(wipe.status).toBe('would-do');
    const inspected = await dryRun.execute({ verb: 'inspect', target: probe.ref });
    expect(inspected.status).toBe('done');
    expect(inspected.output?.inspect?.startedAt).toBe(await inspectField(probeId, '{{.State.StartedAt}}'));
    const events = await eventsOf(probeId, since);
    expect(events).toEqual([]);
    expect((await docker(dockerHost, ['exec', probeId, 'cat', '/data/a.txt'])).stdout).toBe('alpha');
    // Reads leave the status line's results alone.
    expect(store.getState().actionResults.length).toBe(resultsBefore);
  });
});

describe('container operations on Podman (the Docker-compatible API)', () => {
  let store: OpsdeckStore;
  let adapter: DockerEngineAdapter;
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'opsdeck-podman-operations-'));
    await podman(podmanDir, ['rm', '-f', '-t', '0', 'ops-probe-1'], { reject: false });
    await podman(podmanDir, [
      'run', '-d', '--name', 'ops-probe-1', '--label', 'com.docker.compose.project=ops', '--label', 'com.docker.compose.service=probe',
      'local/busybox:latest', 'sh', '-c', 'mkdir -p /srv/state && echo vault-sealed > /srv/state/seal && exec sleep 2147483647',
    ]);
    store = createTestStore();
    adapter = adapterOn(store, { engineId: 'pods', host: podmanHost, kind: 'podman' });
  });

  afterAll(async () => {
    await adapter?.stop();
    await podman(podmanDir, ['rm', '-f', '-t', '0', 'ops-probe-1'], { reject: false });
    await rm(directory, { recursive: true, force: true });
  });

  it('runs an exec with its exit code and streams, and archives and restores a path', async () => {
    const probe = await waitFor('podman probe running', () =>
      Object.values(store.getState().instances).find((instance) => instance.ref.name === 'ops-probe-1' && instance.phase === 'running'),
    );
    const executor = createActionExecutor({ adapterFor: () => adapter, readOnly: false });
    const exec = await executor.execute({ verb: 'exec', target: probe.ref, argv: ['sh', '-c', 'cat /srv/state/seal; echo warn >&2; exit 2'], mutates: false });
    expect(exec).toMatchObject({ status: 'done', output: { exitCode: 2, stdout: 'vault-sealed', stderr: 'warn' } });

    const destinationFile = join(directory, 'state.tar.gz');
    const archived = await executor.execute({ verb: 'archive', target: probe.ref, path: '/srv/state', destinationFile });
    expect(archived.status).toBe('done');
    expect(archived.output?.file?.sha256).toBe(await sha256Of(destinationFile));
    expect(await tarListing(destinationFile)).toEqual(['state', 'state/seal']);

    await executor.execute({ verb: 'exec', target: probe.ref, argv: ['rm', '-rf', '/srv/state'], mutates: true });
    const restored = await executor.execute({ verb: 'restore', target: probe.ref, path: '/srv', sourceFile: destinationFile });
    expect(restored.status).toBe('done');
    const read = await executor.execute({ verb: 'exec', target: probe.ref, argv: ['cat', '/srv/state/seal'], mutates: false });
    expect(read.output).toMatchObject({ exitCode: 0, stdout: 'vault-sealed' });
  });
});
