// Where journals and the shared lock/approval files live, and who may enter.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { currentOperator } from '../../src/journal/operator-identity';
import { opsdeckStateDirectory, runsDirectory, sharedDirectory } from '../../src/journal/state-directory';
import { temporaryDirectory } from '../support/journal-fixtures';

describe('state directories', () => {
  it('journals go under $XDG_STATE_HOME/opsdeck/runs (0700), else ~/.local/state', () => {
    const home = temporaryDirectory('home');
    expect(opsdeckStateDirectory({ XDG_STATE_HOME: '/var/state' })).toBe('/var/state/opsdeck');
    expect(opsdeckStateDirectory({ XDG_STATE_HOME: 'relative', HOME: home })).toBe(path.join(home, '.local/state/opsdeck'));
    const runs = runsDirectory({ HOME: home });
    expect(runs).toBe(path.join(home, '.local/state/opsdeck/runs'));
    expect(fs.statSync(runs).mode & 0o777).toBe(0o700);
  });

  it('the shared directory is created 1777 like /tmp, and a symlink in its place is refused', () => {
    const parent = temporaryDirectory('shared-parent');
    const shared = sharedDirectory({ OPSDECK_SHARED_DIR: path.join(parent, 'opsdeck-shared') });
    expect(fs.statSync(shared).mode & 0o7777).toBe(0o1777);
    fs.symlinkSync(os.tmpdir(), path.join(parent, 'planted'));
    expect(() => sharedDirectory({ OPSDECK_SHARED_DIR: path.join(parent, 'planted') })).toThrow(/is not a directory/);
  });

  it('the operator is SUDO_USER before USER, with the SSH client', () => {
    expect(currentOperator({ SUDO_USER: 'alice', USER: 'root', SSH_CONNECTION: '10.0.0.5 52344 10.0.0.1 22' })).toEqual({ operator: 'alice', sshConnection: '10.0.0.5 52344 10.0.0.1 22', host: os.hostname(), pid: process.pid });
    expect(currentOperator({ USER: 'bob' })).toEqual({ operator: 'bob', host: os.hostname(), pid: process.pid });
    expect(currentOperator({}).operator).toBe(os.userInfo().username);
  });
});
