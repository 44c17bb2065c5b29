// `opsdeck playbooks list [--json]`: every playbook found (shipped, ./playbooks, the user's
// config, --playbooks), valid ones first, then the invalid ones with their one-line error.
// `opsdeck playbooks validate [paths...]`: `ok <file>` or the error line for each file; exit 2
// when any file is invalid, so it can gate a commit or a CI job.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { displayFileName } from '../../config/located-problems';
import { createBuiltInActionRegistry } from '../../playbooks/actions/built-in-actions';
import { isInvalidPlaybook, loadPlaybookCatalog, loadPlaybookFile, playbookDirectories, playbookFilesIn } from '../../playbooks/load-playbooks';
import type { InvalidPlaybook, Playbook } from '../../playbooks/playbook-types';
import type { CommandRegistration, GlobalOptions } from '../cli-options';

interface ListedInput {
  name: string;
  type: string;
  required: boolean;
  default?: string | number | boolean;
  allowed?: readonly string[];
}

type ListedPlaybook =
  | { valid: true; id: string; title: string; description: string; file: string; tags: readonly string[]; inputs: ListedInput[]; steps: number; rollbackSteps: number }
  | { valid: false; id?: string; file: string; error: string };

function listedValid(playbook: Playbook): ListedPlaybook {
  return {
    valid: true,
    id: playbook.id,
    title: playbook.title,
    description: playbook.description,
    file: playbook.file,
    tags: playbook.tags,
    inputs: playbook.inputs.map((input) => ({
      name: input.name,
      type: input.type,
      required: input.required,
      ...(input.default !== undefined ? { default: input.default } : {}),
      ...(input.allowed !== undefined ? { allowed: input.allowed } : {}),
    })),
    steps: playbook.steps.length,
    rollbackSteps: playbook.rollback.length,
  };
}

function listedInvalid(invalid: InvalidPlaybook): ListedPlaybook {
  return { valid: false, ...(invalid.id !== undefined ? { id: invalid.id } : {}), file: invalid.file, error: invalid.error };
}

function directoriesOf(program: Command): string[] {
  const options = program.opts<GlobalOptions>();
  return playbookDirectories({ cwd: process.cwd(), env: process.env, extra: options.playbooks ?? [] });
}

async function listPlaybooks(program: Command, json: boolean): Promise<void> {
  const cwd = process.cwd();
  const catalog = await loadPlaybookCatalog({ directories: directoriesOf(program), registry: createBuiltInActionRegistry(), cwd });
  const listed = [...catalog.playbooks.map(listedValid), ...catalog.invalid.map(listedInvalid)];
  if (json) {
    const overridden = catalog.overridden.map((entry) => ({ id: entry.id, file: entry.file, by: entry.by }));
    process.stdout.write(`${JSON.stringify({ directories: catalog.directories, playbooks: listed, overridden }, null, 2)}\n`);
    return;
  }
  const lines: string[] = [];
  for (const entry of listed) {
    if (entry.valid) {
      const inputs = entry.inputs.map((input) => `${input.name} (${input.type}${input.required ? '' : ', optional'})`).join(', ');
      lines.push(`${entry.id}  ${entry.title}  [${inputs || 'no inputs'}]  ${displayFileName(entry.file, cwd)}`);
    } else {
      lines.push(`invalid  ${entry.error}`);
    }
  }
  for (const entry of catalog.overridden) lines.push(`overridden  ${entry.id}: ${displayFileName(entry.file, cwd)} is replaced by ${displayFileName(entry.by, cwd)}`);
  if (listed.length === 0) lines.push(`no playbooks found in: ${catalog.directories.join(', ') || 'no directory'}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** The files named by the arguments: a directory stands for its playbook files. */
async function filesOf(paths: readonly string[]): Promise<Array<{ file: string } | { missing: string }>> {
  const files: Array<{ file: string } | { missing: string }> = [];
  for (const given of paths) {
    const absolute = path.resolve(given);
    const stat = await fs.stat(absolute).catch(() => undefined);
    if (!stat) files.push({ missing: given });
    else if (stat.isDirectory()) files.push(...(await playbookFilesIn(absolute)).map((file) => ({ file })));
    else files.push({ file: absolute });
  }
  return files;
}

async function validatePlaybooks(program: Command, paths: readonly string[]): Promise<void> {
  const cwd = process.cwd();
  const registry = createBuiltInActionRegistry();
  const targets = await filesOf(paths.length > 0 ? paths : directoriesOf(program));
  let invalidCount = 0;
  const lines: string[] = [];
  for (const target of targets) {
    if ('missing' in target) {
      invalidCount += 1;
      lines.push(`${target.missing}: no such file or directory`);
      continue;
    }
    const result = await loadPlaybookFile(target.file, registry, { cwd });
    if (isInvalidPlaybook(result)) {
      invalidCount += 1;
      lines.push(result.error);
    } else {
      lines.push(`ok ${displayFileName(result.file, cwd)}`);
    }
  }
  if (targets.length === 0) lines.push('no playbook files found');
  process.stdout.write(`${lines.join('\n')}\n`);
  process.exitCode = invalidCount > 0 ? 2 : 0;
}

export const registerPlaybooksCommand: CommandRegistration = (program) => {
  const playbooks = program.command('playbooks').description('list and validate playbooks (shipped, ./playbooks, ~/.config/opsdeck/playbooks, --playbooks DIR)');
  playbooks
    .command('list')
    .description('every playbook found: id, title, inputs, file; invalid files with their error')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }) => listPlaybooks(program, options.json ?? false));
  playbooks
    .command('validate')
    .description('check playbook files (default: every playbook directory); exit 2 when any is invalid')
    .argument('[paths...]', 'playbook files or directories')
    .action(async (paths: string[]) => validatePlaybooks(program, paths));
};
