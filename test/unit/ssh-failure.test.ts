// What ssh 9.2 writes on stderr when it refuses a host (captured from the real client), as the
// one line the engine shows.
import { describe, expect, it } from 'vitest';
import { describeSshFailure } from '../../src/adapters/ssh/ssh-failure';
import { parseSshUrl } from '../../src/adapters/ssh/ssh-target';

const target = parseSshUrl('ssh://root@127.0.0.1:44039');
const FINGERPRINT = 'SHA256:YMZHp7hT24zgca5XYCSoISTaCmpmQI/7BnaZ3sl+p0I';

const CHANGED = `@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @
@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!
Someone could be eavesdropping on you right now (man-in-the-middle attack)!
It is also possible that a host key has just been changed.
The fingerprint for the ED25519 key sent by the remote host is
${FINGERPRINT}.
Please contact your system administrator.
Add correct host key in /tmp/ssh-dev/wrong_known to get rid of this message.
Offending ED25519 key in /tmp/ssh-dev/wrong_known:1
  remove with:
  ssh-keygen -f "/tmp/ssh-dev/wrong_known" -R "[127.0.0.1]:44039"
Host key for [127.0.0.1]:44039 has changed and you have requested strict checking.
Host key verification failed.
`;

describe('describeSshFailure', () => {
  it('names host and fingerprint of an unknown host key, read for that key type', async () => {
    const asked: string[] = [];
    const failure = await describeSshFailure(
      target,
      'No ED25519 host key is known for [127.0.0.1]:44039 and you have requested strict checking.\r\nHost key verification failed.\r\n',
      255,
      async (_target, keyType) => {
        asked.push(keyType);
        return FINGERPRINT;
      },
    );
    expect(asked).toEqual(['ED25519']);
    expect(failure.kind).toBe('unknown-host-key');
    expect(failure.message).toContain('[127.0.0.1]:44039 is not in known_hosts');
    expect(failure.message).toContain(`ED25519 key is ${FINGERPRINT}`);
    expect(failure.message).not.toContain('\n');
  });

  it('names host, the fingerprint ssh printed and the known_hosts line of a changed key', async () => {
    const failure = await describeSshFailure(target, CHANGED, 255, async () => {
      throw new Error('not asked: ssh printed the fingerprint');
    });
    expect(failure.kind).toBe('changed-host-key');
    expect(failure.fingerprint).toBe(FINGERPRINT);
    expect(failure.message).toBe(
      `host key verification failed: the host key of [127.0.0.1]:44039 has CHANGED (it now sends ED25519 key ${FINGERPRINT}, ` +
        'known_hosts has another at /tmp/ssh-dev/wrong_known:1); refusing to connect: someone may be intercepting the connection',
    );
  });

  it("keeps ssh's last word for anything else, without control characters", async () => {
    const refused = await describeSshFailure(target, 'ssh: connect to host 127.0.0.1 port 1: Connection refused\r\n', 255);
    expect(refused.message).toBe('ssh 127.0.0.1: connect to host 127.0.0.1 port 1: Connection refused');
    const remote = await describeSshFailure(target, 'bash: line 1: docker: command not found\u001b[2J\n', 127);
    expect(remote.message).toBe('ssh 127.0.0.1: bash: line 1: docker: command not found[2J');
    expect((await describeSshFailure(target, '', 255)).message).toBe('ssh 127.0.0.1: ssh exited with code 255');
  });
});
