// Parsers for the Linux /proc files the host sampler reads. Text in, numbers out.

export interface CpuTimes {
  /** Jiffies spent doing work (everything but idle and iowait). */
  busy: number;
  /** All jiffies (user … steal; guest time is already part of user/nice). */
  total: number;
}

export interface ProcStat {
  /** The aggregate "cpu" line. */
  aggregate: CpuTimes;
  /** Number of "cpuN" lines, i.e. online CPUs. */
  cpuCount: number;
}

/** Parses /proc/stat. Throws when the aggregate cpu line is missing. */
export function parseProcStat(text: string): ProcStat {
  let aggregate: CpuTimes | undefined;
  let cpuCount = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('cpu')) continue;
    const [label, ...fields] = line.trim().split(/\s+/);
    if (label === 'cpu') {
      aggregate = cpuTimesFromFields(fields.map(Number));
    } else if (label !== undefined && /^cpu\d+$/.test(label)) {
      cpuCount += 1;
    }
  }
  if (!aggregate) throw new Error('no aggregate "cpu" line in /proc/stat');
  return { aggregate, cpuCount };
}

function cpuTimesFromFields(fields: number[]): CpuTimes {
  // user nice system idle iowait irq softirq steal guest guest_nice
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields.map((value) =>
    Number.isFinite(value) ? value : 0,
  );
  const total = user + nice + system + idle + iowait + irq + softirq + steal;
  return { busy: total - idle - iowait, total };
}

/** CPU % between two readings of the aggregate line (0-100, all CPUs together). */
export function cpuPercentBetween(previous: CpuTimes, current: CpuTimes): number {
  const totalDelta = current.total - previous.total;
  const busyDelta = current.busy - previous.busy;
  if (totalDelta <= 0 || busyDelta < 0) return 0;
  return Math.min(100, (busyDelta / totalDelta) * 100);
}

export interface LoadAverage {
  load1: number;
  load5: number;
  load15: number;
}

/** Parses /proc/loadavg ("0.11 0.14 0.06 2/83 3790"). Throws on malformed text. */
export function parseLoadAverage(text: string): LoadAverage {
  const [load1, load5, load15] = text.trim().split(/\s+/).slice(0, 3).map(Number);
  if (load1 === undefined || load5 === undefined || load15 === undefined || [load1, load5, load15].some(Number.isNaN)) {
    throw new Error(`malformed /proc/loadavg: ${JSON.stringify(text.slice(0, 80))}`);
  }
  return { load1, load5, load15 };
}

export interface MemoryInfo {
  totalBytes: number;
  availableBytes: number;
}

/**
 * Parses /proc/meminfo (values in kB). Uses MemAvailable; kernels older than
 * 3.14 lack it, so it falls back to MemFree + Buffers + Cached there.
 */
export function parseMemoryInfo(text: string): MemoryInfo {
  const kilobytes = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^(\w+(?:\(\w+\))?):\s+(\d+)/.exec(line);
    if (match) kilobytes.set(match[1] ?? '', Number(match[2]));
  }
  const total = kilobytes.get('MemTotal');
  if (total === undefined) throw new Error('no MemTotal in /proc/meminfo');
  const available =
    kilobytes.get('MemAvailable') ?? (kilobytes.get('MemFree') ?? 0) + (kilobytes.get('Buffers') ?? 0) + (kilobytes.get('Cached') ?? 0);
  return { totalBytes: total * 1024, availableBytes: Math.min(total, available) * 1024 };
}

/** (total - available) / total, as a percent; 0 when total is 0. */
export function memoryUsedPercent(memory: MemoryInfo): number {
  if (memory.totalBytes <= 0) return 0;
  return ((memory.totalBytes - memory.availableBytes) / memory.totalBytes) * 100;
}
