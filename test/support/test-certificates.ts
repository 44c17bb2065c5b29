// Real certificates for TLS and certificate-gate tests, made by openssl on loopback names
// (CN=localhost, SAN localhost and 127.0.0.1): self-signed for N days, or expired (signed by
// `openssl ca` with dates in the past, since `req -x509 -days` only takes positive days).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCertificate {
  keyFile: string;
  certificateFile: string;
  key: Buffer;
  certificate: Buffer;
}

const SUBJECT_ALT_NAME = 'subjectAltName=DNS:localhost,IP:127.0.0.1';
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function read(keyFile: string, certificateFile: string): TestCertificate {
  return { keyFile, certificateFile, key: readFileSync(keyFile), certificate: readFileSync(certificateFile) };
}

/** A self-signed certificate valid from now for `days` days. */
export function selfSignedCertificate(directory: string, name: string, days: number): TestCertificate {
  const keyFile = join(directory, `${name}.key`);
  const certificateFile = join(directory, `${name}.pem`);
  execFileSync('openssl', ['req', '-x509', ...EC_KEY, '-keyout', keyFile, '-out', certificateFile, '-days', String(days), '-subj', `/CN=localhost`, '-addext', SUBJECT_ALT_NAME], { stdio: 'ignore' });
  return read(keyFile, certificateFile);
}

/** `20240101000000Z`: the form `openssl ca -startdate/-enddate` takes. */
function opensslTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

/** A self-signed certificate whose validity ended `daysAgo` days ago (it began 30 days before that). */
export function expiredCertificate(directory: string, name: string, daysAgo = 2): TestCertificate {
  const day = 24 * 60 * 60 * 1000;
  const keyFile = join(directory, `${name}.key`);
  const requestFile = join(directory, `${name}.csr`);
  const certificateFile = join(directory, `${name}.pem`);
  const database = join(directory, `${name}-index.txt`);
  const serial = join(directory, `${name}-serial`);
  writeFileSync(database, '');
  writeFileSync(serial, '01\n');
  const config = join(directory, `${name}-ca.cnf`);
  writeFileSync(
    config,
    ['[ ca ]', 'default_ca = test', '[ test ]', `database = ${database}`, `new_certs_dir = ${directory}`, `serial = ${serial}`, 'default_md = sha256', 'policy = anything', 'copy_extensions = copy', '[ anything ]', 'commonName = supplied', ''].join('\n'),
  );
  execFileSync('openssl', ['req', '-new', ...EC_KEY, '-keyout', keyFile, '-out', requestFile, '-subj', '/CN=localhost', '-addext', SUBJECT_ALT_NAME], { stdio: 'ignore' });
  const end = Date.now() - daysAgo * day;
  execFileSync(
    'openssl',
    ['ca', '-batch', '-notext', '-config', config, '-selfsign', '-keyfile', keyFile, '-in', requestFile, '-out', certificateFile, '-startdate', opensslTime(end - 30 * day), '-enddate', opensslTime(end)],
    { stdio: 'ignore' },
  );
  return read(keyFile, certificateFile);
}
