// Host files of the archive actions: the engine's tar stream gzipped into a NEW file (opened
// with O_EXCL, so an existing backup is never overwritten), checksummed while it is written and
// fsynced before it is reported; and a host .tar.gz unpacked to the plain tar the engine's
// PUT /archive takes (Docker would take gzip itself, Podman's compatible API only plain tar).

import { createHash } from 'node:crypto';
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { ArchiveFile } from '../capabilities';

/** Archives may hold a service's secrets: only their owner reads them. */
const ARCHIVE_FILE_MODE = 0o600;

/** The file is created before `openTar` asks the engine, so an existing one stops the archive before any call. */
export async function writeGzippedArchive(openTar: () => Promise<Readable>, destinationFile: string, signal?: AbortSignal): Promise<ArchiveFile> {
  await mkdir(dirname(destinationFile), { recursive: true });
  let handle;
  try {
    handle = await open(destinationFile, 'wx', ARCHIVE_FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`${destinationFile} already exists: an archive is never overwritten`);
    throw error;
  }
  const file = handle;
  const hash = createHash('sha256');
  let bytes = 0;
  // Hashes and counts exactly the bytes written; fsynced before the archive is reported.
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      writeAll(file, chunk).then(() => done(), done);
    },
    final(done) {
      file.sync().then(() => done(), done);
    },
  });
  try {
    const tar = await openTar();
    await pipeline(tar, createGzip(), sink, signal ? { signal } : {});
    await file.close();
  } catch (error) {
    await file.close().catch(() => undefined);
    // Created by this call (O_EXCL): a partial archive must not pass for a backup.
    await rm(destinationFile, { force: true });
    throw error;
  }
  return { path: destinationFile, bytes, sha256: hash.digest('hex') };
}

async function writeAll(file: FileHandle, chunk: Buffer): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) offset += (await file.write(chunk, offset)).bytesWritten;
}

/** The plain tar inside a host .tar.gz, as a stream; fails at once when the file cannot be opened. */
export async function gunzippedTar(sourceFile: string): Promise<Readable> {
  const handle = await open(sourceFile, 'r');
  const file = handle.createReadStream();
  const gunzip = createGunzip();
  file.once('error', (error) => gunzip.destroy(error));
  return file.pipe(gunzip);
}
