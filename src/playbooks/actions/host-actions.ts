// shell.run, http.check, tcp.check: host-side steps through HostCommands, where read-only is
// enforced. A command is an argv array: each element reaches the program as one argument,
// whatever a template put into it.

import { z } from 'zod';
import { ReadOnlyError } from '../../adapters/capabilities';
import { isSuccessStatus } from '../../adapters/host/host-commands';
import { formatDuration } from '../../domain/duration';
import type { ActionCall } from '../../domain/engine-action';
import type { StepOutcome } from './action-registry';
import { defineAction } from './define-action';
import { failedOutcome, messageOf } from './engine-steps';
import { argvParam, booleanParam, integerListParam, nameParam, portParam, stringMapParam } from './param-types';

const shellRun = defineAction({
  name: 'shell.run',
  summary: 'Run a program with arguments (an argv, never a shell string); mutating unless `readOnly: true`',
  params: z.strictObject({
    command: argvParam,
    readOnly: booleanParam.default(false),
    cwd: z.string().min(1).optional(),
    env: stringMapParam.optional(),
  }),
  mutates: (values) => !values.readOnly,
  describe: (values) => [{ type: 'argv', argv: values.command }],
  async run(values, context) {
    const calls: ActionCall[] = [{ type: 'argv', argv: values.command }];
    const mutates = !values.readOnly;
    if (mutates && context.dryRun) return { status: 'would-do', calls };
    try {
      const result = await context.host.run(values.command, {
        mutates,
        ...(values.cwd !== undefined ? { cwd: values.cwd } : {}),
        ...(values.env !== undefined ? { env: values.env } : {}),
        timeoutMs: context.timeoutMs,
        signal: context.signal,
        onOutput: (stream, text) => context.onOutput(stream, text),
      });
      const outcome: StepOutcome = { status: 'passed', calls, stdout: result.stdout, stderr: result.stderr };
      if (result.timedOut) return { ...outcome, status: 'failed', error: `timed out after ${formatDuration(context.timeoutMs)}` };
      if (context.signal.aborted) return { ...outcome, status: 'failed', error: 'aborted' };
      outcome.exitCode = result.exitCode;
      return result.exitCode === 0 ? outcome : { ...outcome, status: 'failed', error: `exit code ${result.exitCode}` };
    } catch (error) {
      if (error instanceof ReadOnlyError) return { status: 'refused', calls, error: error.message };
      return failedOutcome(messageOf(error), calls);
    }
  },
});

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

function httpCallOf(values: { method: (typeof HTTP_METHODS)[number]; url: string; body?: string | undefined }): ActionCall {
  return values.body === undefined ? { type: 'http', method: values.method, path: values.url } : { type: 'http', method: values.method, path: values.url, body: values.body };
}

const httpCheck = defineAction({
  name: 'http.check',
  summary: 'Request a URL and check its status (default 200-399); TLS verified unless `insecure: true`',
  params: z.strictObject({
    url: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }),
    method: z.enum(HTTP_METHODS).default('GET'),
    headers: stringMapParam.optional(),
    body: z.string().optional(),
    status: integerListParam.optional(),
    insecure: booleanParam.default(false),
  }),
  mutates: () => false,
  describe: (values) => [httpCallOf(values)],
  async run(values, context) {
    const calls: ActionCall[] = [httpCallOf(values)];
    try {
      const response = await context.host.http({
        method: values.method,
        url: values.url,
        ...(values.headers ? { headers: values.headers } : {}),
        ...(values.body !== undefined ? { body: values.body } : {}),
        timeoutMs: context.timeoutMs,
        insecure: values.insecure,
        signal: context.signal,
      });
      context.onOutput('info', `HTTP ${response.status} in ${formatDuration(response.durationMs)}`);
      const outcome: StepOutcome = { status: 'passed', calls, httpStatus: response.status, body: response.body, data: { durationMs: response.durationMs } };
      const accepted = values.status ? values.status.includes(response.status) : isSuccessStatus(response.status);
      return accepted ? outcome : { ...outcome, status: 'failed', error: `HTTP status ${response.status}, expected ${values.status ? values.status.join(', ') : '200-399'}` };
    } catch (error) {
      return failedOutcome(messageOf(error), calls);
    }
  },
});

const tcpCheck = defineAction({
  name: 'tcp.check',
  summary: 'Open a TCP connection to host:port and report the connect time',
  params: z.strictObject({ host: nameParam, port: portParam }),
  mutates: () => false,
  // No API request and no program: the connection is the whole check.
  describe: () => [],
  async run(values, context) {
    try {
      const connectMs = await context.host.tcp({ host: values.host, port: values.port, timeoutMs: context.timeoutMs, signal: context.signal });
      const line = `connected to ${values.host}:${values.port} in ${formatDuration(connectMs)}`;
      context.onOutput('info', line);
      return { status: 'passed', calls: [], stdout: line, data: { connectMs } };
    } catch (error) {
      return failedOutcome(messageOf(error));
    }
  },
});

export const HOST_ACTIONS = [shellRun, httpCheck, tcpCheck];
