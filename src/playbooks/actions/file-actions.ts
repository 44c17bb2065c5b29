// files.prune: deletes old files (logs, backups) matching a glob in one directory, keeping the
// newest `keep`. Each deletion is one `unlink <path>` through the host commands, so the dry
// run lists exactly those calls and read-only mode refuses them where commands are refused.

import { resolve } from 'node:path';
import { z } from 'zod';
import { ReadOnlyError } from '../../adapters/capabilities';
import { formatDuration } from '../../domain/duration';
import type { ActionCall } from '../../domain/engine-action';
import type { ActionContext, StepOutcome } from './action-registry';
import { filesMatching, type MatchingFile } from './archive-files';
import { defineAction } from './define-action';
import { failedOutcome, messageOf } from './engine-steps';
import { durationParam, nameParam, positiveIntegerParam } from './param-types';

const params = z.strictObject({
  directory: z.string().min(1),
  pattern: nameParam.refine((glob) => !glob.includes('/'), 'a file-name glob, without directories'),
  olderThan: durationParam,
  keep: positiveIntegerParam.default(0),
});
type PruneValues = z.output<typeof params>;

/** The files that would go: matching, not among the newest `keep`, older than `olderThan`. */
function doomed(values: PruneValues, context: ActionContext): MatchingFile[] {
  const now = context.now();
  return filesMatching(resolve(values.directory), values.pattern)
    .slice(values.keep)
    .filter((file) => now - file.mtimeMs > values.olderThan);
}

function unlinkCall(file: MatchingFile): ActionCall {
  return { type: 'argv', argv: ['unlink', file.path] };
}

const filesPrune = defineAction({
  name: 'files.prune',
  summary: 'Delete files matching a glob older than `olderThan` in a directory, keeping the newest `keep`',
  params,
  mutates: () => true,
  describe(values, context) {
    try {
      return doomed(values, context).map(unlinkCall);
    } catch {
      return [];
    }
  },
  async run(values, context) {
    let files: MatchingFile[];
    try {
      files = doomed(values, context);
    } catch (error) {
      return failedOutcome(`cannot list ${values.directory}: ${messageOf(error)}`);
    }
    const calls = files.map(unlinkCall);
    if (files.length === 0) return { status: 'passed', calls, stdout: `nothing older than ${formatDuration(values.olderThan)} matches ${values.pattern}`, data: { deleted: [] } };
    if (context.dryRun) return { status: 'would-do', calls };
    const deleted: string[] = [];
    const lines: string[] = [];
    const now = context.now();
    for (const file of files) {
      try {
        const result = await context.host.run(['unlink', file.path], { mutates: true, timeoutMs: context.timeoutMs, signal: context.signal });
        if (result.exitCode !== 0) return done('failed', `unlink ${file.path}: ${result.stderr || `exit code ${result.exitCode}`}`);
      } catch (error) {
        return done(error instanceof ReadOnlyError ? 'refused' : 'failed', messageOf(error));
      }
      deleted.push(file.path);
      lines.push(`deleted ${file.path} (${formatDuration(now - file.mtimeMs)} old, ${file.bytes} bytes)`);
      context.onOutput('info', lines[lines.length - 1] ?? '');
    }
    return done('passed');

    function done(status: StepOutcome['status'], error?: string): StepOutcome {
      const outcome: StepOutcome = { status, calls: calls.slice(0, deleted.length + (status === 'passed' ? 0 : 1)), stdout: lines.join('\n'), data: { deleted } };
      return error === undefined ? outcome : { ...outcome, error };
    }
  },
  async observe(values, context) {
    let left: MatchingFile[];
    try {
      left = doomed(values, context);
    } catch (error) {
      return { verdict: 'unknown', detail: `cannot list ${values.directory}: ${messageOf(error)}` };
    }
    if (left.length === 0) return { verdict: 'happened', detail: `no file matching ${values.pattern} older than ${formatDuration(values.olderThan)} is left in ${values.directory}` };
    // Running again deletes only what is still there.
    return { verdict: 'not-happened', detail: `${left.length} file${left.length === 1 ? '' : 's'} still to delete in ${values.directory}` };
  },
});

export const FILE_ACTIONS = [filesPrune];
