// An ActionExecutor that answers engine reads from a script (until the engine adapters
// implement inspect, logs, exec, stats and archive, and for cases a real engine cannot show:
// a StartedAt before the intent, an exit code 3). Like the real executor it sends nothing for
// a mutating action in a dry run and refuses it in read-only mode; it records what it executed.
import { isMutating, type ActionCall, type ActionExecutor, type ActionResult, type EngineAction, type ExecuteOptions } from '../../src/domain/engine-action';

export type Script = (action: EngineAction, options: ExecuteOptions) => Partial<ActionResult> | Promise<Partial<ActionResult>>;

/** A call in the shape the Docker adapter describes, enough to assert which call a step makes. */
export function scriptedCall(action: EngineAction): ActionCall {
  const id = action.target.uid ?? action.target.name;
  switch (action.verb) {
    case 'inspect':
      return { type: 'http', method: 'GET', path: `/containers/${id}/json` };
    case 'logs':
      return { type: 'http', method: 'GET', path: `/containers/${id}/logs?stdout=1&stderr=1${action.sinceSeconds === undefined ? '' : `&since=${action.sinceSeconds}`}${action.tail === undefined ? '' : `&tail=${action.tail}`}` };
    case 'stats':
      return { type: 'http', method: 'GET', path: `/containers/${id}/stats?stream=false` };
    case 'exec':
      return { type: 'http', method: 'POST', path: `/containers/${id}/exec`, body: { Cmd: action.argv } };
    case 'archive':
      return { type: 'http', method: 'GET', path: `/containers/${id}/archive?path=${encodeURIComponent(action.path)}` };
    case 'restore':
      return { type: 'http', method: 'PUT', path: `/containers/${id}/archive?path=${encodeURIComponent(action.path)}` };
    case 'kill':
      return { type: 'http', method: 'POST', path: `/containers/${id}/kill?signal=${action.signal ?? 'KILL'}` };
    default:
      return { type: 'http', method: 'POST', path: `/containers/${id}/${action.verb}` };
  }
}

export class ScriptedExecutor implements ActionExecutor {
  readonly executed: Array<{ action: EngineAction; options: ExecuteOptions }> = [];
  /** Actions that reached the "engine" (not answered as would-do or refused). */
  readonly sent: EngineAction[] = [];

  constructor(
    private readonly script: Script,
    private readonly readOnly = false,
  ) {}

  describe(action: EngineAction): ActionCall {
    return scriptedCall(action);
  }

  refusal(action: EngineAction): string | undefined {
    return this.readOnly && isMutating(action) ? `read-only mode: refused to ${action.verb} ${action.target.name}` : undefined;
  }

  authorize(action: EngineAction): Promise<string | undefined> {
    return Promise.resolve(this.refusal(action));
  }

  async execute(action: EngineAction, options: ExecuteOptions = {}): Promise<ActionResult> {
    this.executed.push({ action, options });
    const call = scriptedCall(action);
    const refusal = this.refusal(action);
    if (refusal) return { action, call, status: 'refused', error: refusal, durationMs: 0 };
    if (options.dryRun && isMutating(action)) return { action, call, status: 'would-do', durationMs: 0 };
    this.sent.push(action);
    return { action, call, status: 'done', durationMs: 1, ...(await this.script(action, options)) };
  }
}
