// A second opsdeck process for the two-process tests, driving the journal's lock and approval
// API as a runner would. Bundled by the test with esbuild and run with plain node; it prints
// one JSON line per event and takes commands on stdin.
//   lock <target> <operator> <runId> <stepId>   acquire; hold until "release" on stdin
//   takeover <target> <operator> <runId> <stepId>
//   wait-approval <runId> <stepId> <operator> <question> <call>
import readline from 'node:readline';
import os from 'node:os';
import { requestApproval, waitForApproval } from '../../src/journal/approvals';
import { acquireTargetLock, takeOverTargetLock } from '../../src/journal/target-locks';

function say(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

function holdUntilReleased(release: () => void): void {
  const input = readline.createInterface({ input: process.stdin });
  input.on('line', (line) => {
    if (line.trim() !== 'release') return;
    release();
    say({ event: 'released' });
    process.exit(0);
  });
}

const [command, ...args] = process.argv.slice(2);
if (command === 'lock' || command === 'takeover') {
  const [target, operator, runId, stepId] = args as [string, string, string, string];
  const holder = { operator, runId, stepId, pid: process.pid, host: os.hostname() };
  if (command === 'takeover') {
    const taken = takeOverTargetLock(target, holder);
    say({ event: 'taken-over', previous: taken.previous });
    holdUntilReleased(taken.release);
  } else {
    const attempt = acquireTargetLock(target, holder);
    if (attempt.acquired) {
      say({ event: 'acquired', pid: process.pid });
      holdUntilReleased(attempt.release);
    } else {
      say({ event: 'held', holder: attempt.holder });
      process.exit(3);
    }
  }
} else if (command === 'wait-approval') {
  const [runId, stepId, operator, question, call] = args as [string, string, string, string, string];
  requestApproval({ runId, stepId, requestedBy: operator, question, calls: [call] });
  say({ event: 'waiting' });
  const approval = await waitForApproval({ runId, stepId, signal: AbortSignal.timeout(30_000) });
  say({ event: 'approved', ...approval });
  process.exit(0);
} else {
  process.stderr.write(`unknown command ${command}\n`);
  process.exit(2);
}
