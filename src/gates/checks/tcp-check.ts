// `tcp` gates: a connection to host:port through the host commands; the connect time, or the
// socket's error (ECONNREFUSED, a DNS failure) as evidence.

import type { HostCommands } from '../../adapters/host/host-commands';
import { formatDuration } from '../../domain/duration';
import type { GateChecker, TcpCheck } from '../gate-types';
import { BACKSTOP_TIMEOUT_MS, abortedOutcome, errorText, guarded } from './check-support';

export function createTcpChecker(host: HostCommands): GateChecker<TcpCheck> {
  return {
    type: 'tcp',
    run: (check, context) =>
      guarded(context.signal, async () => {
        try {
          const connectMs = await host.tcp({ host: check.host, port: check.port, timeoutMs: BACKSTOP_TIMEOUT_MS, signal: context.signal });
          return { status: 'pass', detail: `connected to ${check.host}:${check.port} in ${formatDuration(connectMs)}`, evidence: { value: `${Math.round(connectMs)} ms` } };
        } catch (error) {
          if (context.signal.aborted) return abortedOutcome();
          const message = errorText(error);
          return { status: 'fail', detail: message, evidence: { error: message } };
        }
      }),
  };
}
