// Alertmanager's v2 API: active alerts (silenced and inhibited ones included, so an acknowledged
// alert shows as suppressed), silences, and creating one. Texts are sanitised here, where they enter.

import { toDisplayText, toDisplayTextOrUndefined } from '../../domain/untrusted-text';
import { sanitisedLabels } from './prometheus-client';
import { createSourceHttp, SourceError, type SourceHttpOptions } from './source-http';
import type { AlertmanagerClient, ExternalAlert, Silence, SilenceMatcher, SilenceRequest, SourceConfig } from './source-types';

export const SILENCES_PATH = '/api/v2/silences';

interface AlertPayload {
  fingerprint?: string;
  labels?: unknown;
  annotations?: unknown;
  startsAt?: string;
  generatorURL?: string;
  status?: { state?: string; silencedBy?: unknown; inhibitedBy?: unknown };
}

interface SilencePayload {
  id?: string;
  matchers?: Array<Partial<SilenceMatcher>>;
  startsAt?: string;
  endsAt?: string;
  createdBy?: string;
  comment?: string;
  status?: { state?: string };
}

const ALERT_STATES: ReadonlySet<string> = new Set(['active', 'suppressed', 'unprocessed']);
const SILENCE_STATES: ReadonlySet<string> = new Set(['active', 'pending', 'expired']);

const timeOf = (text: string | undefined): number => (text ? Date.parse(text) : Number.NaN);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string').map(toDisplayText) : []);

export function externalAlertOf(payload: AlertPayload): ExternalAlert {
  const labels = sanitisedLabels(payload.labels);
  const state = payload.status?.state ?? 'active';
  const severity = labels.severity;
  const source = toDisplayTextOrUndefined(payload.generatorURL);
  return {
    fingerprint: toDisplayText(payload.fingerprint ?? ''),
    name: labels.alertname ?? '(unnamed alert)',
    labels,
    annotations: sanitisedLabels(payload.annotations),
    ...(severity !== undefined ? { severity } : {}),
    state: (ALERT_STATES.has(state) ? state : 'active') as ExternalAlert['state'],
    silencedBy: strings(payload.status?.silencedBy),
    startsAt: timeOf(payload.startsAt),
    ...(source ? { source } : {}),
  };
}

export function silenceOf(payload: SilencePayload): Silence {
  const state = payload.status?.state ?? 'active';
  return {
    id: toDisplayText(payload.id ?? ''),
    matchers: (payload.matchers ?? []).map((matcher) => ({
      name: toDisplayText(matcher.name ?? ''),
      value: toDisplayText(matcher.value ?? ''),
      isRegex: matcher.isRegex === true,
      isEqual: matcher.isEqual !== false,
    })),
    startsAt: timeOf(payload.startsAt),
    endsAt: timeOf(payload.endsAt),
    createdBy: toDisplayText(payload.createdBy ?? ''),
    comment: toDisplayText(payload.comment ?? ''),
    state: (SILENCE_STATES.has(state) ? state : 'active') as Silence['state'],
  };
}

/** The JSON body of POST /api/v2/silences (times as RFC 3339), shown as is by a dry run. */
export function silenceBody(request: SilenceRequest): Record<string, unknown> {
  return {
    matchers: request.matchers.map(({ name, value, isRegex, isEqual }) => ({ name, value, isRegex, isEqual })),
    startsAt: new Date(request.startsAt).toISOString(),
    endsAt: new Date(request.endsAt).toISOString(),
    createdBy: request.createdBy,
    comment: request.comment,
  };
}

/** Alertmanager's filter syntax: label="value" with quotes and backslashes escaped. */
function filterOf(name: string, value: string): string {
  return `${name}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function createAlertmanagerClient(config: SourceConfig, options: Partial<SourceHttpOptions> = {}): AlertmanagerClient & { readonly baseUrl: string } {
  const source = createSourceHttp(config, { label: 'Alertmanager', ...options });
  const signalOf = (signal: AbortSignal | undefined) => (signal ? { signal } : {});
  return {
    baseUrl: source.baseUrl,
    async alerts(alertOptions = {}) {
      const search = new URLSearchParams({ active: 'true', silenced: 'true', inhibited: 'true', unprocessed: 'true' });
      for (const [name, value] of Object.entries(alertOptions.filter ?? {})) search.append('filter', filterOf(name, value));
      const answer = await source.requestJson({ method: 'GET', path: `/api/v2/alerts?${search.toString()}`, ...signalOf(alertOptions.signal) });
      if (!Array.isArray(answer)) throw new SourceError('Alertmanager: /api/v2/alerts did not answer a list');
      return (answer as AlertPayload[]).map(externalAlertOf);
    },
    async createSilence(request, silenceOptions = {}) {
      const answer = (await source.requestJson({ method: 'POST', path: SILENCES_PATH, body: silenceBody(request), ...signalOf(silenceOptions.signal) })) as { silenceID?: unknown } | undefined;
      if (typeof answer?.silenceID !== 'string') throw new SourceError('Alertmanager: the silence was not given an id');
      return toDisplayText(answer.silenceID);
    },
    async silences(silenceOptions = {}) {
      const answer = await source.requestJson({ method: 'GET', path: SILENCES_PATH, ...signalOf(silenceOptions.signal) });
      if (!Array.isArray(answer)) throw new SourceError('Alertmanager: /api/v2/silences did not answer a list');
      return (answer as SilencePayload[]).map(silenceOf);
    },
  };
}
