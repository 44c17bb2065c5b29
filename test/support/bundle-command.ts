// One run of the built bundle (dist/opsdeck.mjs) as a command: its output and exit code, a
// non-zero exit included, for the CLI tests.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BUNDLE } from './pty';

const run = promisify(execFile);

export interface CommandRun {
  stdout: string;
  stderr: string;
  code: number;
}

export async function runBundle(args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<CommandRun> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BUNDLE, ...args], {
      env: options.env ?? process.env,
      ...(options.cwd ? { cwd: options.cwd } : {}),
      maxBuffer: 64 * 1024 * 1024,
      timeout: options.timeoutMs ?? 60_000,
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as CommandRun;
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}
