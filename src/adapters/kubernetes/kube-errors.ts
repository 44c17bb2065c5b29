// Why a context cannot be used, in one clean line for the header: the kubeconfig's problem,
// a refused or unreachable server, a TLS failure, refused credentials (401) or a forbidden
// list (403) with the server's own words. The server's and the system's text is untrusted.

import { toDisplayText } from '../../domain/untrusted-text';
import { KubeApiError } from './kube-connection';

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

function firstLine(text: string): string {
  return toDisplayText((text.split('\n')[0] ?? text).trim());
}

/** The error as the operator reads it; `server` names where it was reached. */
export function describeKubeError(error: unknown, server?: string): string {
  const where = server ? toDisplayText(server) : 'the API server';
  if (error instanceof KubeApiError) {
    const message = firstLine(error.message);
    if (error.status === 401) return `${where} refused the credentials (401 Unauthorized)${message && message !== 'Unauthorized' ? `: ${message}` : ''}`;
    if (error.status === 403) return `forbidden (403): ${message}`;
    return `${where} answered ${error.status} ${toDisplayText(error.reason)}: ${message}`;
  }
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = firstLine(error.message);
    if (code === 'ECONNREFUSED') return `cannot reach ${where}: connection refused`;
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot reach ${where}: unknown host (${message})`;
    if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `cannot reach ${where}: ${toDisplayText(code)}`;
    if (code === 'ECONNRESET') return `${where} closed the connection`;
    if (code !== undefined && (TLS_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL'))) return `TLS with ${where} failed: ${message}`;
    if (code !== undefined && !message.includes(code)) return `${toDisplayText(code)}: ${message}`;
    return message;
  }
  return firstLine(String(error));
}

/** A failure of the kubeconfig itself (unreadable file, unknown context), named as such. */
export function describeKubeconfigError(error: unknown): string {
  return `kubeconfig: ${describeKubeError(error)}`;
}
