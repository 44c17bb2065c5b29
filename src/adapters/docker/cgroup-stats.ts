// CPU and memory of a container on this host, read straight from its cgroup instead of asking the
// engine (each engine stats call costs the daemon a containerd round trip, and CPU % needs two).
// The counters are the ones the daemon reads itself (cgroup v1: cpuacct.usage, memory.usage_in_bytes,
// memory.limit_in_bytes, memory.stat; v2: cpu.stat usage_usec, memory.current, memory.max,
// memory.stat), and the system CPU time is /proc/stat summed the daemon's way, so a reading
// becomes the same stats payload the engine would answer and goes through the same formulas
// (stats-payload.ts). Anything not readable here (a remote engine, another pid namespace, a
// layout this does not know) locates nothing, and the caller asks the engine.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DockerStatsPayload } from './stats-payload';

/** Where one container's counters are. */
export interface CgroupLocation {
  version: 1 | 2;
  /** v1: the cpuacct directory; v2: the container's one directory. */
  cpuDirectory: string;
  /** v1: the memory directory; v2: the same directory as cpuDirectory. */
  memoryDirectory: string;
}

/** A container's memory counters. */
interface MemoryReading {
  memoryUsageBytes: number;
  /** The cgroup's limit; Infinity for v2's "max". */
  memoryLimitBytes: number;
  /** The page cache counters of memory.stat. */
  memoryCounters: Record<string, number>;
}

export interface CgroupPaths {
  /** Where /proc is; tests point it at fixture files. Default "/proc". */
  procRoot?: string;
  /** How the counter files are read; default readFileSync (the live sampler keeps them open). */
  readText?: ReadText;
}

/** Reads a whole (small) file as text; throws when it cannot. */
export type ReadText = (file: string) => string;

const readUtf8: ReadText = (file) => readFileSync(file, 'utf8');

interface CgroupMount {
  version: 1 | 2;
  /** The hierarchy's path that is mounted (not "/" for a bind mount of a sub-tree). */
  root: string;
  mountPoint: string;
  /** v1: the controllers of the hierarchy (cpu, cpuacct, memory, name=systemd...). */
  controllers: string[];
}

/** The daemon counts clock ticks at USER_HZ, which Linux fixes at 100 for user space. */
const CLOCK_TICKS_PER_SECOND = 100;
const NANOSECONDS_PER_SECOND = 1e9;

/** The cgroup mounts of /proc/self/mountinfo. */
export function parseCgroupMounts(mountInfo: string): CgroupMount[] {
  const mounts: CgroupMount[] = [];
  for (const line of mountInfo.split('\n')) {
    const separator = line.indexOf(' - ');
    if (separator < 0) continue;
    const fields = line.slice(0, separator).split(' ');
    const [fileSystem, , superOptions = ''] = line.slice(separator + 3).split(' ');
    const root = fields[3];
    const mountPoint = fields[4];
    if (root === undefined || mountPoint === undefined) continue;
    if (fileSystem === 'cgroup2') mounts.push({ version: 2, root: unescapeMountField(root), mountPoint: unescapeMountField(mountPoint), controllers: [] });
    else if (fileSystem === 'cgroup') {
      mounts.push({ version: 1, root: unescapeMountField(root), mountPoint: unescapeMountField(mountPoint), controllers: superOptions.split(',') });
    }
  }
  return mounts;
}

/** mountinfo writes space, tab, newline and backslash as octal escapes (\040). */
function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_match, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** /proc/PID/cgroup: hierarchy id, controllers (empty for v2), path. */
export function parseProcessCgroups(text: string): Array<{ controllers: string[]; path: string }> {
  const entries: Array<{ controllers: string[]; path: string }> = [];
  for (const line of text.split('\n')) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const controllers = line.slice(first + 1, second);
    entries.push({ controllers: controllers === '' ? [] : controllers.split(','), path: line.slice(second + 1) });
  }
  return entries;
}

/** The directory of `cgroupPath` under a mount, when the mount shows it. */
function directoryUnder(mount: CgroupMount, cgroupPath: string): string | undefined {
  const root = mount.root === '/' ? '' : mount.root;
  if (root !== '' && cgroupPath !== root && !cgroupPath.startsWith(`${root}/`)) return undefined;
  return path.join(mount.mountPoint, cgroupPath.slice(root.length));
}

/** Containers' cgroups on this host: where they are, and their CPU counters read all together. */
export interface CgroupReader {
  locate(pid: number | undefined, containerId: string): CgroupLocation | undefined;
  /** With the previous pass, the counters of containers whose parent cgroup used no CPU since are carried over unread. */
  readCpuPass<Key>(located: ReadonlyMap<Key, CgroupLocation>, previous?: CpuPass<Key>): CpuPass<Key>;
}

/**
 * Finds the cgroup of a container from its main process (`State.Pid` of the inspect): where
 * the process is, in whichever layout the engine chose (cgroupfs `/docker/<id>`, systemd
 * `docker-<id>.scope`, a `--cgroup-parent`). The path must name the container's id, which
 * also rules out a pid of another pid namespace (an engine in a VM); its counters must be
 * readable (the first reading tells). Anything else: undefined. The mount table is read once, on the first call.
 */
export function createCgroupReader(paths: CgroupPaths = {}): CgroupReader {
  const procRoot = paths.procRoot ?? '/proc';
  let mounts: CgroupMount[] | undefined;
  const locate = (pid: number | undefined, containerId: string): CgroupLocation | undefined => {
    if (pid === undefined || !Number.isInteger(pid) || pid <= 0 || containerId.length < 12) return undefined;
    let entries: ReturnType<typeof parseProcessCgroups>;
    try {
      mounts ??= parseCgroupMounts(readFileSync(path.join(procRoot, 'self', 'mountinfo'), 'utf8'));
      entries = parseProcessCgroups(readFileSync(path.join(procRoot, String(pid), 'cgroup'), 'utf8'));
    } catch {
      mounts ??= [];
      return undefined;
    }
    const location = v1Location(entries, mounts) ?? v2Location(entries, mounts);
    if (!location || !location.cpuDirectory.includes(containerId) || !location.memoryDirectory.includes(containerId)) return undefined;
    return location;
  };
  return { locate, readCpuPass: (located, previous) => readCpuPass(located, procRoot, paths.readText ?? readUtf8, previous) };
}

function v1Location(entries: ReturnType<typeof parseProcessCgroups>, mounts: CgroupMount[]): CgroupLocation | undefined {
  const directoryOf = (controller: string): string | undefined => {
    const entry = entries.find((candidate) => candidate.controllers.includes(controller));
    if (!entry) return undefined;
    for (const mount of mounts) {
      if (mount.version !== 1 || !mount.controllers.includes(controller)) continue;
      const directory = directoryUnder(mount, entry.path);
      if (directory) return directory;
    }
    return undefined;
  };
  const cpuDirectory = directoryOf('cpuacct');
  const memoryDirectory = directoryOf('memory');
  return cpuDirectory && memoryDirectory ? { version: 1, cpuDirectory, memoryDirectory } : undefined;
}

function v2Location(entries: ReturnType<typeof parseProcessCgroups>, mounts: CgroupMount[]): CgroupLocation | undefined {
  const entry = entries.find((candidate) => candidate.controllers.length === 0);
  if (!entry) return undefined;
  for (const mount of mounts) {
    if (mount.version !== 2) continue;
    const directory = directoryUnder(mount, entry.path);
    if (directory) return { version: 2, cpuDirectory: directory, memoryDirectory: directory };
  }
  return undefined;
}

// The directories are path.join's (normalised): a file in them is a concatenation, read every second.

/** One counter of a flat-keyed file ("key value" lines: memory.stat, cpu.stat). */
function counterOf(text: string, name: string): number | undefined {
  let start: number;
  if (text.startsWith(`${name} `)) start = name.length + 1;
  else {
    const at = text.indexOf(`\n${name} `);
    if (at < 0) return undefined;
    start = at + name.length + 2;
  }
  const end = text.indexOf('\n', start);
  const value = Number(text.slice(start, end < 0 ? undefined : end));
  return Number.isFinite(value) ? value : undefined;
}

function readNumber(file: string, read: ReadText): number {
  const text = read(file).trim();
  if (text === 'max') return Infinity;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new Error(`unreadable counter in ${file}: ${text.slice(0, 40)}`);
  return value;
}

function readCpuUsage(location: CgroupLocation, read: ReadText): number {
  if (location.version === 1) return readNumber(`${location.cpuDirectory}/cpuacct.usage`, read);
  const usageMicroseconds = counterOf(read(`${location.cpuDirectory}/cpu.stat`), 'usage_usec');
  if (usageMicroseconds === undefined) throw new Error(`no usage_usec in ${location.cpuDirectory}/cpu.stat`);
  return usageMicroseconds * 1000;
}

/** The page cache counters the usage shown is taken without (stats-payload.ts), as the daemon names them. */
const MEMORY_COUNTERS = ['total_inactive_file', 'inactive_file'];

function readMemory(location: CgroupLocation, read: ReadText): MemoryReading {
  const memoryStat = read(`${location.memoryDirectory}/memory.stat`);
  const memoryCounters: Record<string, number> = {};
  for (const name of MEMORY_COUNTERS) {
    const value = counterOf(memoryStat, name);
    if (value !== undefined) memoryCounters[name] = value;
  }
  const [usageFile, limitFile] = location.version === 1 ? ['memory.usage_in_bytes', 'memory.limit_in_bytes'] : ['memory.current', 'memory.max'];
  return {
    memoryUsageBytes: readNumber(`${location.memoryDirectory}/${usageFile}`, read),
    memoryLimitBytes: readNumber(`${location.memoryDirectory}/${limitFile}`, read),
    memoryCounters,
  };
}

/** The daemon's system CPU time (user..softirq of the cpu line, no steal) and the cpuN lines. */
export function parseSystemCpu(procStat: string): { systemCpuNanoseconds: number; onlineCpus: number } {
  let ticks: number | undefined;
  let onlineCpus = 0;
  for (const line of procStat.split('\n')) {
    if (!line.startsWith('cpu')) continue;
    const fields = line.trim().split(/\s+/);
    if (fields[0] === 'cpu') {
      if (fields.length < 8) throw new Error('invalid number of cpu fields in /proc/stat');
      ticks = fields.slice(1, 8).reduce((sum, field) => sum + Number(field), 0);
    } else if (/^cpu\d+$/.test(fields[0] ?? '')) onlineCpus += 1;
  }
  if (ticks === undefined || !Number.isFinite(ticks)) throw new Error('no aggregate "cpu" line in /proc/stat');
  return { systemCpuNanoseconds: (ticks * NANOSECONDS_PER_SECOND) / CLOCK_TICKS_PER_SECOND, onlineCpus };
}

/** The CPU counters of every located container, the system CPU time read once just before them. */
export interface CpuPass<Key> {
  systemCpuNanoseconds: number;
  onlineCpus: number;
  cpuUsageNanoseconds: Map<Key, number>;
  /** The CPU counter of each container's parent cgroup (the directory above its own), read before the containers'. */
  parentUsageNanoseconds: Map<string, number>;
}

/**
 * The CPU counters of every located container: synchronous, so nothing runs in between
 * and each container's offset from the system reading stays the same from one pass to the
 * next. A container whose counters cannot be read (it stopped, a cgroup this cannot read) is
 * left out.
 *
 * With the previous pass: a parent cgroup's counter is the CPU time charged to everything under
 * it, charged to it at the moment it is charged to the child, and it only grows. When it has not
 * moved since the previous pass, nothing under it ran since the parent was read then, so no
 * child's counter moved either, including between the parent's reading and the child's:
 * the previous values are this pass's values, without reading a file per container (200 idle
 * containers under /docker are then one read a second instead of 200).
 */
function readCpuPass<Key>(located: ReadonlyMap<Key, CgroupLocation>, procRoot: string, read: ReadText, previous?: CpuPass<Key>): CpuPass<Key> {
  const system = parseSystemCpu(read(path.join(procRoot, 'stat')));
  const cpuUsageNanoseconds = new Map<Key, number>();
  const parentUsageNanoseconds = new Map<string, number>();
  const parentStill = new Map<string, boolean>();
  for (const [key, location] of located) {
    const parent = parentOf(location);
    let still = parentStill.get(parent);
    if (still === undefined) {
      let usage: number | undefined;
      try {
        usage = readCpuUsage({ ...location, cpuDirectory: parent }, read);
        parentUsageNanoseconds.set(parent, usage);
      } catch {
        // not readable (a layout without one): each container is read
      }
      still = usage !== undefined && previous?.parentUsageNanoseconds.get(parent) === usage;
      parentStill.set(parent, still);
    }
    const carried = still ? previous?.cpuUsageNanoseconds.get(key) : undefined;
    if (carried !== undefined) {
      cpuUsageNanoseconds.set(key, carried);
      continue;
    }
    try {
      cpuUsageNanoseconds.set(key, readCpuUsage(location, read));
    } catch {
      // stopped in between
    }
  }
  return { ...system, cpuUsageNanoseconds, parentUsageNanoseconds };
}

/** The cgroup directory above a container's CPU directory; the path is normalised (path.join), so this is the parent. */
function parentOf(location: CgroupLocation): string {
  let parent = parents.get(location);
  if (parent === undefined) {
    parent = path.dirname(location.cpuDirectory);
    parents.set(location, parent);
  }
  return parent;
}
const parents = new WeakMap<CgroupLocation, string>();

/**
 * Two CPU passes and the memory counters read after the second, as the payload the engine
 * would have answered for the same interval: the daemon substitutes the host's memory for a
 * limit above it (no limit), so does this. Undefined when the container is gone.
 */
export function readPayload<Key>(
  key: Key,
  location: CgroupLocation,
  previous: CpuPass<Key>,
  current: CpuPass<Key>,
  machineMemoryBytes: number | undefined,
  read: ReadText = readUtf8,
): DockerStatsPayload | undefined {
  const before = previous.cpuUsageNanoseconds.get(key);
  const after = current.cpuUsageNanoseconds.get(key);
  if (before === undefined || after === undefined) return undefined;
  let memory: ReturnType<typeof readMemory>;
  try {
    memory = readMemory(location, read);
  } catch {
    return undefined;
  }
  const limit = machineMemoryBytes !== undefined && machineMemoryBytes > 0 && memory.memoryLimitBytes > machineMemoryBytes ? machineMemoryBytes : memory.memoryLimitBytes;
  return {
    cpu_stats: { cpu_usage: { total_usage: after }, system_cpu_usage: current.systemCpuNanoseconds, online_cpus: current.onlineCpus },
    precpu_stats: { cpu_usage: { total_usage: before }, system_cpu_usage: previous.systemCpuNanoseconds, online_cpus: previous.onlineCpus },
    memory_stats: { usage: memory.memoryUsageBytes, limit: Number.isFinite(limit) ? limit : 0, stats: memory.memoryCounters },
  };
}
