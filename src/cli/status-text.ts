import type { StatusSnapshot } from '../runtime/status-snapshot';

export interface StatusTextOptions {
  ascii: boolean;
  color: boolean;
}

const COLOR_CODES = { red: 31, yellow: 33, green: 32, dim: 2 } as const;

/** Plain-text rendering of the headless snapshot: what the morning checklist printed, in one place. */
export function formatStatusText(snapshot: StatusSnapshot, options: StatusTextOptions): string {
  const paint = (text: string, color: keyof typeof COLOR_CODES): string =>
    options.color ? `\u001b[${COLOR_CODES[color]}m${text}\u001b[0m` : text;
  const lines: string[] = [];
  for (const engine of snapshot.engines) {
    const state = engine.state === 'connected' ? paint('connected', 'green') : paint(engine.state, 'red');
    lines.push(`engine ${engine.label} (${engine.endpoint}): ${state}${engine.version ? ` docker ${engine.version}` : ''}${engine.error ? ` - ${engine.error}` : ''}`);
  }
  lines.push('', 'SERVICES');
  for (const service of snapshot.services) {
    for (const container of service.containers) {
      const health = container.health === 'none' ? '' : container.health;
      const state = container.state === 'running' && container.health !== 'unhealthy' ? container.state : paint(container.state, 'red');
      lines.push(
        [
          pad(service.project, 16),
          pad(service.service, 18),
          pad(container.name, 24),
          pad(state, 11 + (state.length - container.state.length)),
          pad(health, 10),
          `${container.restartCount} restarts`.padStart(11),
          container.stats ? `cpu ${container.stats.cpuPercent.toFixed(1)}%`.padStart(11) : ''.padStart(11),
          container.stats ? `mem ${container.stats.memoryPercent.toFixed(1)}%`.padStart(10) : '',
        ].join(' '),
      );
    }
  }
  if (snapshot.host) {
    const host = snapshot.host;
    lines.push('', 'HOST', `cpu ${host.cpuPercent.toFixed(1)}%  load ${host.load1.toFixed(2)} ${host.load5.toFixed(2)} ${host.load15.toFixed(2)}  memory ${host.memoryUsedPercent.toFixed(1)}% of ${gibibytes(host.memoryTotalBytes)}`);
    for (const disk of host.disks) {
      lines.push(disk.error ? `disk ${disk.path}: ${disk.error}` : `disk ${disk.path} ${disk.usedPercent.toFixed(1)}% of ${gibibytes(disk.totalBytes)} (${disk.role})`);
    }
  }
  lines.push('', `ALERTS (${snapshot.alerts.length})`);
  for (const alert of snapshot.alerts) lines.push(`${paint(alert.severity.padEnd(8), alert.severity === 'critical' ? 'red' : 'yellow')} ${alert.kind.padEnd(11)} ${alert.message}`);
  lines.push('', 'GATES');
  for (const gate of snapshot.gates) {
    const mark = gate.status === 'pass' ? paint(options.ascii ? 'ok  ' : '✓   ', 'green') : gate.status === 'fail' ? paint(options.ascii ? 'FAIL' : '✗   ', 'red') : '?   ';
    lines.push(`${mark} ${pad(gate.title, 34)} ${gate.detail}`);
  }
  lines.push('', `RECENT ERRORS (${snapshot.errorLineCount} lines, ${snapshot.errors.length} fingerprints)`);
  for (const error of snapshot.errors.slice(0, 20)) {
    lines.push(`${String(error.count).padStart(6)}x ${pad(error.serviceKeys.map(shortService).join(','), 24)} ${error.fingerprint.slice(0, 100)}`);
  }
  return `${lines.join('\n')}\n`;
}

function pad(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}${'.'}` : text.padEnd(width);
}

function shortService(serviceKey: string): string {
  return serviceKey.split('/').slice(-1)[0] ?? serviceKey;
}

function gibibytes(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}
