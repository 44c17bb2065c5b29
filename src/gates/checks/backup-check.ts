// `backup` gates: the newest file (by mtime) matching a glob — wildcards (`*`, `?`, `[abc]`) in
// the file name, as archive.verify and files.prune match theirs — judged by its age and size.

import { basename, dirname } from 'node:path';
import { formatDuration } from '../../domain/duration';
import { filesMatching, type MatchingFile } from '../../playbooks/actions/archive-files';
import { formatBytes } from '../../domain/byte-size';
import type { BackupCheck, GateChecker, GateEvidence } from '../gate-types';
import { errorText, guarded, unknownOutcome } from './check-support';

const WILDCARD = /[*?[]/;

export function createBackupChecker(): GateChecker<BackupCheck> {
  return {
    type: 'backup',
    run: (check, context) =>
      guarded(context.signal, () => {
        const directory = dirname(check.glob);
        const pattern = basename(check.glob);
        if (WILDCARD.test(directory)) return Promise.resolve(unknownOutcome(`${check.glob}: wildcards are matched in the file name only, not in ${directory}`));
        let files: MatchingFile[];
        try {
          files = filesMatching(directory, pattern);
        } catch (error) {
          const message = `cannot list ${directory}: ${errorText(error)}`;
          return Promise.resolve({ status: 'fail', detail: message, evidence: { error: message } });
        }
        const [newest] = files;
        if (!newest) return Promise.resolve({ status: 'fail', detail: `no backup matches ${check.glob}`, evidence: { error: `no file matches ${pattern} in ${directory}` } });
        const ageMs = Math.max(0, context.now() - newest.mtimeMs);
        const evidence: GateEvidence = { file: newest.path, ageMs, sizeBytes: newest.bytes };
        const described = `${newest.name} is ${formatDuration(ageMs)} old, ${formatBytes(newest.bytes)}`;
        if (ageMs > check.maxAgeMs) {
          return Promise.resolve({ status: 'fail', detail: `newest backup ${described}: older than ${formatDuration(check.maxAgeMs)}`, evidence });
        }
        if (check.minimumBytes !== undefined && newest.bytes < check.minimumBytes) {
          return Promise.resolve({ status: 'fail', detail: `newest backup ${described}: smaller than ${formatBytes(check.minimumBytes)}`, evidence });
        }
        return Promise.resolve({ status: 'pass', detail: `newest backup ${described}`, evidence });
      }),
  };
}
