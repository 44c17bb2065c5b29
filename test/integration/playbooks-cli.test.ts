// The bundled CLI's `playbooks list` and `playbooks validate`, against the fixture corpus.
// No engine needed: run it alone with `npx vitest run -c vitest.unit.config.ts test/integration/playbooks-cli.test.ts`.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBundle, type CommandRun } from '../support/bundle-command';

const REPOSITORY = path.resolve(import.meta.dirname, '../..');
const FIXTURES = path.join(REPOSITORY, 'test/fixtures/playbooks');
const VALID = path.join(FIXTURES, 'valid');
const MALFORMED = path.join(FIXTURES, 'malformed');
let home: string;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'opsdeck-playbooks-cli-'));
});

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

/** Runs from the repository (fixtures named relative to it), with an empty config home. */
function opsdeck(args: string[]): Promise<CommandRun> {
  return runBundle(args, { cwd: REPOSITORY, env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, 'config') } });
}

interface Listed {
  valid: boolean;
  id?: string;
  title?: string;
  file: string;
  error?: string;
  inputs?: Array<{ name: string; type: string; required: boolean }>;
}

describe('opsdeck playbooks (bundled)', () => {
  it('validate passes a directory of valid playbooks', async () => {
    const result = await opsdeck(['playbooks', 'validate', VALID]);
    expect(result.stdout.trim().split('\n')).toEqual(['ok test/fixtures/playbooks/valid/restart-container.yaml', 'ok test/fixtures/playbooks/valid/shell-checks.yml']);
    expect(result.code).toBe(0);
  });

  it('validate exits 2 on any invalid file, with one located line per file', async () => {
    const result = await opsdeck(['playbooks', 'validate', path.join(MALFORMED, 'goto-unknown.yaml'), path.join(VALID, 'shell-checks.yml'), 'no-such.yaml']);
    expect(result.code).toBe(2);
    expect(result.stdout.trim().split('\n')).toEqual([
      'test/fixtures/playbooks/malformed/goto-unknown.yaml:9:16: steps[0].onFailure: goto unknown step "nowhere"',
      'ok test/fixtures/playbooks/valid/shell-checks.yml',
      'no-such.yaml: no such file or directory',
    ]);
  });

  it('validate without paths checks every playbook directory, --playbooks included', async () => {
    const result = await opsdeck(['--playbooks', MALFORMED, 'playbooks', 'validate']);
    expect(result.code).toBe(2);
    const lines = result.stdout.trim().split('\n');
    const corpus = lines.filter((line) => line.startsWith('test/fixtures/playbooks/malformed/'));
    expect(corpus).toHaveLength((await readdir(MALFORMED)).length);
    for (const line of corpus) expect(line).toMatch(/^test\/fixtures\/playbooks\/malformed\/[a-z-]+\.yaml:\d+:\d+: /);
  });

  it('list --json: valid playbooks with their inputs first, then the invalid ones with their error', async () => {
    const result = await opsdeck(['playbooks', 'list', '--json', '--playbooks', MALFORMED, '--playbooks', VALID]);
    expect(result.code).toBe(0);
    const listing = JSON.parse(result.stdout) as { directories: string[]; playbooks: Listed[] };
    expect(listing.directories.slice(-2)).toEqual([MALFORMED, VALID]);
    const ours = listing.playbooks.filter((entry) => entry.file.startsWith(FIXTURES));
    const restart = ours.find((entry) => entry.id === 'restart-container');
    expect(restart).toMatchObject({ valid: true, title: 'Restart a container and verify it is healthy', file: path.join(VALID, 'restart-container.yaml') });
    expect(restart?.inputs).toEqual([
      { name: 'container', type: 'container', required: true },
      { name: 'force', type: 'boolean', required: false, default: false },
      { name: 'grace', type: 'duration', required: false, default: '10s' },
    ]);
    const invalid = ours.filter((entry) => !entry.valid);
    expect(invalid).toHaveLength((await readdir(MALFORMED)).length);
    expect(invalid.find((entry) => entry.id === 'unknown-action')?.error).toMatch(/^test\/fixtures\/playbooks\/malformed\/unknown-action\.yaml:7:13: steps\[0\]\.action: unknown action "container\.restrat"/);
    const firstInvalid = listing.playbooks.findIndex((entry) => !entry.valid);
    expect(listing.playbooks.slice(firstInvalid).every((entry) => !entry.valid)).toBe(true);
  });

  it('list in text form names each playbook and each broken file', async () => {
    const result = await opsdeck(['playbooks', 'list', '--playbooks', VALID, '--playbooks', MALFORMED]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^shell-checks {2}Host checks through argv {2}\[directory \(string, optional\), mode \(choice, optional\), port \(number, optional\)\] {2}test\/fixtures\/playbooks\/valid\/shell-checks\.yml$/m);
    expect(result.stdout).toContain('invalid  test/fixtures/playbooks/malformed/bad-yaml.yaml:6:1: invalid YAML');
  });
});
