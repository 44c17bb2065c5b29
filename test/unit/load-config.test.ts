import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, DEFAULT_CONFIG, loadConfig, parseConfigText } from '../../src/config/load-config';

let workDirectory: string;
let homeDirectory: string;

beforeEach(async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'opsdeck-config-'));
  workDirectory = path.join(root, 'work');
  homeDirectory = path.join(root, 'home');
  await fs.mkdir(workDirectory);
  await fs.mkdir(homeDirectory);
});

afterEach(async () => {
  await fs.rm(path.dirname(workDirectory), { recursive: true, force: true });
});

/** A clean environment: no DOCKER_HOST, no OPSDECK_CONFIG, an empty home. */
function environment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { HOME: homeDirectory, ...extra };
}

async function writeFile(relativePath: string, text: string): Promise<string> {
  const file = path.isAbsolute(relativePath) ? relativePath : path.join(workDirectory, relativePath);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, text);
  return file;
}

/** The ConfigError thrown for a config text, as the operator sees it. */
async function errorFor(text: string): Promise<ConfigError> {
  try {
    await parseConfigText(text, { fileName: 'opsdeck.yaml' });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig: finding the file', () => {
  it('runs on defaults without a file', async () => {
    const { config, source } = await loadConfig({ cwd: workDirectory, env: environment() });
    expect(source).toBeUndefined();
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(config.engines).toEqual([{ name: 'local', type: 'docker', host: 'unix:///var/run/docker.sock' }]);
  });

  it('takes the default engine from DOCKER_HOST, and --docker-host over it', async () => {
    const fromEnvironment = await loadConfig({ cwd: workDirectory, env: environment({ DOCKER_HOST: 'tcp://10.0.0.5:2375' }) });
    expect(fromEnvironment.config.engines[0]?.host).toBe('tcp://10.0.0.5:2375');
    const fromFlag = await loadConfig({ cwd: workDirectory, env: environment({ DOCKER_HOST: 'tcp://10.0.0.5:2375' }), dockerHosts: ['ssh://ops@bastion'] });
    expect(fromFlag.config.engines[0]?.host).toBe('ssh://ops@bastion');
  });

  it('rejects a DOCKER_HOST with an unsupported scheme, naming the variable', async () => {
    await expect(loadConfig({ cwd: workDirectory, env: environment({ DOCKER_HOST: 'http://docker:2375' }) })).rejects.toThrow(
      'DOCKER_HOST: expected a unix://, tcp://, ssh:// or npipe:// URL, got "http://docker:2375"',
    );
  });

  it('reads ./opsdeck.yaml and merges it with the defaults', async () => {
    const file = await writeFile('opsdeck.yaml', 'thresholds:\n  cpu:\n    warning: 60\nlogs:\n  since: 2h30m\n');
    const { config, source } = await loadConfig({ cwd: workDirectory, env: environment() });
    expect(source).toBe(file);
    expect(config.thresholds.cpu).toEqual({ warning: 60, critical: 80 });
    expect(config.thresholds.memory).toEqual(DEFAULT_CONFIG.thresholds.memory);
    expect(config.logs).toEqual({ since: '2h30m', sinceMs: 9_000_000, maxLineBytes: 4096, bufferLines: 2000 });
    expect(config.engines).toEqual(DEFAULT_CONFIG.engines);
  });

  it('prefers an explicit path, then OPSDECK_CONFIG, then ./opsdeck.yaml, then XDG, then ~/.config', async () => {
    const home = await writeFile(path.join(homeDirectory, '.config/opsdeck/opsdeck.yaml'), 'logs: { bufferLines: 100 }\n');
    expect((await loadConfig({ cwd: workDirectory, env: environment() })).source).toBe(home);

    const xdgDirectory = path.join(homeDirectory, 'xdg');
    const xdg = await writeFile(path.join(xdgDirectory, 'opsdeck/opsdeck.yaml'), 'logs: { bufferLines: 200 }\n');
    expect((await loadConfig({ cwd: workDirectory, env: environment({ XDG_CONFIG_HOME: xdgDirectory }) })).source).toBe(xdg);

    const local = await writeFile('opsdeck.yaml', 'logs: { bufferLines: 300 }\n');
    expect((await loadConfig({ cwd: workDirectory, env: environment({ XDG_CONFIG_HOME: xdgDirectory }) })).source).toBe(local);

    const named = await writeFile('named.yaml', 'logs: { bufferLines: 400 }\n');
    const viaEnvironment = await loadConfig({ cwd: workDirectory, env: environment({ OPSDECK_CONFIG: named }) });
    expect(viaEnvironment.config.logs.bufferLines).toBe(400);

    const explicit = await writeFile('explicit.yaml', 'logs: { bufferLines: 500 }\n');
    const viaOption = await loadConfig({ path: 'explicit.yaml', cwd: workDirectory, env: environment({ OPSDECK_CONFIG: named }) });
    expect(viaOption).toEqual({ config: expect.objectContaining({ logs: expect.objectContaining({ bufferLines: 500 }) }), source: explicit });
  });

  it('fails when an explicitly named file is missing', async () => {
    await expect(loadConfig({ path: 'missing.yaml', cwd: workDirectory, env: environment() })).rejects.toThrow('missing.yaml: config file not found');
    await expect(loadConfig({ cwd: workDirectory, env: environment({ OPSDECK_CONFIG: '/nowhere/opsdeck.yaml' }) })).rejects.toThrow(
      '/nowhere/opsdeck.yaml: config file not found',
    );
  });

  it('names the file relative to the working directory in errors', async () => {
    await writeFile('conf/opsdeck.yaml', 'thresholds:\n  cpu:\n    warning: high\n');
    await expect(loadConfig({ path: 'conf/opsdeck.yaml', cwd: workDirectory, env: environment() })).rejects.toThrow(
      'conf/opsdeck.yaml:3:14: thresholds.cpu.warning: expected a number, got "high"',
    );
  });
});

describe('parseConfigText: a complete valid file', () => {
  it('resolves every section', async () => {
    const config = await parseConfigText(
      [
        'engines:',
        '  - name: local',
        '    type: docker',
        '    host: unix:///var/run/docker.sock',
        '  - name: edge',
        '    host: ssh://ops@edge.example.com',
        'thresholds:',
        '  cpu: { warning: 60, critical: 75 }',
        '  memory: { warning: 70, critical: 85 }',
        '  disk: { warning: 80, critical: 90 }',
        'errors:',
        '  extraPatterns: ["deadlock"]',
        '  maxFingerprints: 1000',
        'disk:',
        '  paths: ["/var/lib/docker", "/backups"]',
        'logs:',
        '  since: 30m',
        '  maxLineBytes: 8192',
        '  bufferLines: 5000',
      ].join('\n'),
      { fileName: 'opsdeck.yaml' },
    );
    expect(config).toEqual({
      engines: [
        { name: 'local', type: 'docker', host: 'unix:///var/run/docker.sock' },
        { name: 'edge', type: 'docker', host: 'ssh://ops@edge.example.com' },
      ],
      thresholds: { cpu: { warning: 60, critical: 75 }, memory: { warning: 70, critical: 85 }, disk: { warning: 80, critical: 90 } },
      errors: { patterns: [...DEFAULT_CONFIG.errors.patterns, 'deadlock'], maxFingerprints: 1000 },
      disk: { paths: ['/var/lib/docker', '/backups'] },
      logs: { since: '30m', sinceMs: 1_800_000, maxLineBytes: 8192, bufferLines: 5000 },
      kubernetes: { pendingThreshold: '5m', pendingThresholdMs: 300_000 },
      gates: { specs: [], invalid: [] },
      incident: DEFAULT_CONFIG.incident,
    });
  });

  it('reads how long a pod may be Pending before its gate fails', async () => {
    expect((await parseConfigText('kubernetes:\n  pendingThreshold: 90s\n', { fileName: 'opsdeck.yaml' })).kubernetes).toEqual({
      pendingThreshold: '90s',
      pendingThresholdMs: 90_000,
    });
  });

  it('replaces the default patterns with `patterns`', async () => {
    const config = await parseConfigText('errors:\n  patterns: ["ERR\\\\d+"]\n  extraPatterns: ["panic"]\n', { fileName: 'opsdeck.yaml' });
    expect(config.errors.patterns).toEqual(['ERR\\d+', 'panic']);
  });

  it('treats an empty file or empty sections as defaults', async () => {
    expect(await parseConfigText('', { fileName: 'opsdeck.yaml' })).toEqual(DEFAULT_CONFIG);
    expect(await parseConfigText('# nothing yet\nthresholds:\nlogs:\n  since:\n', { fileName: 'opsdeck.yaml' })).toEqual(DEFAULT_CONFIG);
  });
});

describe('ConfigError: one line with file, line, column and field', () => {
  it('reports a wrong type at the value', async () => {
    const error = await errorFor('# opsdeck\nengines:\n  - name: local\n    host: unix:///var/run/docker.sock\n\nthresholds:\n  cpu: { warning: high, critical: 80 }\n');
    expect(error.message).toBe('opsdeck.yaml:7:19: thresholds.cpu.warning: expected a number, got "high"');
    expect(error).toMatchObject({ file: 'opsdeck.yaml', line: 7, column: 19, field: 'thresholds.cpu.warning' });
    expect(error.message.includes('\n')).toBe(false);
  });

  it('reports an unknown key at the key, listing the valid ones', async () => {
    const error = await errorFor('thresholds:\n  cpu:\n    warning: 70\n  cpuu:\n    warning: 70\n');
    expect(error.message).toBe('opsdeck.yaml:4:3: thresholds.cpuu: unknown key (expected one of: cpu, memory, disk)');
  });

  it('reports an unknown top-level key', async () => {
    expect((await errorFor('logs:\n  since: 1h\ntreshold: 5\n')).message).toBe(
      'opsdeck.yaml:3:1: treshold: unknown key (expected one of: engines, thresholds, errors, disk, logs, kubernetes, gates, incident, prometheus, alertmanager)',
    );
  });

  it('reports a missing key at its parent', async () => {
    const error = await errorFor('engines:\n  - host: tcp://10.0.0.5:2375\n');
    expect(error.message).toBe('opsdeck.yaml:2:5: engines[0].name: required key is missing');
  });

  it('reports YAML syntax errors with their position', async () => {
    const error = await errorFor('thresholds:\n  cpu: { warning: 70\nlogs: {}\n');
    expect(error.message).toMatch(/^opsdeck\.yaml:3:1: invalid YAML: /);
    expect(error.message.includes('\n')).toBe(false);
  });

  it('reports duplicate keys', async () => {
    expect((await errorFor('logs:\n  since: 1h\nlogs:\n  since: 2h\n')).message).toMatch(/^opsdeck\.yaml:3:1: invalid YAML: Map keys must be unique/);
  });

  it('rejects a warning level at or above the critical level', async () => {
    expect((await errorFor('thresholds:\n  memory:\n    warning: 95\n')).message).toBe(
      'opsdeck.yaml:3:14: thresholds.memory.warning: warning (95) must be below critical (90)',
    );
    expect((await errorFor('thresholds:\n  disk: { critical: 50 }\n')).message).toBe(
      'opsdeck.yaml:2:21: thresholds.disk.critical: warning (85) must be below critical (50)',
    );
  });

  it('rejects percentages outside 0-100', async () => {
    expect((await errorFor('thresholds:\n  cpu: { warning: 70, critical: 120 }\n')).message).toBe(
      'opsdeck.yaml:2:33: thresholds.cpu.critical: must be at most 100, got 120',
    );
  });

  it('rejects duplicate engine names and unsupported host schemes', async () => {
    const engines = 'engines:\n  - name: local\n    host: unix:///var/run/docker.sock\n  - name: local\n    host: tcp://10.0.0.5:2375\n';
    expect((await errorFor(engines)).message).toBe('opsdeck.yaml:4:11: engines[1].name: duplicate engine name "local" (also engines[0])');
    expect((await errorFor('engines:\n  - name: web\n    host: http://10.0.0.5\n')).message).toBe(
      'opsdeck.yaml:3:11: engines[0].host: expected a unix://, tcp://, ssh:// or npipe:// URL, got "http://10.0.0.5"',
    );
    expect((await errorFor('engines:\n  - name: web\n    type: swarm\n    host: tcp://10.0.0.5:2375\n')).message).toBe(
      'opsdeck.yaml:3:11: engines[0].type: expected "docker" or "podman" or "kubernetes", got "swarm"',
    );
  });

  it('reads an ssh config file for an ssh:// engine, and names a bad one', async () => {
    const sshConfig = await writeFile('ssh_config', 'Host edge\n  HostName 127.0.0.1\n');
    const config = await parseConfigText(`engines:\n  - name: edge\n    host: ssh://edge\n    sshConfig: ${sshConfig}\n`, { fileName: 'opsdeck.yaml' });
    expect(config.engines).toEqual([{ name: 'edge', type: 'docker', host: 'ssh://edge', sshConfig }]);
    expect((await errorFor('engines:\n  - name: edge\n    host: ssh://edge\n    sshConfig: ssh_config\n')).message).toBe(
      'opsdeck.yaml:4:16: engines[0].sshConfig: expected an absolute path, got "ssh_config"',
    );
    expect((await errorFor('engines:\n  - name: edge\n    host: ssh://edge\n    sshConfig: /nonexistent/ssh_config\n')).message).toBe(
      'opsdeck.yaml:4:16: engines[0].sshConfig: ssh config file not found: /nonexistent/ssh_config',
    );
    expect((await errorFor(`engines:\n  - name: local\n    host: unix:///run/docker.sock\n    sshConfig: ${sshConfig}\n`)).message).toBe(
      'opsdeck.yaml:4:16: engines[0].sshConfig: only applies to an ssh:// host',
    );
    expect((await errorFor('engines:\n  - name: edge\n    host: ssh://ops:secret@edge\n')).message).toBe(
      'opsdeck.yaml:3:11: engines[0].host: invalid Docker host "ssh://ops:secret@edge": passwords in the URL are not supported: use a key (agent or IdentityFile)',
    );
  });

  it('rejects an error pattern that does not compile', async () => {
    const error = await errorFor('errors:\n  extraPatterns:\n    - deadlock\n    - "conn(ection"\n');
    expect(error.message).toMatch(/^opsdeck\.yaml:4:7: errors\.extraPatterns\[1\]: invalid error pattern "conn\(ection": /);
  });

  it('rejects a duration without a unit', async () => {
    expect((await errorFor('logs:\n  since: 90\n')).message).toBe('opsdeck.yaml:2:10: logs.since: expected a string, got 90');
    expect((await errorFor('logs:\n  since: 1 hour\n')).message).toMatch(/^opsdeck\.yaml:2:10: logs\.since: invalid duration "1 hour"/);
    expect((await errorFor('# k8s\nkubernetes:\n  pendingThreshold: 5\n')).message).toBe(
      'opsdeck.yaml:3:21: kubernetes.pendingThreshold: expected a string, got 5',
    );
    expect((await errorFor('kubernetes:\n  pendingThreshold: five minutes\n')).message).toMatch(
      /^opsdeck\.yaml:2:21: kubernetes\.pendingThreshold: invalid duration "five minutes"/,
    );
    expect((await errorFor('kubernetes:\n  pendingTreshold: 5m\n')).message).toBe(
      'opsdeck.yaml:2:3: kubernetes.pendingTreshold: unknown key (expected one of: pendingThreshold)',
    );
  });

  it('rejects non-integer and out-of-range sizes', async () => {
    expect((await errorFor('logs:\n  bufferLines: 12.5\n')).message).toBe('opsdeck.yaml:2:16: logs.bufferLines: expected a whole number, got 12.5');
    expect((await errorFor('errors:\n  maxFingerprints: 0\n')).message).toBe('opsdeck.yaml:2:20: errors.maxFingerprints: must be at least 1, got 0');
  });

  it('rejects relative disk paths', async () => {
    expect((await errorFor('disk:\n  paths: [backups]\n')).message).toBe('opsdeck.yaml:2:11: disk.paths[0]: expected an absolute path, got "backups"');
  });

  it('reports the first problem in the file and counts the others', async () => {
    const error = await errorFor('logs:\n  bufferLines: many\nthresholds:\n  cpu: { warning: hot }\n');
    expect(error.message).toBe('opsdeck.yaml:2:16: logs.bufferLines: expected a number, got "many" (and 1 more problem)');
  });

  it('reports a top level that is not a mapping', async () => {
    expect((await errorFor('- a\n- b\n')).message).toBe('opsdeck.yaml:1:1: expected a mapping, got a list');
  });
});
