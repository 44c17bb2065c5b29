import type { ActionExecutor } from '../src/domain/engine-action';
import type { PlaybookService } from '../src/playbooks/run-types';
import type { IncidentService } from '../src/incident/incident-types';
import type { GateScheduler } from '../src/gates/gate-types';
import type { OpsdeckStore } from '../src/store/create-opsdeck-store';
import { terminalClipboard, type Clipboard } from '../src/support/osc52';
import { useStdout } from 'ink';
import { useMemo } from 'react';
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
  /** The operator's clipboard (`y`); default: OSC 52 written to Ink's stdout, the terminal. */
  clipboard?: Clipboard | undefined;
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
  const { stdout } = useStdout();
  const clipboard = useMemo(() => props.clipboard ?? terminalClipboard((data) => stdout.write(data)), [props.clipboard, stdout]);
  return (
    <OpsdeckProvider store={props.store} executor={props.executor} playbooks={props.playbooks} incidents={props.incidents} gates={props.gates} clipboard={clipboard}>
      <DisplayProvider ascii={props.ascii ?? false} color={color}>
        <Screen width={props.width} height={props.height} />
      </DisplayProvider>
    </OpsdeckProvider>
  );
}
