// The exact Engine API call of every container verb: what a dry run shows and the journal's
// intent record keeps, before anything is sent.
import { describe, expect, it } from 'vitest';
import { describeContainerCall, killSignalOf } from '../../src/adapters/docker/container-calls';
import { callSequence, describeCall, type EngineAction } from '../../src/domain/engine-action';
import { container } from '../support/domain-fixtures';

const target = container('api', { id: 'c0ffee' }).ref;
const NOW = Date.UTC(2026, 0, 2, 3, 4, 5);

function described(action: EngineAction): string {
  const call = describeContainerCall(action, 'c0ffee', NOW);
  if (!call) throw new Error(`no call for ${action.verb}`);
  return describeCall(call);
}

describe('container calls', () => {
  it('names method, path and query of each verb', () => {
    expect(described({ verb: 'restart', target })).toBe('POST /containers/c0ffee/restart?t=10');
    expect(described({ verb: 'stop', target, timeoutSeconds: 3 })).toBe('POST /containers/c0ffee/stop?t=3');
    expect(described({ verb: 'start', target })).toBe('POST /containers/c0ffee/start');
    expect(described({ verb: 'kill', target })).toBe('POST /containers/c0ffee/kill?signal=KILL');
    expect(described({ verb: 'kill', target, signal: 'hup' })).toBe('POST /containers/c0ffee/kill?signal=HUP');
    expect(described({ verb: 'inspect', target })).toBe('GET /containers/c0ffee/json');
    expect(described({ verb: 'stats', target })).toBe('GET /containers/c0ffee/stats?stream=false');
    expect(described({ verb: 'archive', target, path: '/var/lib/data dir', destinationFile: '/tmp/x.tar.gz' })).toBe(
      'GET /containers/c0ffee/archive?path=%2Fvar%2Flib%2Fdata%20dir',
    );
    expect(described({ verb: 'restore', target, path: '/', sourceFile: '/tmp/x.tar.gz' })).toBe('PUT /containers/c0ffee/archive?path=%2F');
  });

  it('reads logs as they are now: since counted back from the clock, tail, both streams, no timestamps', () => {
    const since = NOW / 1000 - 300;
    expect(described({ verb: 'logs', target, sinceSeconds: 300, tail: 50 })).toBe(
      `GET /containers/c0ffee/logs?stdout=1&stderr=1&since=${since}&tail=50&timestamps=0`,
    );
    expect(described({ verb: 'logs', target })).toBe('GET /containers/c0ffee/logs?stdout=1&stderr=1&timestamps=0');
  });

  it('describes an exec as create with its body, then start of the exec it created', () => {
    const exec: EngineAction = {
      verb: 'exec',
      target,
      argv: ['vault', 'status', '-format=json'],
      user: 'vault',
      workingDir: '/srv',
      env: { VAULT_ADDR: 'http://127.0.0.1:8200', VAULT_TOKEN: 's.hunter2' },
      mutates: false,
    };
    const call = describeContainerCall(exec, 'c0ffee', NOW);
    if (!call) throw new Error('no exec call');
    expect(callSequence(call)).toEqual([
      {
        type: 'http',
        method: 'POST',
        path: '/containers/c0ffee/exec',
        body: {
          AttachStdin: false,
          AttachStdout: true,
          AttachStderr: true,
          Tty: false,
          Cmd: ['vault', 'status', '-format=json'],
          User: 'vault',
          WorkingDir: '/srv',
          // What is shown and journaled: a secret-looking name's value never is.
          Env: ['VAULT_ADDR=http://127.0.0.1:8200', 'VAULT_TOKEN=<redacted>'],
        },
      },
      { type: 'http', method: 'POST', path: '/exec/{execId}/start', body: { Detach: false, Tty: false } },
    ]);
    expect(describeCall(call)).toBe(
      'POST /containers/c0ffee/exec {"AttachStdin":false,"AttachStdout":true,"AttachStderr":true,"Tty":false,' +
        '"Cmd":["vault","status","-format=json"],"User":"vault","WorkingDir":"/srv",' +
        '"Env":["VAULT_ADDR=http://127.0.0.1:8200","VAULT_TOKEN=<redacted>"]} then POST /exec/{execId}/start {"Detach":false,"Tty":false}',
    );
    // An argument is one Cmd element, whatever it holds: nothing is parsed by a shell.
    const hostile = describeContainerCall({ verb: 'exec', target, argv: ['echo', '$(id); rm -rf /'], mutates: true }, 'c0ffee', NOW);
    expect(hostile).toMatchObject({ body: { Cmd: ['echo', '$(id); rm -rf /'] } });
  });

  it('takes signals by name or number and refuses anything else', () => {
    expect(killSignalOf(undefined)).toBe('KILL');
    expect(killSignalOf('SIGTERM')).toBe('SIGTERM');
    expect(killSignalOf('9')).toBe('9');
    expect(() => killSignalOf('KILL&signal=TERM')).toThrow('not a signal: "KILL&signal=TERM"');
    // Even so, the described path cannot be bent by it.
    expect(described({ verb: 'kill', target, signal: 'KILL&t=1' })).toBe('POST /containers/c0ffee/kill?signal=KILL%26T%3D1');
  });
});
