// Files in the shared directory are read by other operators' processes at any moment: each
// is written whole to a private temporary name and then given its real name in one step, so
// no reader ever sees half of one.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';

/** Ids that become file names in the shared directory: no separators, no leading dot. */
const FILE_COMPONENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function assertFileComponent(kind: string, value: string): void {
  if (!FILE_COMPONENT.test(value)) throw new Error(`invalid ${kind} ${JSON.stringify(value)}: letters, digits, '.', '_' and '-' only`);
}

function temporaryName(file: string, suffix: string): string {
  return `${file}.${process.pid}.${randomBytes(4).toString('hex')}.${suffix}`;
}

/**
 * Writes `content` to `file`, 0644. Exclusive: only when no such file exists (link(2) of the
 * complete temporary file fails with EEXIST), returning false then; otherwise it replaces the
 * file atomically (rename(2)).
 */
export function writeSharedFile(file: string, content: string, options: { exclusive: boolean }): boolean {
  const temporary = temporaryName(file, 'tmp');
  const descriptor = fs.openSync(temporary, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o644);
  try {
    fs.writeSync(descriptor, content);
    // Other operators must be able to read it whatever this process's umask.
    fs.fchmodSync(descriptor, 0o644);
  } finally {
    fs.closeSync(descriptor);
  }
  if (!options.exclusive) {
    fs.renameSync(temporary, file);
    return true;
  }
  try {
    fs.linkSync(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

/** The parsed JSON of a shared file; undefined when it is missing, 'unreadable' when it is not JSON. */
export function readSharedJson<Value>(file: string): Value | 'unreadable' | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as Value;
  } catch {
    return 'unreadable';
  }
}

/**
 * Removes `file` only if what it holds at the moment of removal passes `stillTheOne`: the file
 * is first moved to a private name (only one process can win that), checked there, and put
 * back when it turns out to be another one (written between our read and our removal).
 */
export function removeSharedFileIf<Value>(file: string, stillTheOne: (content: Value | 'unreadable' | undefined) => boolean): boolean {
  const moved = temporaryName(file, 'removing');
  try {
    fs.renameSync(file, moved);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  try {
    if (stillTheOne(readSharedJson<Value>(moved))) return true;
    try {
      fs.linkSync(moved, file);
    } catch {
      // Someone took the name meanwhile: theirs is the current one.
    }
    return false;
  } finally {
    fs.rmSync(moved, { force: true });
  }
}

export function removeIfPresent(file: string): void {
  fs.rmSync(file, { force: true });
}
