import type { ActionExecutor } from '../../src/domain/engine-action';
import type { PlaybookService } from '../../src/playbooks/run-types';
import type { IncidentService } from '../../src/incident/incident-types';
import type { GateScheduler } from '../../src/gates/gate-types';
import type { OpsdeckStore } from '../../src/store/create-opsdeck-store';
import type { PanelId } from '../../src/store/slices/ui-slice';
import type { Clipboard } from '../../src/support/osc52';
import type { KeyPress } from './key-press';

/** Rows on screen, for page-wise movement; filled by the layout on each render. */
export interface Viewport {
  listRows: Record<PanelId, number>;
  logRows: number;
  /** The full-screen detail's frame (width and height with its border), for scrolling it. */
  detail: { width: number; height: number };
}

export interface CommandContext {
  store: OpsdeckStore;
  executor: ActionExecutor;
  /** Where the wizard's intents go (start, resume, a run's controls); absent: the wizard says so. */
  playbooks?: PlaybookService | undefined;
  /** Incident mode (absent: the cockpit says it is not wired). */
  incidents?: IncidentService | undefined;
  /** Run a gate now. */
  gates?: Pick<GateScheduler, 'runNow'> | undefined;
  /** The operator's clipboard (`y` copies the status update through OSC 52). */
  clipboard?: Clipboard | undefined;
  /** Unmounts the Ink app (useApp().exit). */
  exit: () => void;
  viewport: Viewport;
  press: KeyPress;
}

export type CommandHandler = (context: CommandContext) => void;

export const DEFAULT_VIEWPORT: Viewport = {
  listRows: { services: 10, resources: 10, errors: 10, gates: 10 },
  logRows: 20,
  detail: { width: 120, height: 36 },
};
