import { describe, it, expect } from 'vitest';
import {
  DEFAULT_ERROR_PATTERNS,
  FingerprintTable,
  MAX_FINGERPRINT_LENGTH,
  compileErrorPatterns,
  isErrorLine,
  normaliseLogMessage,
} from '../../src/domain/fingerprint';
import { refKey } from '../../src/domain/resource-ref';

const defaults = compileErrorPatterns(DEFAULT_ERROR_PATTERNS);

describe('default error patterns (from the runbooks)', () => {
  it.each([
    '2026-01-28 09:00:00 ERROR connection refused',
    'java.lang.IllegalStateException: boom',
    'FATAL: could not open file',
    'panic: runtime error: index out of range',
    'java.lang.OutOfMemoryError: Java heap space',
    'Memory cgroup out of memory: OOM killer invoked',
    'container was OOMKilled',
    'Authentication failed for user admin',
    'auth: token validation failed',
    'open /data: permission denied',
    'Slow query: SELECT * FROM users (1532 ms)',
    'read tcp 10.0.0.1:5432: i/o timeout',
    'request timed out after 30s',
    'SocketTimeoutException: Read timed out',
  ])('flags %s', (line) => {
    expect(isErrorLine(line, defaults)).toBe(true);
  });

  it.each([
    'GET /health 200 3ms',
    'INFO started worker 3 of 8',
    'reserved a room for the meeting',
    'bloom filter rebuilt',
    'it sometimes outputs a warning banner',
  ])('leaves %s alone', (line) => {
    expect(isErrorLine(line, defaults)).toBe(false);
  });

  it('matches case-insensitively', () => {
    expect(isErrorLine('Error: x', defaults)).toBe(true);
    expect(isErrorLine('ERROR: x', defaults)).toBe(true);
  });
});

describe('compileErrorPatterns', () => {
  it('compiles custom patterns case-insensitively', () => {
    const patterns = compileErrorPatterns(['deadlock detected', 'HTTP 5\\d\\d']);
    expect(isErrorLine('ERROR: DEADLOCK DETECTED', patterns)).toBe(true);
    expect(isErrorLine('upstream answered http 503', patterns)).toBe(true);
    expect(isErrorLine('upstream answered http 404', patterns)).toBe(false);
  });

  it('names the invalid pattern in the error', () => {
    expect(() => compileErrorPatterns(['error', 'conn(ection'])).toThrow(/invalid error pattern "conn\(ection"/);
  });

  it('rejects an empty pattern, which would match every line', () => {
    expect(() => compileErrorPatterns(['error', '  '])).toThrow(/#2 is empty/);
  });

  it('gives the same answer for the same line every time (no global-flag state)', () => {
    const patterns = compileErrorPatterns(['error']);
    expect([1, 2, 3].map(() => isErrorLine('error here', patterns))).toEqual([true, true, true]);
  });
});

describe('normaliseLogMessage', () => {
  it('replaces timestamps in the usual formats', () => {
    expect(normaliseLogMessage('2026-01-28T09:00:00.123456Z ERROR x')).toBe('<ts> ERROR x');
    expect(normaliseLogMessage('2026-01-28 09:00:00,123 ERROR x')).toBe('<ts> ERROR x');
    expect(normaliseLogMessage('2026-01-28T09:00:00+01:00 ERROR x')).toBe('<ts> ERROR x');
    expect(normaliseLogMessage('Jan 28 09:00:00 host sshd: error')).toBe('<ts> host sshd: error');
    expect(normaliseLogMessage('[28/Jan/2026:09:00:00 +0000] error')).toBe('[<ts>] error');
    expect(normaliseLogMessage('error at 1769590800 and 1769590800123')).toBe('error at <ts> and <ts>');
    expect(normaliseLogMessage('[09:15:02.331] error')).toBe('[<ts>] error');
  });

  it('replaces uuids before hex ids before numbers', () => {
    expect(normaliseLogMessage('request 550e8400-e29b-41d4-a716-446655440000 failed')).toBe('request <uuid> failed');
    expect(normaliseLogMessage('container 3f2a9c1e8b7d failed after 12 tries')).toBe('container <hex> failed after <n> tries');
    expect(normaliseLogMessage('segfault at 0x7ffd4a1b ip 0x00401000')).toBe('segfault at <hex> ip <hex>');
    expect(normaliseLogMessage('worker_3fa9c1e2 crashed')).toBe('worker_<hex> crashed');
  });

  it('does not mistake words made of hex letters for ids', () => {
    expect(normaliseLogMessage('cafe decade facade failed')).toBe('cafe decade facade failed');
  });

  it('replaces IPv4 (with port), IPv6 and email addresses', () => {
    expect(normaliseLogMessage('connect to 10.0.3.17:5432 refused')).toBe('connect to <ip> refused');
    expect(normaliseLogMessage('peer 192.168.1.1 reset')).toBe('peer <ip> reset');
    expect(normaliseLogMessage('from 2001:db8::ff00:42:8329 and fe80::1 denied')).toBe('from <ip> and <ip> denied');
    expect(normaliseLogMessage('mail to ops+alerts@example.com bounced')).toBe('mail to <email> bounced');
  });

  it('replaces short quoted values but keeps apostrophes in words', () => {
    expect(normaliseLogMessage("user 'bob' not found")).toBe('user <str> not found');
    expect(normaliseLogMessage('table "orders" is locked')).toBe('table <str> is locked');
    expect(normaliseLogMessage("can't connect, don't retry")).toBe("can't connect, don't retry");
  });

  it('keeps JSON keys and sentences so structured logs keep their meaning', () => {
    expect(normaliseLogMessage('{"level":"error","msg":"connection refused to 10.1.2.3:5432","id":"a1"}')).toBe(
      '{"level":<str>,"msg":"connection refused to <ip>","id":<str>}',
    );
  });

  it('gives two occurrences of the same problem the same fingerprint', () => {
    const first = normaliseLogMessage('2026-01-28 09:00:01,001 ERROR [pool-3-thread-7] user 42 timed out after 3000ms from 10.0.0.7');
    const second = normaliseLogMessage('2026-01-28 11:42:13,999 ERROR [pool-1-thread-12] user 9001 timed out after 15000ms from 10.0.0.12');
    expect(first).toBe(second);
    expect(first).toBe('<ts> ERROR [pool-<n>-thread-<n>] user <n> timed out after <n>ms from <ip>');
  });

  it('collapses whitespace and caps the length', () => {
    expect(normaliseLogMessage('  error \t\t in   module  ')).toBe('error in module');
    const long = normaliseLogMessage(`error ${'x'.repeat(5000)}`);
    expect(long.length).toBeLessThanOrEqual(MAX_FINGERPRINT_LENGTH);
    expect(long.startsWith('error xxx')).toBe(true);
  });
});

describe('FingerprintTable', () => {
  it('counts occurrences, services, first and last seen, and keeps the latest raw line', () => {
    const api = refKey({ engineId: 'local', kind: 'compose-service', namespace: 'shop', name: 'api' });
    const worker = refKey({ engineId: 'local', kind: 'compose-service', namespace: 'shop', name: 'worker' });
    const table = new FingerprintTable({ capacity: 10 });
    table.record({ text: 'ERROR user 1 timed out', workloadKey: api, timestamp: 1000 });
    table.record({ text: 'ERROR user 2 timed out', workloadKey: worker, timestamp: 2000 });
    table.record({ text: 'ERROR user 3 timed out', workloadKey: api, timestamp: 3000 });
    const [entry] = table.snapshot();
    expect(table.size).toBe(1);
    expect(entry).toEqual({
      fingerprint: 'ERROR user <n> timed out',
      count: 3,
      workloadKeys: [api, worker],
      firstSeen: 1000,
      lastSeen: 3000,
      sampleLine: 'ERROR user 3 timed out',
      sampleWorkloadKey: api,
    });
  });

  it('keeps the newest sample when lines arrive out of order', () => {
    const table = new FingerprintTable({ capacity: 10 });
    table.record({ text: 'ERROR job 2', workloadKey: 'a', timestamp: 2000 });
    table.record({ text: 'ERROR job 1', workloadKey: 'b', timestamp: 1000 });
    const [entry] = table.snapshot();
    expect(entry?.firstSeen).toBe(1000);
    expect(entry?.lastSeen).toBe(2000);
    expect(entry?.sampleLine).toBe('ERROR job 2');
  });

  it('sorts by last seen, newest first, then by count', () => {
    const table = new FingerprintTable({ capacity: 10 });
    table.record({ text: 'disk error', workloadKey: 's', timestamp: 100 });
    table.record({ text: 'auth failed', workloadKey: 's', timestamp: 500 });
    table.record({ text: 'fatal crash', workloadKey: 's', timestamp: 500 });
    table.record({ text: 'fatal crash', workloadKey: 's', timestamp: 500 });
    expect(table.snapshot().map((entry) => entry.fingerprint)).toEqual(['fatal crash', 'auth failed', 'disk error']);
  });

  it('evicts the least recently seen fingerprint when full', () => {
    const table = new FingerprintTable({ capacity: 2 });
    table.record({ text: 'error alpha', workloadKey: 's', timestamp: 1 });
    table.record({ text: 'error beta', workloadKey: 's', timestamp: 2 });
    table.record({ text: 'error alpha', workloadKey: 's', timestamp: 3 }); // alpha is now the most recent
    table.record({ text: 'error gamma', workloadKey: 's', timestamp: 4 }); // evicts beta
    expect(table.size).toBe(2);
    expect(table.snapshot().map((entry) => entry.fingerprint)).toEqual(['error gamma', 'error alpha']);
  });

  it('stays bounded under sustained load with many distinct messages', () => {
    const table = new FingerprintTable({ capacity: 500 });
    // Five minutes at 1,000 lines/s, each line a new fingerprint (worst case for eviction).
    for (let index = 0; index < 300_000; index += 1) {
      table.record({ text: `ERROR code-${'abcdefghij'[index % 10]}${index.toString(36).replace(/\d/g, 'q')} failed`, workloadKey: 's', timestamp: index });
    }
    expect(table.size).toBe(500);
  });

  it('clear empties the table and bumps the version', () => {
    const table = new FingerprintTable({ capacity: 2 });
    table.record({ text: 'error', workloadKey: 's', timestamp: 1 });
    const version = table.version;
    table.clear();
    expect(table.size).toBe(0);
    expect(table.snapshot()).toEqual([]);
    expect(table.version).toBeGreaterThan(version);
  });
});
