// Who runs a playbook: the name journaled in run-start, lock holders and approvals.

import os from 'node:os';
import type { OperatorIdentity } from './journal-types';

/** The operator behind this process: SUDO_USER (the person, not root), else USER, else the login name. */
export function currentOperator(env: NodeJS.ProcessEnv = process.env): OperatorIdentity {
  const identity: OperatorIdentity = {
    operator: env.SUDO_USER || env.USER || loginName(),
    host: os.hostname(),
    pid: process.pid,
  };
  if (env.SSH_CONNECTION) identity.sshConnection = env.SSH_CONNECTION;
  return identity;
}

function loginName(): string {
  try {
    return os.userInfo().username;
  } catch {
    // No passwd entry for the uid (a container started with --user 12345).
    return `uid ${process.getuid?.() ?? 'unknown'}`;
  }
}
