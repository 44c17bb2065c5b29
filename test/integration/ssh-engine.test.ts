// An ssh:// engine for real: the adapter reaches the shared private dockerd through a private
// sshd (the system `ssh`, `docker system dial-stdio` on the far side), and shows what it shows
// for a local engine: services, followed logs, restart; sshd going away and coming back; and a
// host whose key was replaced is refused.
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DockerEngineAdapter } from '../../src/adapters/docker/docker-adapter';
import type { OpsdeckStore } from '../../src/store/create-opsdeck-store';
import { docker } from '../../lab/docker-engine.mjs';
import { sshEngineAdapter, startPrivateSshd, type PrivateSshd } from '../engine/sshd-engine';
import { IMAGE, LABEL_PROJECT, LABEL_SERVICE } from '../../lab/stack.mjs';
import { instanceWithUid } from '../support/domain-fixtures';
import { sshProcessesFor } from '../support/ssh-processes';
import { createTestStore } from '../support/test-store';
import { waitFor } from '../support/wait-for';

const dockerHost = inject('dockerHost');
const NAME = 'sshprobe-talker-1';
// Every Docker API connection is an ssh session with a docker CLI on the far side: on a loaded
// two-core machine the first list, inspects and streams take several seconds.
const SLOW = { timeoutMs: 60_000 };
// Says whatever the test drops into /tmp/say, once: a line logged after the engine connected.
const TALKER = "trap 'exit 0' TERM; echo 'talker up'; while :; do if [ -f /tmp/say ]; then cat /tmp/say; rm /tmp/say; fi; sleep 0.2; done";

async function startedAt(id: string): Promise<string> {
  return (await docker(dockerHost, ['inspect', '-f', '{{.State.StartedAt}}', id])).stdout.trim();
}

describe('ssh:// engine through a private sshd', { timeout: 120_000 }, () => {
  let sshd: PrivateSshd;
  let id: string;
  let store: OpsdeckStore;
  let adapter: DockerEngineAdapter;

  beforeAll(async () => {
    sshd = await startPrivateSshd({ dockerHost });
    await docker(dockerHost, ['rm', '-f', NAME], { reject: false });
    const run = await docker(dockerHost, [
      'run', '-d', '--name', NAME, '--network', 'none',
      '--label', `${LABEL_PROJECT}=sshprobe`, '--label', `${LABEL_SERVICE}=talker`,
      IMAGE, 'sh', '-c', TALKER,
    ]);
    id = run.stdout.trim();
    store = createTestStore();
    adapter = sshEngineAdapter(sshd, store, { engineId: 'remote' });
    adapter.start();
  });

  afterAll(async () => {
    await adapter?.stop();
    await docker(dockerHost, ['rm', '-f', NAME], { reject: false });
    await sshd?.dispose();
  });

  it('lists the services of the engine behind sshd', async () => {
    await waitFor('connected through ssh', () => store.getState().engines.remote?.state === 'connected', SLOW);
    expect(store.getState().engines.remote?.endpoint).toBe(sshd.url);
    await waitFor('the shop services and the probe', () => {
      const services = new Set(Object.values(store.getState().instances).map((instance) => `${instance.workload.namespace}/${instance.workload.name}`));
      return ['shop/web', 'shop/api', 'shop/db', 'sshprobe/talker'].every((service) => services.has(service));
    }, SLOW);
    expect(instanceWithUid(store.getState().instances, id)?.state).toBe('running');
  });

  it('follows the logs: a line logged after connecting arrives', async () => {
    const container = await waitFor('probe known', () => instanceWithUid(store.getState().instances, id));
    const lines = (): string[] => (store.getState().logBuffers.get(container.workloadKey)?.toArray() ?? []).map((line) => line.text);
    await waitFor('the backfill', () => lines().some((text) => text.includes('talker up')), SLOW);
    const marker = `ERROR said over ssh ${Date.now()}`;
    await docker(dockerHost, ['exec', id, 'sh', '-c', `echo '${marker}' > /tmp/say`]);
    await waitFor('the new line', () => lines().some((text) => text.includes(marker)), SLOW);
    expect(store.getState().fingerprints.some((fingerprint) => fingerprint.sampleLine.includes('said over ssh'))).toBe(true);
  });

  it('restarts a container through the ssh engine', async () => {
    const before = await startedAt(id);
    const instance = await waitFor('probe known', () => instanceWithUid(store.getState().instances, id));
    await adapter.restartInstance(instance.ref);
    const after = await startedAt(id);
    expect(after).not.toBe(before);
    await waitFor('running again in the store', () => instanceWithUid(store.getState().instances, id)?.phase === 'running', SLOW);
  });

  it('shows disconnected with the error while sshd is away, then reconnects', async () => {
    await waitFor('connected', () => store.getState().engines.remote?.state === 'connected', SLOW);
    await sshd.stop();
    const lost = await waitFor('disconnected', () => {
      const engine = store.getState().engines.remote;
      return engine?.state === 'disconnected' && engine.error ? engine : undefined;
    }, SLOW);
    // The reason ssh gave, not node's bare "aborted".
    expect(lost.error).toMatch(/^ssh 127\.0\.0\.1: .*(closed|refused|broken pipe|reset)/i);
    // What was known stays on screen while the engine is away.
    expect(instanceWithUid(store.getState().instances, id)).toBeDefined();
    await waitFor('still refused while sshd is down', () => /Connection refused/.test(store.getState().engines.remote?.error ?? ''), SLOW);

    await sshd.start();
    await waitFor('reconnected', () => store.getState().engines.remote?.state === 'connected', SLOW);
    expect(store.getState().engines.remote?.error).toBeUndefined();
  });

  it("names what a remote login file printed in front of docker's answer, and connects once it prints nothing", async () => {
    const bashrc = path.join(sshd.home, '.bashrc');
    // A bastion's banner: Debian's bash runs ~/.bashrc for the command sshd starts.
    await writeFile(bashrc, 'echo "Welcome to the bastion"\n');
    const bannerStore = createTestStore();
    const banner = sshEngineAdapter(sshd, bannerStore, { engineId: 'banner' });
    banner.start();
    try {
      const refused = await waitFor('refused for the banner', () => {
        const status = bannerStore.getState().engines.banner;
        return status?.state === 'disconnected' && status.error ? status : undefined;
      }, SLOW);
      expect(refused.error).toBe(
        'ssh 127.0.0.1: the remote side wrote "Welcome to the bastion" before docker\'s answer: a login file of the remote user (such as ~/.bashrc) prints on non-interactive sessions, and it must print nothing there',
      );
      await rm(bashrc);
      await waitFor('connected once the login file is quiet', () => bannerStore.getState().engines.banner?.state === 'connected' || undefined, SLOW);
    } finally {
      await rm(bashrc, { force: true });
      await banner.stop();
    }
  });

  it('refuses the host once its key has been replaced, naming the host and the new fingerprint', async () => {
    const oldFingerprint = sshd.hostKeyFingerprint();
    await sshd.replaceHostKey();
    const newFingerprint = sshd.hostKeyFingerprint();
    expect(newFingerprint).not.toBe(oldFingerprint);
    const refused = await waitFor(
      'refused for a changed host key',
      () => {
        const engine = store.getState().engines.remote;
        return engine?.state === 'disconnected' && /CHANGED/.test(engine.error ?? '') ? engine : undefined;
      },
      SLOW,
    );
    expect(refused.error).toContain(`[127.0.0.1]:${sshd.port}`);
    expect(refused.error).toContain(newFingerprint);
    // It keeps refusing on every retry.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(store.getState().engines.remote?.state).not.toBe('connected');
    expect(store.getState().engines.remote?.error).toContain(newFingerprint);
  });

  it('leaves no ssh process behind once stopped', async () => {
    await adapter.stop();
    await waitFor('no ssh client left', () => sshProcessesFor(String(sshd.port)).length === 0, { timeoutMs: 10_000 });
  });
});
