import type { ActionExecutor } from '../src/domain/engine-action';
import type { PlaybookService } from '../src/playbooks/run-types';
import type { IncidentService } from '../src/incident/incident-types';
import type { GateScheduler } from '../src/gates/gate-types';
import type { OpsdeckStore } from '../src/store/create-opsdeck-store';
import { DisplayProvider, colorAllowedByEnvironment } from './display-context';
import { Screen } from './Screen';
import { OpsdeckProvider } from './store-context';

export interface AppProps {
  store: OpsdeckStore;
  executor: ActionExecutor;
  /** The playbook runner the wizard sends its intents to. */
  playbooks?: PlaybookService | undefined;
  /** Incident mode (declare, notes, escalations). */
  incidents?: IncidentService | undefined;
  /** The gate scheduler (run a gate now). */
  gates?: Pick<GateScheduler, 'runNow'> | undefined;
  /** Plain characters only: no box drawing, bars, sparklines or symbols. */
  ascii?: boolean;
  /** Colours (default on); NO_COLOR in the environment always turns them off. */
  color?: boolean;
  /** Fixed size instead of the terminal's (tests); otherwise stdout columns/rows, 80x24 when unknown. */
  width?: number;
  height?: number;
}

/** The cockpit: store, action executor and playbook service in context, then the screen. */
export function App(props: AppProps) {
  const color = (props.color ?? true) && colorAllowedByEnvironment();
  return (
    <OpsdeckProvider store={props.store} executor={props.executor} playbooks={props.playbooks} incidents={props.incidents} gates={props.gates}>
      <DisplayProvider ascii={props.ascii ?? false} color={color}>
        <Screen width={props.width} height={props.height} />
      </DisplayProvider>
    </OpsdeckProvider>
  );
}
