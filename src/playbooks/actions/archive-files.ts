// Archives on the host: sha256 files in sha256sum format, and a check that a .tar.gz is whole
// (the gzip stream and its CRC through node's zlib, then a walk over the tar headers with their
// checksums to the end-of-archive blocks). No shell, no tar binary.

import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { globToRegExp } from './file-glob';

const BLOCK = 512;

/** `<hash>  <name>`, as sha256sum writes it (and `sha256sum -c` reads it). */
export function checksumLine(sha256: string, fileName: string): string {
  return `${sha256}  ${fileName}\n`;
}

/** The checksum file of an archive: `<archive>.sha256`. */
export function checksumFileOf(file: string): string {
  return `${file}.sha256`;
}

export async function sha256OfFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    const buffer = chunk as Buffer;
    hash.update(buffer);
    bytes += buffer.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** The hash recorded for `file` in its .sha256 file, or why there is none. */
export async function recordedChecksum(file: string): Promise<{ sha256: string } | { problem: string }> {
  let text: string;
  try {
    text = await readFile(checksumFileOf(file), 'utf8');
  } catch {
    return { problem: `no checksum file ${basename(checksumFileOf(file))}` };
  }
  const match = /^([0-9a-f]{64})\s+\*?(.+)$/im.exec(text.trim());
  if (!match?.[1]) return { problem: `${basename(checksumFileOf(file))} holds no sha256 line` };
  return { sha256: match[1].toLowerCase() };
}

/** Whether `file` matches its .sha256 file: undefined when it does, else the problem. */
export async function checksumProblem(file: string, actual?: string): Promise<string | undefined> {
  const recorded = await recordedChecksum(file);
  if ('problem' in recorded) return recorded.problem;
  const sha256 = actual ?? (await sha256OfFile(file)).sha256;
  return sha256 === recorded.sha256 ? undefined : `checksum mismatch: the file's sha256 is ${sha256}, ${basename(checksumFileOf(file))} says ${recorded.sha256}`;
}

function octal(field: Buffer): number {
  // GNU base-256 for sizes over 8 GiB: the high bit of the first byte set.
  if (((field[0] ?? 0) & 0x80) !== 0) {
    let value = (field[0] ?? 0) & 0x7f;
    for (let index = 1; index < field.length; index += 1) value = value * 256 + (field[index] ?? 0);
    return value;
  }
  const text = field.toString('latin1').replace(/[\0 ]+$/g, '').trim();
  return text === '' ? 0 : Number.parseInt(text, 8);
}

function headerChecksumMatches(header: Buffer): boolean {
  let sum = 0;
  for (let index = 0; index < BLOCK; index += 1) sum += index >= 148 && index < 156 ? 0x20 : (header[index] ?? 0);
  return sum === octal(header.subarray(148, 156));
}

function text(field: Buffer): string {
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? field.length : end).toString('utf8');
}

/** Header types that describe the next entry rather than being one (pax, GNU long names). */
const METADATA_TYPES = new Set(['x', 'g', 'L', 'K']);

/** Walks tar headers as the bytes arrive; throws at the first damaged header. */
class TarWalker {
  entries = 0;
  readonly names: string[] = [];
  ended = false;
  private pending = Buffer.alloc(0);
  private skip = 0;
  private zeroBlocks = 0;

  constructor(private readonly namesKept: number) {}

  push(chunk: Buffer): void {
    let data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    while (!this.ended) {
      if (this.skip > 0) {
        const skipped = Math.min(this.skip, data.length);
        this.skip -= skipped;
        data = data.subarray(skipped);
        if (this.skip > 0) break;
      }
      if (data.length < BLOCK) break;
      this.header(data.subarray(0, BLOCK));
      data = data.subarray(BLOCK);
    }
    this.pending = this.ended ? Buffer.alloc(0) : Buffer.from(data);
  }

  private header(block: Buffer): void {
    if (block.every((byte) => byte === 0)) {
      this.zeroBlocks += 1;
      if (this.zeroBlocks === 2) this.ended = true;
      return;
    }
    if (this.zeroBlocks > 0) throw new Error('tar has a zero block in the middle');
    if (!headerChecksumMatches(block)) throw new Error(`tar header ${this.entries + 1} has a bad checksum`);
    const size = octal(block.subarray(124, 136));
    if (!Number.isFinite(size) || size < 0) throw new Error(`tar header ${this.entries + 1} has an unreadable size`);
    const type = String.fromCharCode(block[156] ?? 0);
    if (!METADATA_TYPES.has(type)) {
      this.entries += 1;
      if (this.names.length < this.namesKept) {
        const prefix = block.subarray(257, 262).toString('latin1') === 'ustar' ? text(block.subarray(345, 500)) : '';
        const name = text(block.subarray(0, 100));
        this.names.push(prefix ? `${prefix}/${name}` : name);
      }
    }
    this.skip = Math.ceil(size / BLOCK) * BLOCK;
  }

  finish(): void {
    if (!this.ended) throw new Error(this.skip > 0 || this.pending.length > 0 ? 'tar is cut short inside an entry' : 'tar ends without its end-of-archive blocks');
  }
}

/** Reads the whole .tar.gz: throws when the gzip stream or a tar header is damaged. */
export async function verifyTarGz(file: string, namesKept = 20): Promise<{ entries: number; names: string[] }> {
  const walker = new TarWalker(namesKept);
  const gunzip = createGunzip();
  createReadStream(file).on('error', (error) => gunzip.destroy(error)).pipe(gunzip);
  try {
    for await (const chunk of gunzip) walker.push(chunk as Buffer);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (message.startsWith('tar ')) throw error;
    throw new Error(`gzip stream is damaged: ${message}`);
  }
  walker.finish();
  return { entries: walker.entries, names: walker.names };
}

export interface MatchingFile {
  path: string;
  name: string;
  mtimeMs: number;
  bytes: number;
}

/**
 * Regular files of `directory` whose names match `glob`, newest (mtime) first. Synchronous:
 * a step's describe() lists the files it would delete, and backup directories are small.
 */
export function filesMatching(directory: string, glob: string): MatchingFile[] {
  const pattern = globToRegExp(glob);
  const files: MatchingFile[] = [];
  for (const name of readdirSync(directory)) {
    if (!pattern.test(name)) continue;
    const path = join(directory, name);
    const info = statSync(path, { throwIfNoEntry: false });
    if (info?.isFile()) files.push({ path, name, mtimeMs: info.mtimeMs, bytes: info.size });
  }
  return files.sort((left, right) => right.mtimeMs - left.mtimeMs || left.name.localeCompare(right.name));
}
