import { execFileSync } from 'node:child_process';

/** Installs a Debian package when its command is missing (the tests run as root on Debian). */
export function ensureCommand(command: string, debianPackage: string = command): void {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return;
  } catch {
    // missing: install below
  }
  execFileSync('sh', ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${debianPackage}`], {
    stdio: 'ignore',
    timeout: 300_000,
  });
}
