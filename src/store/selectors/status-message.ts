// The status message on the hint bar goes after a while, so the keys it covers come back: an
// info ("restarted api") after STATUS_MESSAGE_MS.info, a warning or an error (a refusal, a
// failed action) after a minute. Judged on the store's clock, so it goes at the first tick after.

import type { StatusMessage } from '../slices/ui-slice';
import type { OpsdeckState } from '../store-types';

export const STATUS_MESSAGE_MS: Record<StatusMessage['severity'], number> = { info: 15_000, warning: 60_000, error: 60_000 };

/** The status message while it is shown (the same object), else undefined. */
export function selectShownStatus(state: Pick<OpsdeckState, 'ui' | 'clock'>): StatusMessage | undefined {
  const message = state.ui.statusMessage;
  return message && state.clock - message.at < STATUS_MESSAGE_MS[message.severity] ? message : undefined;
}
