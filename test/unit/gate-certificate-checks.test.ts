// certificate gates on certificates openssl made: one expiring in 5 days warns or fails by the
// thresholds, one valid 90 days passes, an expired one fails; read from a PEM file or from a
// loopback TLS endpoint (whose evidence says it did not verify: self-signed).
import { createServer as createTlsServer, type Server } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createGateCheckers } from '../../src/gates/checks/checker-registry';
import type { CertificateCheck, GateOutcome } from '../../src/gates/gate-types';
import { temporaryDirectory } from '../support/action-context';
import { gateContext } from '../support/gate-context';
import { expiredCertificate, selfSignedCertificate, type TestCertificate } from '../support/test-certificates';

const checker = createGateCheckers().get('certificate');
const directory = temporaryDirectory('opsdeck-gate-certificates-');
const fiveDays = selfSignedCertificate(directory, 'five-days', 5);
const ninetyDays = selfSignedCertificate(directory, 'ninety-days', 90);
const expired = expiredCertificate(directory, 'expired', 3);
const servers: Server[] = [];

afterAll(() => {
  for (const server of servers) server.close();
});

function run(check: CertificateCheck, signal?: AbortSignal): Promise<GateOutcome> {
  if (!checker) throw new Error('no certificate checker');
  return checker.run(check, gateContext(signal ? { signal } : {}));
}

function fileCheck(certificate: TestCertificate, warningDays: number, criticalDays: number): CertificateCheck {
  return { type: 'certificate', file: certificate.certificateFile, warningDays, criticalDays };
}

async function serve(certificate: TestCertificate): Promise<number> {
  const server = createTlsServer({ key: certificate.key, cert: certificate.certificate }, (socket) => socket.end());
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

describe('certificate gate: PEM files', () => {
  it('warns for a certificate expiring in 5 days below warningDays 14, fails it below criticalDays 7', async () => {
    const warned = await run(fileCheck(fiveDays, 14, 3));
    // Whole days left: made for 5 days a moment ago, 4 full days remain.
    expect(warned).toMatchObject({ status: 'warn', evidence: { file: fiveDays.certificateFile, daysLeft: 4 } });
    expect(warned.detail).toMatch(/: localhost expires in 4 days \(\d{4}-\d{2}-\d{2}\), warning below 14$/);
    const failed = await run(fileCheck(fiveDays, 30, 7));
    expect(failed.status).toBe('fail');
    expect(failed.detail).toMatch(/critical below 7$/);
  });

  it('passes a certificate valid for 90 days with the date it ends', async () => {
    const outcome = await run(fileCheck(ninetyDays, 30, 7));
    expect(outcome).toMatchObject({ status: 'pass', evidence: { daysLeft: 89 } });
    const notAfter = Date.parse(outcome.evidence?.notAfter ?? '');
    expect(Math.abs(notAfter - (Date.now() + 90 * 86_400_000))).toBeLessThan(120_000);
  });

  it('fails an expired certificate and says how long ago it ended', async () => {
    const outcome = await run(fileCheck(expired, 30, 7));
    expect(outcome.status).toBe('fail');
    expect(outcome.detail).toMatch(/localhost expired 3 days ago \(\d{4}-\d{2}-\d{2}\)$/);
    expect(outcome.evidence?.daysLeft).toBe(-3);
  });

  it('fails when the file is missing or is not a certificate', async () => {
    const missing = await run({ type: 'certificate', file: `${directory}/absent.pem`, warningDays: 30, criticalDays: 7 });
    expect(missing.status).toBe('fail');
    expect(missing.detail).toMatch(/^cannot read the certificate .*absent\.pem: ENOENT/);
    const notACertificate = await run({ type: 'certificate', file: fiveDays.keyFile, warningDays: 30, criticalDays: 7 });
    expect(notACertificate.status).toBe('fail');
    expect(notACertificate.detail).toMatch(/^cannot read the certificate /);
  });
});

describe('certificate gate: TLS endpoints', () => {
  it('reads the dates of the certificate an endpoint presents and says it did not verify', async () => {
    const port = await serve(fiveDays);
    const outcome = await run({ type: 'certificate', endpoint: { host: '127.0.0.1', port }, warningDays: 14, criticalDays: 3 });
    expect(outcome).toMatchObject({ status: 'warn', evidence: { daysLeft: 4 } });
    expect(outcome.detail).toMatch(new RegExp(`^127\\.0\\.0\\.1:${port}: localhost expires in 4 days`));
    expect(outcome.evidence?.tlsVerification).toMatch(/^not verified: .*self[- ]signed certificate/);
  });

  it('fails an endpoint serving an expired certificate', async () => {
    const port = await serve(expired);
    const outcome = await run({ type: 'certificate', endpoint: { host: 'localhost', port }, warningDays: 30, criticalDays: 7 });
    expect(outcome.status).toBe('fail');
    expect(outcome.detail).toMatch(/expired 3 days ago/);
  });

  it('fails with the socket error when nothing listens', async () => {
    const port = await serve(ninetyDays);
    servers.pop()?.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const outcome = await run({ type: 'certificate', endpoint: { host: '127.0.0.1', port }, warningDays: 30, criticalDays: 7 });
    expect(outcome.status).toBe('fail');
    expect(outcome.evidence?.error).toMatch(/ECONNREFUSED/);
  });
});
