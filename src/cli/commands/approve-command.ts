// `opsdeck approve <run-id> [--step ID]`: a second operator approves a waiting step of another
// operator's run on this host. The operator cannot approve their own step.

import type { Command } from 'commander';
import type { CommandRegistration } from '../cli-options';
import { approve, pendingApprovals, type ApprovalRequest } from '../../journal/approvals';
import { clean, formatUtc } from '../../journal/journal-timeline';
import { currentOperator } from '../../journal/operator-identity';

export const registerApproveCommand: CommandRegistration = (program: Command) => {
  program
    .command('approve <run-id>')
    .description('approve the step of a run (id or unique prefix) that waits for a second operator; prints what it approves')
    .option('--step <id>', 'the step, when several of the run wait')
    .action((runIdOrPrefix: string, options: { step?: string }) => {
      const approver = currentOperator().operator;
      const runId = resolvePendingRun(runIdOrPrefix);
      if (!runId) return;
      const result = approve({ runId, approver, ...(options.step === undefined ? {} : { stepId: options.step }) });
      if (result.request) process.stdout.write(describeRequest(result.request));
      if (!result.accepted) {
        process.stderr.write(`opsdeck: not approved: ${result.reason}\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(`approved by ${clean(approver)}\n`);
    });
};

/** The run id of waiting approvals that the argument names exactly or as a unique prefix; the argument itself otherwise. */
function resolvePendingRun(runIdOrPrefix: string): string | undefined {
  const runIds = [...new Set(pendingApprovals().map((request) => request.runId))];
  if (runIds.includes(runIdOrPrefix)) return runIdOrPrefix;
  const matches = runIds.filter((runId) => runId.startsWith(runIdOrPrefix));
  if (matches.length > 1) {
    process.stderr.write(`opsdeck: not approved: ${JSON.stringify(runIdOrPrefix)} matches several waiting runs (${matches.join(', ')}): give more of the id\n`);
    process.exitCode = 1;
    return undefined;
  }
  // No match: approve() says that nothing of that run waits.
  return matches[0] ?? runIdOrPrefix;
}

/** Written by another operator's process: every field is cleaned before it reaches the terminal. */
function describeRequest(request: ApprovalRequest): string {
  const lines = [
    `run ${clean(request.runId)}, step ${clean(request.stepId)}`,
    `requested by ${clean(request.requestedBy)} on ${clean(request.host)} at ${formatUtc(request.requestedAt)}`,
    `  ${clean(request.question)}`,
    ...request.calls.map((call) => `  call: ${clean(call)}`),
  ];
  return `${lines.join('\n')}\n`;
}
