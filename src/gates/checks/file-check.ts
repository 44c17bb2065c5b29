// `file` gates: a status report a script writes (runbook 001's exports/deterministic-status.json
// with a field compared, failed_gate.txt that must be absent). The file is read up to a bound;
// its content is untrusted and reaches the evidence sanitised.

import { open, stat } from 'node:fs/promises';
import { formatDuration } from '../../domain/duration';
import type { FileCheck, GateChecker, GateEvidence, GateOutcome } from '../gate-types';
import { errorText, excerptOf, guarded, isOutcome, judgeJson, patternOrOutcome, patternText } from './check-support';

/** Bytes of a report read: a status report is small; a larger one is judged on its beginning. */
const FILE_READ_LIMIT_BYTES = 1024 * 1024;

/** Reads at most `limit` bytes; the buffer is sized by the file's size as stat saw it (a report of 60 bytes does not cost a megabyte every check). */
async function readBeginning(path: string, limit: number, sizeBytes: number): Promise<{ text: string; truncated: boolean }> {
  const handle = await open(path, 'r');
  try {
    // One byte more than stat said tells a file that grew since: then it is read up to the limit.
    let buffer = Buffer.allocUnsafe(Math.min(limit, sizeBytes) + 1);
    let { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead === buffer.length && buffer.length <= limit) {
      buffer = Buffer.allocUnsafe(limit + 1);
      ({ bytesRead } = await handle.read(buffer, 0, buffer.length, 0));
    }
    return { text: buffer.subarray(0, Math.min(bytesRead, limit)).toString('utf8'), truncated: bytesRead > limit };
  } finally {
    await handle.close();
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

export function createFileChecker(): GateChecker<FileCheck> {
  return {
    type: 'file',
    run: (check, context) =>
      guarded(context.signal, async () => {
        const pattern = patternOrOutcome(check.contentMatches);
        if (isOutcome(pattern)) return pattern;
        let modifiedAt: number;
        let sizeBytes: number;
        try {
          const info = await stat(check.path);
          if (!info.isFile()) return { status: 'fail', detail: `${check.path} is not a file`, evidence: { file: check.path, error: 'not a file' } };
          modifiedAt = info.mtimeMs;
          sizeBytes = info.size;
        } catch (error) {
          if (!isMissing(error)) {
            const message = `cannot read ${check.path}: ${errorText(error)}`;
            return { status: 'unknown', detail: message, evidence: { file: check.path, error: message } };
          }
          if (check.absentPasses) return { status: 'pass', detail: `${check.path} is absent`, evidence: { file: check.path } };
          return { status: 'fail', detail: `no file ${check.path}`, evidence: { file: check.path, error: 'absent' } };
        }
        let content: { text: string; truncated: boolean };
        try {
          content = await readBeginning(check.path, FILE_READ_LIMIT_BYTES, sizeBytes);
        } catch (error) {
          const message = `cannot read ${check.path}: ${errorText(error)}`;
          return { status: 'unknown', detail: message, evidence: { file: check.path, error: message } };
        }
        const ageMs = Math.max(0, context.now() - modifiedAt);
        const evidence: GateEvidence = { file: check.path, ageMs, sizeBytes, bodyExcerpt: excerptOf(content.text) };
        return judgeFile(check, content.text, evidence, pattern);
      }),
  };
}

function judgeFile(check: FileCheck, text: string, evidence: GateEvidence, pattern: RegExp | undefined): GateOutcome {
  if (check.absentPasses) {
    // failed_gate.txt: its presence is the failure, its first line says which gate.
    const firstLine = excerptOf(text.split('\n').find((line) => line.trim() !== '') ?? '');
    return { status: 'fail', detail: `${check.path} is present${firstLine === '' ? '' : `: ${firstLine.slice(0, 120)}`}`, evidence };
  }
  const ageMs = evidence.ageMs ?? 0;
  if (check.maxAgeMs !== undefined && ageMs > check.maxAgeMs) {
    return { status: 'fail', detail: `${check.path} is ${formatDuration(ageMs)} old, older than ${formatDuration(check.maxAgeMs)}`, evidence };
  }
  if (pattern && !pattern.test(text)) return { status: 'fail', detail: `${check.path} does not match ${patternText(pattern)}`, evidence };
  if (check.json) {
    const judged = judgeJson(text, check.json, 'report');
    return { status: judged.holds ? 'pass' : 'fail', detail: `${check.path}: ${judged.detail}`, evidence: { ...evidence, ...judged.evidence } };
  }
  return { status: 'pass', detail: `${check.path} present, ${formatDuration(ageMs)} old`, evidence };
}
