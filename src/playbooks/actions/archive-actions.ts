// container.archive (a path inside a container to a new .tar.gz on the host, with its .sha256),
// container.restore (such an archive back into a container, its checksum verified first) and
// archive.verify (checksum, gzip and tar integrity, age and size of the newest backup).

import { access, mkdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { formatDuration } from '../../domain/duration';
import type { EngineAction } from '../../domain/engine-action';
import type { ActionContext, Observation, StepOutcome } from './action-registry';
import { checksumFileOf, checksumLine, checksumProblem, filesMatching, sha256OfFile, verifyTarGz } from './archive-files';
import { defineAction } from './define-action';
import { failedOutcome, messageOf } from './engine-steps';
import { containerParams, durationParam, nameParam, positiveIntegerParam } from './param-types';
import { singleContainerAction } from './single-container-action';
import { utcStamp } from '../../domain/utc-stamp';

const containerPath = z.string().refine((path) => path.startsWith('/'), 'an absolute path inside the container');
const fileStem = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a file name stem: letters, digits, ., _ and -');
const ARCHIVE_SUFFIX = '.tar.gz';

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

interface ArchiveValues {
  container: string;
  destination?: string | undefined;
  name?: string | undefined;
}

function stemOf(values: ArchiveValues): string {
  return values.name ?? (values.container.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'archive');
}

function directoryOf(values: ArchiveValues, context: ActionContext): string {
  return resolve(values.destination ?? context.runDirectory);
}

function matchingOrNone(directory: string, glob: string): ReturnType<typeof filesMatching> {
  try {
    return filesMatching(directory, glob);
  } catch {
    return [];
  }
}

/** The archive made after the intent, and whether its checksum file matches it. */
async function observeArchive(values: ArchiveValues, context: ActionContext, intentAt: number): Promise<Observation> {
  const directory = directoryOf(values, context);
  const made = matchingOrNone(directory, `${stemOf(values)}-*${ARCHIVE_SUFFIX}`).filter((file) => file.mtimeMs >= intentAt - 1000);
  const newest = made[0];
  if (!newest) return { verdict: 'not-happened', detail: `no ${stemOf(values)} archive in ${directory} since the intent` };
  const problem = await checksumProblem(newest.path);
  if (problem === undefined) return { verdict: 'happened', detail: `${newest.path} exists and matches its .sha256` };
  // Running again writes a new file beside it: nothing is overwritten.
  return { verdict: 'not-happened', detail: `${newest.path} is incomplete (${problem}): a new archive will be made` };
}

const containerArchive = singleContainerAction({
  name: 'container.archive',
  summary: 'Copy a path out of a container into a new .tar.gz with a .sha256 file (engine untouched)',
  params: z.strictObject({ ...containerParams, path: containerPath, destination: z.string().min(1).optional(), name: fileStem.optional() }),
  mutates: () => false,
  build: (target, values, context) => ({
    verb: 'archive',
    target,
    path: values.path,
    destinationFile: join(directoryOf(values, context), `${stemOf(values)}-${utcStamp(context.now())}${ARCHIVE_SUFFIX}`),
  }),
  async prepare(action) {
    if (action.verb !== 'archive') return undefined;
    if ((await exists(action.destinationFile)) || (await exists(checksumFileOf(action.destinationFile)))) return `${action.destinationFile} already exists: an archive is never overwritten`;
    return mkdir(dirname(action.destinationFile), { recursive: true }).then(
      () => undefined,
      (error: unknown) => `cannot create ${dirname(action.destinationFile)}: ${messageOf(error)}`,
    );
  },
  async finish(outcome, _values, output, context) {
    const written = output?.file;
    if (!written) return { ...outcome, status: 'failed', error: 'the engine wrote no archive' };
    const file = written.sha256 ? written : { path: written.path, ...(await sha256OfFile(written.path)) };
    const sha256File = checksumFileOf(file.path);
    // A new file only: a checksum file already there is never replaced.
    await writeFile(sha256File, checksumLine(file.sha256, basename(file.path)), { flag: 'wx' });
    const line = `wrote ${file.path} (${file.bytes} bytes), sha256 ${file.sha256}`;
    context.onOutput('info', line);
    return { ...outcome, stdout: line, data: { file: file.path, sha256: file.sha256, bytes: file.bytes, sha256File } };
  },
  observe: (_target, values, context, intentAt) => observeArchive(values, context, intentAt),
});

const containerRestore = singleContainerAction({
  name: 'container.restore',
  summary: 'Extract an archive made by container.archive into a directory of a container (its .sha256 verified first)',
  params: z.strictObject({ ...containerParams, archive: z.string().min(1), path: containerPath }),
  mutates: () => true,
  build: (target, values): EngineAction => ({ verb: 'restore', target, path: values.path, sourceFile: resolve(values.archive) }),
  async prepare(action) {
    if (action.verb !== 'restore') return undefined;
    if (!(await exists(action.sourceFile))) return `no archive ${action.sourceFile}`;
    const problem = await checksumProblem(action.sourceFile);
    return problem === undefined ? undefined : `${action.sourceFile}: ${problem}; nothing restored`;
  },
});

const verifyParams = z
  .strictObject({
    file: z.string().min(1).optional(),
    directory: z.string().min(1).optional(),
    pattern: nameParam.optional(),
    maxAge: durationParam.optional(),
    minBytes: positiveIntegerParam.optional(),
  })
  .refine((values) => (values.file === undefined) !== (values.directory === undefined), { message: 'give either `file` or `directory` (with `pattern`)', path: ['file'] })
  .refine((values) => values.pattern === undefined || values.directory !== undefined, { message: '`pattern` needs `directory`', path: ['pattern'] });

async function chosenFile(values: z.output<typeof verifyParams>): Promise<string> {
  if (values.file !== undefined) return resolve(values.file);
  const directory = resolve(values.directory ?? '.');
  const pattern = values.pattern ?? `*${ARCHIVE_SUFFIX}`;
  const newest = filesMatching(directory, pattern)[0];
  if (!newest) throw new Error(`no file matching ${pattern} in ${directory}`);
  return newest.path;
}

const archiveVerify = defineAction({
  name: 'archive.verify',
  summary: 'Verify an archive (or the newest in a directory): sha256 file, gzip and tar integrity, age and size',
  params: verifyParams,
  mutates: () => false,
  // Reads files on the host: no engine call and no program.
  describe: () => [],
  async run(values, context) {
    let file: string;
    try {
      file = await chosenFile(values);
    } catch (error) {
      return failedOutcome(messageOf(error));
    }
    try {
      const info = await stat(file);
      const { sha256, bytes } = await sha256OfFile(file);
      const ageMs = Math.max(0, context.now() - info.mtimeMs);
      const problems: string[] = [];
      if (values.minBytes !== undefined && bytes < values.minBytes) problems.push(`${bytes} bytes, fewer than ${values.minBytes}`);
      if (values.maxAge !== undefined && ageMs > values.maxAge) problems.push(`${formatDuration(ageMs)} old, older than ${formatDuration(values.maxAge)}`);
      const checksum = await checksumProblem(file, sha256);
      if (checksum !== undefined) problems.push(checksum);
      let entries: number | undefined;
      let names: string[] = [];
      try {
        ({ entries, names } = await verifyTarGz(file));
      } catch (error) {
        problems.push(messageOf(error));
      }
      const lines = [`file: ${file}`, `bytes: ${bytes}`, `age: ${formatDuration(ageMs)}`, `sha256: ${sha256}`, `entries: ${entries ?? 'unreadable'}`, ...names.map((name) => `  ${name}`)];
      const outcome: StepOutcome = { status: 'passed', calls: [], stdout: lines.join('\n'), data: { file, sha256, bytes, ageMs, entries } };
      return problems.length === 0 ? outcome : { ...outcome, status: 'failed', error: `${basename(file)}: ${problems.join('; ')}` };
    } catch (error) {
      return failedOutcome(`${file}: ${messageOf(error)}`);
    }
  },
});

export const ARCHIVE_ACTIONS = [containerArchive, containerRestore, archiveVerify];
