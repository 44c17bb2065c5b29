import { describe, it, expect } from 'vitest';
import { DEFAULT_CONFIG, configFileSchema, parseDuration } from '../../src/config/schema';
import { DEFAULT_ERROR_PATTERNS } from '../../src/domain/fingerprint';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['30m', 1_800_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['2h30m', 9_000_000],
    ['1d', 86_400_000],
    ['1.5h', 5_400_000],
    [' 5m ', 300_000],
  ])('parses %s', (text, milliseconds) => {
    expect(parseDuration(text)).toBe(milliseconds);
  });

  it.each(['', '90', '1 hour', 'h', '1h30', '5x', '-5m'])('rejects %j with a hint', (text) => {
    expect(() => parseDuration(text)).toThrow(/use a number and a unit \(ms, s, m, h, d\)/);
  });
});

describe('DEFAULT_CONFIG', () => {
  it('uses the runbook thresholds, the default patterns and sensible limits', () => {
    expect(DEFAULT_CONFIG.thresholds).toEqual({
      cpu: { warning: 70, critical: 80 },
      memory: { warning: 80, critical: 90 },
      disk: { warning: 85, critical: 95 },
    });
    expect(DEFAULT_CONFIG.errors).toEqual({ patterns: [...DEFAULT_ERROR_PATTERNS], maxFingerprints: 500 });
    expect(DEFAULT_CONFIG.logs).toEqual({ since: '1h', sinceMs: 3_600_000, maxLineBytes: 4096, bufferLines: 2000 });
  });
});

describe('configFileSchema', () => {
  it('rejects unknown keys at every level', () => {
    expect(configFileSchema.safeParse({ logs: { sinse: '1h' } }).success).toBe(false);
    expect(configFileSchema.safeParse({ engines: [{ name: 'a', host: 'unix:///x', socket: 'y' }] }).success).toBe(false);
    expect(configFileSchema.safeParse({ extra: true }).success).toBe(false);
  });

  it('accepts an empty document', () => {
    expect(configFileSchema.safeParse({}).success).toBe(true);
  });
});
