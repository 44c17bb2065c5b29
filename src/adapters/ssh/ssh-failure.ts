// Turns what the system `ssh` wrote on stderr when it gave up into one line for the operator.
// A host key that is unknown or has changed is a refusal that names the host and the key's
// fingerprint: ssh prints the fingerprint of a changed key; for an unknown one it is read with
// `ssh-keyscan` and `ssh-keygen -lf -` from the same host and port ssh would use.
import { execFile, spawn } from 'node:child_process';
import { sshResolveArguments, type SshTarget } from './ssh-target';

export type SshFailureKind = 'unknown-host-key' | 'changed-host-key' | 'failed';

export class SshFailure extends Error {
  constructor(
    message: string,
    readonly kind: SshFailureKind,
    readonly fingerprint?: string,
  ) {
    super(message);
    this.name = 'SshFailure';
  }
}

const KEYSCAN_TIMEOUT_SECONDS = 5;

/** ssh's stderr, CR/LF normalised, without its noise lines. */
export function stderrLines(stderr: string): string[] {
  return stderr
    .replace(/\r/g, '')
    .split('\n')
    .map((line) => line.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').trim())
    .filter((line) => line !== '' && !/^Pseudo-terminal will not be allocated/.test(line));
}

/** What ssh said, as one line; `lookUpFingerprint` is only asked for an unknown host key. */
export async function describeSshFailure(
  target: SshTarget,
  stderr: string,
  exitCode: number | null,
  lookUpFingerprint: (target: SshTarget, keyType: string) => Promise<string | undefined> = scanFingerprint,
): Promise<SshFailure> {
  const text = stderr.replace(/\r/g, '');
  const unknown = /No (\S+) host key is known for (\S+) and you have requested strict checking/.exec(text);
  if (unknown) {
    const [, keyType = '', host = target.host] = unknown;
    const fingerprint = await lookUpFingerprint(target, keyType).catch(() => undefined);
    return new SshFailure(
      `host key verification failed: ${host} is not in known_hosts (its ${keyType} key is ${fingerprint ?? 'unknown: ssh-keyscan could not read it'}); ` +
        'refusing to connect. Check that fingerprint with the host owner, then add the key to known_hosts',
      'unknown-host-key',
      fingerprint,
    );
  }
  const changed = /Host key for (\S+) has changed and you have requested strict checking/.exec(text);
  if (changed || /REMOTE HOST IDENTIFICATION HAS CHANGED/.test(text)) {
    const host = changed?.[1] ?? target.host;
    const sent = /The fingerprint for the (\S+) key sent by the remote host is\s+(\S+?)\.?\s*$/m.exec(text);
    const keyType = sent?.[1] ?? /Offending (\S+) key in/.exec(text)?.[1] ?? '';
    const fingerprint = sent?.[2] ?? (await lookUpFingerprint(target, keyType).catch(() => undefined));
    const offending = /Offending \S+ key in (\S+)/.exec(text)?.[1];
    return new SshFailure(
      `host key verification failed: the host key of ${host} has CHANGED (it now sends ${keyType ? `${keyType} ` : ''}key ${fingerprint ?? 'with an unknown fingerprint'}` +
        `${offending ? `, known_hosts has another at ${offending}` : ''}); refusing to connect: someone may be intercepting the connection`,
      'changed-host-key',
      fingerprint,
    );
  }
  const lines = stderrLines(text).filter((line) => !line.startsWith('@') && !line.startsWith('debug'));
  const last = lines[lines.length - 1];
  const detail = last ?? (exitCode === null ? 'ssh was stopped' : `ssh exited with code ${exitCode}`);
  return new SshFailure(`ssh ${target.host}: ${detail.replace(/^ssh: /, '')}`, 'failed');
}

/** The SHA256 fingerprint of the `keyType` host key the target presents, read with ssh-keyscan. */
export async function scanFingerprint(target: SshTarget, keyType: string): Promise<string | undefined> {
  const resolved = await resolveHostAndPort(target);
  if (!resolved || resolved.proxied) return undefined; // keyscan cannot go through a ProxyJump/ProxyCommand
  const scanned = await run('ssh-keyscan', [
    '-T', String(KEYSCAN_TIMEOUT_SECONDS),
    '-p', String(resolved.port),
    ...(keyType ? ['-t', keyType.toLowerCase()] : []),
    '--', resolved.hostname,
  ]);
  if (!scanned.trim()) return undefined;
  const listed = await run('ssh-keygen', ['-l', '-f', '-'], scanned);
  return /\b(SHA256:\S+)/.exec(listed)?.[1];
}

/** HostName and Port as ssh resolves them from its configuration (`ssh -G`). */
async function resolveHostAndPort(target: SshTarget): Promise<{ hostname: string; port: number; proxied: boolean } | undefined> {
  const output = await run('ssh', sshResolveArguments(target));
  const values = new Map<string, string>();
  for (const line of output.split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) values.set(line.slice(0, space).toLowerCase(), line.slice(space + 1).trim());
  }
  const hostname = values.get('hostname');
  const port = Number(values.get('port') ?? 22);
  if (!hostname || hostname.startsWith('-') || !Number.isInteger(port)) return undefined;
  const proxied = ['proxyjump', 'proxycommand'].some((key) => {
    const value = values.get(key);
    return value !== undefined && value !== 'none';
  });
  return { hostname, port, proxied };
}

/** Runs a command (argv, no shell) and resolves with its stdout, or '' when it fails. */
function run(command: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve) => {
    if (input === undefined) {
      execFile(command, args, { timeout: (KEYSCAN_TIMEOUT_SECONDS + 2) * 1000 }, (error, stdout) => resolve(error ? '' : String(stdout)));
      return;
    }
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.once('error', () => resolve(''));
    child.once('close', (code) => resolve(code === 0 ? stdout : ''));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}
