import { parseRefKey } from '../domain/resource-ref';
import type { StatusSnapshot } from '../runtime/status-snapshot';
import { errorMessageOf } from '../store/selectors/error-rows';
import { hasMemoryLimit } from '../store/selectors/resource-rows';
import { gateGlyph, glyphsFor } from '../../views/format/glyphs';
import { formatBytes, formatLoad, formatPercent } from '../../views/format/numbers';
import { fitText } from '../../views/format/text';

export interface StatusTextOptions {
  ascii: boolean;
  color: boolean;
}

const COLOR_CODES = { red: 31, yellow: 33, green: 32, dim: 2 } as const;

/** Plain-text rendering of the headless snapshot: what the morning checklist printed, in one place. */
export function formatStatusText(snapshot: StatusSnapshot, options: StatusTextOptions): string {
  const paint = (text: string, color: keyof typeof COLOR_CODES): string =>
    options.color ? `\u001b[${COLOR_CODES[color]}m${text}\u001b[0m` : text;
  const glyphs = glyphsFor(options.ascii);
  const pad = (text: string, width: number): string => fitText(text, width, 'left', glyphs.ellipsis);
  const lines: string[] = [];
  for (const engine of snapshot.engines) {
    const state = engine.state === 'connected' ? paint('connected', 'green') : paint(engine.state, 'red');
    // A Kubernetes engine says which context and namespace it is.
    const scope = engine.kind === 'kubernetes' ? `, context ${engine.context ?? engine.label}, ${engine.namespace !== undefined ? `namespace ${engine.namespace}` : 'all namespaces'}` : '';
    lines.push(`engine ${engine.label} (${engine.endpoint}${scope}): ${state}${engine.version ? ` ${engine.kind} ${engine.version}` : ''}${engine.error ? ` - ${engine.error}` : ''}`);
  }
  lines.push('', 'SERVICES');
  // With several engines every row says which one it is on.
  const engineWidth = snapshot.engines.length > 1 ? Math.min(16, Math.max(...snapshot.engines.map((engine) => engine.id.length))) : 0;
  for (const service of snapshot.services) {
    for (const container of service.containers) {
      const health = container.health === 'none' ? '' : container.health;
      const healthy = container.phase === 'running' && container.health !== 'unhealthy';
      const state = healthy ? pad(container.state, 11) : paint(pad(container.state, 11), 'red');
      lines.push(
        [
          ...(engineWidth > 0 ? [pad(service.engine, engineWidth)] : []),
          pad(service.project, 16),
          pad(service.service, 18),
          pad(container.name, 24),
          state,
          pad(health, 10),
          `${container.restartCount} restarts`.padStart(11),
          container.stats ? `cpu ${formatPercent(container.stats.cpuPercent)}`.padStart(9) : ''.padStart(9),
          container.stats
            ? hasMemoryLimit(container.stats)
              ? `mem ${formatPercent(container.stats.memoryPercent)} (${formatBytes(container.stats.memoryUsageBytes)} of ${formatBytes(container.stats.memoryLimitBytes)})`
              : `mem ${formatBytes(container.stats.memoryUsageBytes)} (no limit)`
            : '',
        ].join(' '),
      );
    }
  }
  if (snapshot.host) {
    const host = snapshot.host;
    const load = [host.load1, host.load5, host.load15].map(formatLoad).join(' ');
    lines.push('', 'HOST', `cpu ${formatPercent(host.cpuPercent)}  load ${load}  memory ${formatPercent(host.memoryUsedPercent)} of ${formatBytes(host.memoryTotalBytes)}`);
    for (const disk of host.disks) {
      lines.push(disk.error ? `disk ${disk.path}: ${disk.error}` : `disk ${disk.path} ${formatPercent(disk.usedPercent)} of ${formatBytes(disk.totalBytes)} (${disk.role})`);
    }
  }
  lines.push('', `ALERTS (${snapshot.alerts.length})`);
  for (const alert of snapshot.alerts) lines.push(`${paint(alert.severity.padEnd(8), alert.severity === 'critical' ? 'red' : 'yellow')} ${alert.kind.padEnd(11)} ${alert.message}`);
  lines.push('', 'GATES');
  for (const gate of snapshot.gates) {
    const glyph = gateGlyph(gate.status, glyphs);
    const mark = gate.status === 'pass' ? paint(glyph, 'green') : gate.status === 'fail' ? paint(glyph, 'red') : glyph;
    lines.push(`${mark} ${pad(gate.title, 34)} ${gate.detail}`);
  }
  for (const invalid of snapshot.invalidGates ?? []) lines.push(`${paint(glyphs.gateFail, 'red')} ${pad(`${invalid.id} (invalid)`, 34)} ${invalid.message}`);
  lines.push('', `RECENT ERRORS (${snapshot.errorLineCount} lines, ${snapshot.errors.length} fingerprints)`);
  for (const error of snapshot.errors.slice(0, 20)) {
    lines.push(`${String(error.count).padStart(6)}${glyphs.times} ${pad(error.workloadKeys.map(workloadNameOf).join(','), 24)} ${pad(errorMessageOf(error.fingerprint), 100).trimEnd()}`);
  }
  return `${lines.join('\n')}\n`;
}

function workloadNameOf(workloadKey: string): string {
  return parseRefKey(workloadKey)?.name ?? workloadKey;
}
