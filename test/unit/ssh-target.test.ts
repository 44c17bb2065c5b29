import { describe, expect, it } from 'vitest';
import { parseSshUrl, sshDialArguments, sshMasterArguments, sshTargetUrl } from '../../src/adapters/ssh/ssh-target';

describe('the ssh command for an ssh:// engine', () => {
  it('runs docker system dial-stdio as the docker CLI does, strict about host keys and never prompting', () => {
    const target = parseSshUrl('ssh://ops@10.1.2.3:2222', { configFile: '/etc/opsdeck/ssh_config' });
    expect(sshDialArguments(target)).toEqual([
      '-l', 'ops', '-p', '2222', '-F', '/etc/opsdeck/ssh_config',
      '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', '-o', 'ConnectTimeout=5',
      '-T', '--', '10.1.2.3', 'docker', 'system', 'dial-stdio',
    ]);
  });

  it('leaves user and port to the ssh configuration when the URL has none', () => {
    expect(sshDialArguments(parseSshUrl('ssh://edge'))).toEqual([
      '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', '-o', 'ConnectTimeout=5',
      '-T', '--', 'edge', 'docker', 'system', 'dial-stdio',
    ]);
  });

  it('multiplexes client sessions over one master on a private control socket', () => {
    const target = parseSshUrl('ssh://edge');
    const master = sshMasterArguments(target, '/tmp/opsdeck-ssh-x/m1');
    expect(master).toEqual(expect.arrayContaining(['ControlMaster=yes', 'ControlPath=/tmp/opsdeck-ssh-x/m1', 'ControlPersist=no']));
    // Its own session reads the master's stdin: it ends when opsdeck does, however it ends.
    expect(master.slice(-3)).toEqual(['--', 'edge', 'cat']);
    const client = sshDialArguments(target, '/tmp/opsdeck-ssh-x/m1');
    expect(client).toEqual(expect.arrayContaining(['ControlMaster=no', 'ControlPath=/tmp/opsdeck-ssh-x/m1', 'StrictHostKeyChecking=yes']));
  });

  it('shows IPv6 hosts in brackets and keeps them bare for ssh', () => {
    const target = parseSshUrl('ssh://root@[::1]:2200');
    expect(target).toMatchObject({ host: '::1', user: 'root', port: 2200 });
    expect(sshTargetUrl(target)).toBe('ssh://root@[::1]:2200');
  });

  it('refuses what ssh could read as an option, passwords and paths', () => {
    expect(() => parseSshUrl('ssh://-oProxyCommand=touch%20x')).toThrow(/invalid Docker host .*bad host name/);
    expect(() => parseSshUrl('ssh://-oProxyCommand=x@edge')).toThrow(/bad user name/);
    expect(() => parseSshUrl('ssh://ops:secret@edge')).toThrow(/passwords in the URL are not supported/);
    expect(() => parseSshUrl('ssh://edge/var/run/docker.sock')).toThrow(/unexpected path/);
  });
});
