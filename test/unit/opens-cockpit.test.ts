// `opsdeck` with options only opens the cockpit, whose start skips loading the other commands'
// code; any word that may be a command (or a request for help) loads them, so commander answers
// exactly as it always did (an unknown command, a typo, `help`).
import { describe, expect, it } from 'vitest';
import { opensCockpit } from '../../src/cli/main';

describe('opensCockpit', () => {
  it('is true for options and their values only', () => {
    expect(opensCockpit([])).toBe(true);
    expect(opensCockpit(['--docker-host', 'unix:///tmp/x.sock', '--read-only', '--ascii'])).toBe(true);
    expect(opensCockpit(['--engine', 'k8s:prod', '-n', 'shop', '--context', 'staging', '--kubeconfig', '/tmp/kube', '--playbooks', 'books', '--config', 'run'])).toBe(true);
    expect(opensCockpit(['--config=opsdeck.yaml', '-A', '--dry-run', '-nshop'])).toBe(true);
  });

  it('is false for a command, a stray word, a typo, help or the end of options', () => {
    expect(opensCockpit(['run', 'restart-service-gracefully'])).toBe(false);
    expect(opensCockpit(['--read-only', 'check'])).toBe(false);
    expect(opensCockpit(['chek'])).toBe(false);
    expect(opensCockpit(['help'])).toBe(false);
    expect(opensCockpit(['--help'])).toBe(false);
    expect(opensCockpit(['-h'])).toBe(false);
    expect(opensCockpit(['--', 'status'])).toBe(false);
    // A value-taking option's value is not a command; the word after it is.
    expect(opensCockpit(['--config', 'opsdeck.yaml', 'journal'])).toBe(false);
  });
});
