// `http` gates: a request through the host commands (node's http/https, no curl), judged by its
// status (200-399 as curl -f, or the codes written), a body regex and a JSON comparison. TLS is
// verified unless the gate says `tlsVerify: false`; `caFile` trusts a private CA.

import { readFile } from 'node:fs/promises';
import { isSuccessStatus, type HostCommands, type HttpResult } from '../../adapters/host/host-commands';
import { formatDuration } from '../../domain/duration';
import type { GateChecker, GateEvidence, GateOutcome, HttpCheck } from '../gate-types';
import { BACKSTOP_TIMEOUT_MS, abortedOutcome, errorText, excerptOf, guarded, isOutcome, judgeJson, patternOrOutcome, patternText, unknownOutcome } from './check-support';

/** The URL without credentials or query (for details and evidence). */
function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return url;
  }
}

export function createHttpChecker(host: HostCommands): GateChecker<HttpCheck> {
  return {
    type: 'http',
    run: (check, context) =>
      guarded(context.signal, async () => {
        const pattern = patternOrOutcome(check.bodyMatches);
        if (isOutcome(pattern)) return pattern;
        let ca: string | undefined;
        if (check.caFile !== undefined) {
          try {
            ca = await readFile(check.caFile, 'utf8');
          } catch (error) {
            return unknownOutcome(`cannot read caFile ${check.caFile}: ${errorText(error)}`);
          }
        }
        let response: HttpResult;
        try {
          response = await host.http({
            method: check.method,
            url: check.url,
            ...(check.headers ? { headers: check.headers } : {}),
            ...(check.body !== undefined ? { body: check.body } : {}),
            timeoutMs: BACKSTOP_TIMEOUT_MS,
            insecure: !check.tlsVerify,
            ...(ca !== undefined ? { ca } : {}),
            signal: context.signal,
          });
        } catch (error) {
          if (context.signal.aborted) return abortedOutcome();
          const message = errorText(error);
          return { status: 'fail', detail: message, evidence: { error: message } };
        }
        return judgeResponse(check, response, pattern);
      }),
  };
}

function judgeResponse(check: HttpCheck, response: HttpResult, pattern: RegExp | undefined): GateOutcome {
  const evidence: GateEvidence = { statusCode: response.status, bodyExcerpt: excerptOf(response.body) };
  const where = `${check.method} ${shownUrl(check.url)}`;
  const accepted = check.expectStatus ? check.expectStatus.includes(response.status) : isSuccessStatus(response.status);
  if (!accepted) {
    const expected = check.expectStatus ? check.expectStatus.join(', ') : '200-399';
    return { status: 'fail', detail: `${where}: HTTP ${response.status}, expected ${expected}`, evidence };
  }
  if (pattern && !pattern.test(response.body)) {
    return { status: 'fail', detail: `${where}: HTTP ${response.status}, body does not match ${patternText(pattern)}`, evidence };
  }
  if (check.json) {
    const judged = judgeJson(response.body, check.json, 'body');
    const judgedEvidence = { ...evidence, ...judged.evidence };
    if (!judged.holds) return { status: 'fail', detail: `${where}: ${judged.detail}`, evidence: judgedEvidence };
    return { status: 'pass', detail: `${where}: HTTP ${response.status}, ${judged.detail}`, evidence: judgedEvidence };
  }
  return { status: 'pass', detail: `${where}: HTTP ${response.status} in ${formatDuration(response.durationMs)}`, evidence };
}
