// `certificate` gates: the notAfter of a PEM file (node:crypto X509Certificate) or of the
// certificate a TLS endpoint presents (SNI = host). The endpoint is read with verification off
// only to see the dates of a certificate that may not verify; the evidence says whether it did.
// Expired or fewer than criticalDays left fails; fewer than warningDays warns.

import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { checkServerIdentity, connect, type TLSSocket } from 'node:tls';
import { toDisplayText } from '../../domain/untrusted-text';
import type { CertificateCheck, GateChecker, GateEvidence, GateOutcome } from '../gate-types';
import { BACKSTOP_TIMEOUT_MS, abortedOutcome, errorText, guarded, unknownOutcome } from './check-support';

const DAY_MS = 24 * 60 * 60 * 1000;

interface PeerCertificate {
  certificate: X509Certificate;
  /** `verified`, or `not verified: self-signed certificate`. */
  verification: string;
}

/** The certificate the endpoint presents, whether or not it verifies. */
function readPeerCertificate(endpoint: NonNullable<CertificateCheck['endpoint']>, signal: AbortSignal): Promise<PeerCertificate> {
  const serverName = endpoint.serverName ?? (isIP(endpoint.host) === 0 ? endpoint.host : undefined);
  return new Promise<PeerCertificate>((resolve, reject) => {
    const socket = connect({
      host: endpoint.host,
      port: endpoint.port,
      ...(serverName !== undefined ? { servername: serverName } : {}),
      // Only to read the dates of a certificate that may not verify: nothing is sent over it.
      rejectUnauthorized: false,
    });
    const finish = (error: Error | undefined, peer?: PeerCertificate): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      if (peer) resolve(peer);
      else reject(error ?? new Error('no certificate'));
    };
    const onAbort = (): void => finish(new Error('aborted'));
    const timer = setTimeout(() => finish(new Error(`no TLS handshake within ${BACKSTOP_TIMEOUT_MS} ms`)), BACKSTOP_TIMEOUT_MS);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => {
      const certificate = socket.getPeerX509Certificate();
      if (!certificate) return finish(new Error(`${endpoint.host}:${endpoint.port} presented no certificate`));
      finish(undefined, { certificate, verification: verificationOf(socket, endpoint.serverName ?? endpoint.host) });
    });
    socket.once('error', (error) => finish(new Error(`connect to ${endpoint.host}:${endpoint.port}: ${error.message}`)));
  });
}

/** OpenSSL's words for the verification codes node reports on a socket read without verification. */
const VERIFY_REASONS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in certificate chain',
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to verify the first certificate',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unable to get local issuer certificate',
};

/** Whether the chain verified against the default CAs and the name matches (what a client with verification on would decide). */
function verificationOf(socket: TLSSocket, name: string): string {
  if (!socket.authorized) {
    const code = String(socket.authorizationError ?? 'unknown reason');
    const reason = VERIFY_REASONS[code];
    return `not verified: ${toDisplayText(reason === undefined ? code : `${reason} (${code})`)}`;
  }
  const mismatch = checkServerIdentity(name, socket.getPeerCertificate());
  return mismatch ? `not verified: ${toDisplayText(mismatch.message)}` : 'verified';
}

/** The subject's common name, or its first line. */
function subjectOf(certificate: X509Certificate): string {
  const lines = certificate.subject.split('\n');
  const commonName = lines.find((line) => line.startsWith('CN='))?.slice(3);
  return toDisplayText(commonName ?? lines[0] ?? 'certificate');
}

export function judgeCertificate(check: CertificateCheck, certificate: X509Certificate, now: number, evidence: GateEvidence, where: string): GateOutcome {
  const notAfter = Date.parse(certificate.validTo);
  const notBefore = Date.parse(certificate.validFrom);
  if (!Number.isFinite(notAfter)) return unknownOutcome(`${where}: cannot read its notAfter (${toDisplayText(certificate.validTo)})`, evidence);
  // Whole days, towards zero: 4 days and 23 hours left is 4; ended 3 days and 2 hours ago is -3.
  const daysLeft = Math.trunc((notAfter - now) / DAY_MS) || 0;
  const subject = subjectOf(certificate);
  const judged: GateEvidence = { ...evidence, daysLeft, notAfter: new Date(notAfter).toISOString(), value: `${daysLeft} days`, comparison: `warn < ${check.warningDays} days, fail < ${check.criticalDays} days` };
  const until = judged.notAfter?.slice(0, 10) ?? '';
  if (notAfter <= now) return { status: 'fail', detail: `${where}: ${subject} expired ${-daysLeft} days ago (${until})`, evidence: judged };
  if (Number.isFinite(notBefore) && notBefore > now) return { status: 'fail', detail: `${where}: ${subject} is not valid before ${new Date(notBefore).toISOString()}`, evidence: judged };
  const left = `${subject} expires in ${daysLeft} days (${until})`;
  if (daysLeft < check.criticalDays) return { status: 'fail', detail: `${where}: ${left}, critical below ${check.criticalDays}`, evidence: judged };
  if (daysLeft < check.warningDays) return { status: 'warn', detail: `${where}: ${left}, warning below ${check.warningDays}`, evidence: judged };
  return { status: 'pass', detail: `${where}: ${left}`, evidence: judged };
}

export function createCertificateChecker(): GateChecker<CertificateCheck> {
  return {
    type: 'certificate',
    run: (check, context) =>
      guarded(context.signal, async () => {
        if (check.file !== undefined) {
          let certificate: X509Certificate;
          try {
            certificate = new X509Certificate(await readFile(check.file));
          } catch (error) {
            const message = `cannot read the certificate ${check.file}: ${errorText(error)}`;
            return { status: 'fail', detail: message, evidence: { file: check.file, error: message } };
          }
          return judgeCertificate(check, certificate, context.now(), { file: check.file }, check.file);
        }
        if (!check.endpoint) return unknownOutcome('a certificate gate names a file or an endpoint');
        const where = `${check.endpoint.host}:${check.endpoint.port}`;
        try {
          const peer = await readPeerCertificate(check.endpoint, context.signal);
          return judgeCertificate(check, peer.certificate, context.now(), { tlsVerification: peer.verification }, where);
        } catch (error) {
          if (context.signal.aborted) return abortedOutcome();
          const message = errorText(error);
          return { status: 'fail', detail: message, evidence: { error: message } };
        }
      }),
  };
}
