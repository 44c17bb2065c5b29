// `disk` gates: statfs on a path, used percent as df computes it (used / (used + available to
// unprivileged users)), warning and failing at the gate's percentages.

import { statfs } from 'node:fs/promises';
import { formatBytes } from '../../domain/byte-size';
import type { DiskCheck, GateChecker } from '../gate-types';
import { errorText, guarded } from './check-support';

export function createDiskChecker(): GateChecker<DiskCheck> {
  return {
    type: 'disk',
    run: (check, context) =>
      guarded(context.signal, async () => {
        let used: number;
        let available: number;
        try {
          const stats = await statfs(check.path);
          used = (stats.blocks - stats.bfree) * stats.bsize;
          available = stats.bavail * stats.bsize;
        } catch (error) {
          const message = `cannot read the file system of ${check.path}: ${errorText(error)}`;
          return { status: 'unknown', detail: message, evidence: { error: message } };
        }
        const percent = used + available === 0 ? 0 : (used / (used + available)) * 100;
        const shown = `${percent.toFixed(1)}%`;
        const evidence = { value: shown, comparison: `warn >= ${check.warningPercent}%, fail >= ${check.criticalPercent}%`, sizeBytes: used + available };
        const line = `${check.path}: ${shown} used, ${formatBytes(available)} free`;
        if (percent >= check.criticalPercent) return { status: 'fail', detail: `${line} (critical at ${check.criticalPercent}%)`, evidence };
        if (percent >= check.warningPercent) return { status: 'warn', detail: `${line} (warning at ${check.warningPercent}%)`, evidence };
        return { status: 'pass', detail: line, evidence };
      }),
  };
}
