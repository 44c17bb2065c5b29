// Secrets printed by a step never reach the journal (and so never an incident report).
import { describe, expect, it } from 'vitest';
import { boundText, redactAndBound, redactSecrets } from '../../src/journal/redact';

describe('redactSecrets', () => {
  it.each([
    ['password=hunter2 user=bob', 'password=[redacted] user=bob'],
    ['DB_PASSWORD=s3cr3t\nPATH=/usr/bin', 'DB_PASSWORD=[redacted]\nPATH=/usr/bin'],
    ['GET /login?user=bob&password=hunter2&next=/', 'GET /login?user=bob&password=[redacted]&next=/'],
    ['curl -H "Authorization: Bearer eyJhbGciOi.abc.def" https://api', 'curl -H "Authorization: Bearer [redacted]" https://api'],
    ['sent bearer token Bearer 0123456789abcdef', 'sent bearer token Bearer [redacted]'],
    ['aws key AKIAIOSFODNN7EXAMPLE in env', 'aws key [redacted] in env'],
    ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCY', 'aws_secret_access_key = [redacted]'],
    ['{"user":"app","token": "s.Qf1s\\"x", "ttl": 30}', '{"user":"app","token": "[redacted]", "ttl": 30}'],
    ['{"client_secret":"abc"}', '{"client_secret":"[redacted]"}'],
    ['token: 9f8e7d6c', 'token: [redacted]'],
    ['vault login hvs.CAESIJ1y2n3k4l5m6n7o8p9q0r', 'vault login [redacted]'],
    ['postgres://app:s3cr3t@db:5432/shop', 'postgres://app:[redacted]@db:5432/shop'],
  ])('%s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it('removes a whole PEM private key block and keeps what follows', () => {
    const text = 'before\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nQyNTUxOQAAACBd\n-----END OPENSSH PRIVATE KEY-----\nafter';
    const redacted = redactSecrets(text);
    expect(redacted).toBe('before\n-----BEGIN OPENSSH PRIVATE KEY----- [redacted]\nafter');
  });

  it('removes a private key block that the output bound cut off before its END line', () => {
    expect(redactSecrets('-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\nqwerty')).toBe('-----BEGIN RSA PRIVATE KEY----- [redacted]');
  });

  it('leaves ordinary output alone', () => {
    const text = 'GET /health 200 12ms\ntokens processed: 5\nrestarted shop-api-1 (1.2 s)\nPublic key: ssh-ed25519 AAAAC3';
    expect(redactSecrets(text)).toBe(text);
  });
});

describe('bounding', () => {
  it('cuts on a character boundary and says so', () => {
    expect(boundText('héllo', 2)).toEqual({ text: 'h', truncated: true });
    expect(boundText('héllo', 3)).toEqual({ text: 'hé', truncated: true });
    expect(boundText('héllo', 6)).toEqual({ text: 'héllo', truncated: false });
  });

  it('redacts a secret that straddles the bound before cutting', () => {
    const text = `${'x'.repeat(95)} password=hunter2hunter2`;
    const result = redactAndBound(text, 110);
    expect(result.truncated).toBe(true);
    expect(result.text).not.toContain('hunter');
    expect(result.text).toContain('password=[re');
  });
});
