// Where playbooks come from and how a catalog is put together from several directories.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPlaybookCatalog, playbookDirectories, shippedPlaybooksDirectory } from '../../src/playbooks/load-playbooks';
import { createTestActionRegistry } from '../support/playbook-registry';

const registry = createTestActionRegistry();
const REPOSITORY = path.resolve(import.meta.dirname, '../..');
let root: string;

beforeEach(async () => {
  root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'opsdeck-playbooks-')));
});

afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function write(relativePath: string, text: string): Promise<string> {
  const file = path.join(root, relativePath);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, text);
  return file;
}

function playbookText(id: string, title: string): string {
  return `id: ${id}\ntitle: ${title}\ndescription: test\nsteps:\n  - id: a\n    title: A\n    action: note\n    with: { text: hi }\n`;
}

describe('playbookDirectories', () => {
  it('finds the shipped library at the repository root when running from the sources', () => {
    expect(shippedPlaybooksDirectory()).toBe(path.join(REPOSITORY, 'playbooks'));
  });

  it('reads shipped, ./playbooks, the config home, then each --playbooks, skipping missing ones', async () => {
    await fs.mkdir(path.join(root, 'work', 'playbooks'), { recursive: true });
    await fs.mkdir(path.join(root, 'xdg', 'opsdeck', 'playbooks'), { recursive: true });
    await fs.mkdir(path.join(root, 'extra-one'));
    await fs.mkdir(path.join(root, 'extra-two'));
    const directories = playbookDirectories({
      cwd: path.join(root, 'work'),
      env: { XDG_CONFIG_HOME: path.join(root, 'xdg'), HOME: path.join(root, 'home') },
      extra: ['../extra-two', path.join(root, 'missing'), path.join(root, 'extra-one')],
    });
    expect(directories).toEqual([
      shippedPlaybooksDirectory(),
      path.join(root, 'work', 'playbooks'),
      path.join(root, 'xdg', 'opsdeck', 'playbooks'),
      path.join(root, 'extra-two'),
      path.join(root, 'extra-one'),
    ]);
  });

  it('falls back to ~/.config without XDG_CONFIG_HOME, and reads a directory named twice once', async () => {
    await fs.mkdir(path.join(root, 'home', '.config', 'opsdeck', 'playbooks'), { recursive: true });
    await fs.mkdir(path.join(root, 'work'));
    const directories = playbookDirectories({
      cwd: path.join(root, 'work'),
      env: { HOME: path.join(root, 'home') },
      extra: [path.join(root, 'home', '.config', 'opsdeck', 'playbooks'), '../home/.config/opsdeck/playbooks/', REPOSITORY + '/playbooks'],
    });
    expect(directories).toEqual([shippedPlaybooksDirectory(), path.join(root, 'home', '.config', 'opsdeck', 'playbooks')]);
  });

  it('in the repository, ./playbooks is the shipped library: read once', () => {
    expect(playbookDirectories({ cwd: REPOSITORY, env: { HOME: root } })).toEqual([shippedPlaybooksDirectory()]);
  });
});

describe('loadPlaybookCatalog', () => {
  it('lets a later directory replace a playbook by id, and notes what it replaced', async () => {
    const shipped = await write('shipped/restart.yaml', playbookText('restart', 'Shipped restart'));
    await write('shipped/other.yml', playbookText('other', 'Other'));
    const site = await write('site/my-restart.yaml', playbookText('restart', 'Site restart'));
    const catalog = await loadPlaybookCatalog({ directories: [path.join(root, 'shipped'), path.join(root, 'site')], registry, cwd: root });
    expect(catalog.playbooks.map((playbook) => [playbook.id, playbook.title])).toEqual([
      ['other', 'Other'],
      ['restart', 'Site restart'],
    ]);
    expect(catalog.overridden).toEqual([{ id: 'restart', file: shipped, by: site }]);
    expect(catalog.invalid).toEqual([]);
  });

  it('refuses the second file with an id already used in the same directory', async () => {
    await write('lib/a-first.yaml', playbookText('same', 'First'));
    const second = await write('lib/b-second.yaml', playbookText('same', 'Second'));
    const catalog = await loadPlaybookCatalog({ directories: [path.join(root, 'lib')], registry, cwd: root });
    expect(catalog.playbooks.map((playbook) => playbook.title)).toEqual(['First']);
    expect(catalog.invalid).toEqual([{ file: second, id: 'same', error: 'lib/b-second.yaml:1:5: id: playbook id "same" is already used by lib/a-first.yaml' }]);
  });

  it('reads only .yaml and .yml files and survives a missing directory', async () => {
    await write('lib/notes.md', '# not a playbook');
    await write('lib/broken.yaml.bak', 'not: [valid');
    await write('lib/one.YML', playbookText('one', 'One'));
    const catalog = await loadPlaybookCatalog({ directories: [path.join(root, 'nowhere'), path.join(root, 'lib')], registry, cwd: root });
    expect(catalog.playbooks.map((playbook) => playbook.id)).toEqual(['one']);
    expect(catalog.invalid).toEqual([]);
  });

  it('hashes the bytes of the file', async () => {
    const text = playbookText('hashed', 'Hashed');
    await write('lib/hashed.yaml', text);
    const { createHash } = await import('node:crypto');
    const catalog = await loadPlaybookCatalog({ directories: [path.join(root, 'lib')], registry });
    expect(catalog.playbooks[0]?.sha256).toBe(createHash('sha256').update(text).digest('hex'));
  });
});
