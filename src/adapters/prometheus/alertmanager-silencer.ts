// Acknowledging an Alertmanager alert is a mutation like any other: a `silence` EngineAction run
// by the one action executor, which finds this adapter by the alert's engineId. It says its exact
// call (POST URL and JSON body) for confirmations and dry runs, and refuses in read-only mode.

import { ReadOnlyError, type EngineAdapter, type Silenceable } from '../capabilities';
import type { ActionCall, EngineAction } from '../../domain/engine-action';
import { SILENCES_PATH, silenceBody } from './alertmanager-client';
import type { AlertmanagerClient, SilenceRequest } from './source-types';
import { ALERTMANAGER_SOURCE_ID } from '../../store/selectors/source-rows';

/** The engineId of Alertmanager alerts (ResourceRef kind `alert`). */
export const ALERTMANAGER_ENGINE_ID = ALERTMANAGER_SOURCE_ID;

type SilenceAction = Extract<EngineAction, { verb: 'silence' }>;

export interface AlertmanagerSilencerOptions {
  client: AlertmanagerClient;
  /** Alertmanager's base URL, for the call shown. */
  baseUrl: string;
  readOnly: boolean;
  /** createdBy of a silence whose action names nobody: the operator of this cockpit. */
  operator: string;
  now?: () => number;
  /** After Alertmanager accepted a silence (refresh the alerts, journal it). */
  onSilenced?(action: SilenceAction, silenceId: string): void;
}

/** The silence an action asks for, starting now. */
export function silenceRequestOf(action: Pick<SilenceAction, 'matchers' | 'durationMs' | 'comment' | 'createdBy'>, now: number, operator: string): SilenceRequest {
  return { matchers: [...action.matchers], startsAt: now, endsAt: now + action.durationMs, createdBy: action.createdBy || operator, comment: action.comment };
}

export function createAlertmanagerSilencer(options: AlertmanagerSilencerOptions): EngineAdapter & Silenceable {
  const now = options.now ?? Date.now;
  const url = `${options.baseUrl}${SILENCES_PATH}`;
  return {
    engineId: ALERTMANAGER_ENGINE_ID,
    // Alerts are polled by the runtime's source pollers (src/runtime/source-pollers.ts).
    start: () => undefined,
    stop: async () => undefined,
    collectOnce: async () => undefined,
    describeCall(action): ActionCall | undefined {
      if (action.verb !== 'silence') return undefined;
      return { type: 'http', method: 'POST', path: url, body: silenceBody(silenceRequestOf(action, now(), options.operator)) };
    },
    async silenceAlert(target, silence, operation = {}) {
      if (options.readOnly) throw new ReadOnlyError('silence', target.name);
      const request = silenceRequestOf(silence, now(), options.operator);
      const id = await options.client.createSilence(request, operation.signal ? { signal: operation.signal } : {});
      options.onSilenced?.({ verb: 'silence', target, ...silence, createdBy: request.createdBy }, id);
      return id;
    },
  };
}
