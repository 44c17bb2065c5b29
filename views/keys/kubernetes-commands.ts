// Commands of Deployment, StatefulSet and pod rows: rollout restart, scale (the replicas typed
// on the one text-input model), rollout undo (to the revision the history names), delete pod,
// and the detail screen with the rollout status and history. Every mutation is authorized
// first, then confirmed (engine-actions.ts), then run through the action executor.

import { VERB_WORDS, type EngineAction, type RolloutRevision } from '../../src/domain/engine-action';
import type { Workload } from '../../src/domain/types';
import {
  podActionFor,
  selectTargetPod,
  selectTargetWorkload,
  workloadActionFor,
  type WorkloadActionVerb,
} from '../../src/store/selectors/action-targets';
import type { CommandId } from './command-ids';
import type { CommandContext, CommandHandler } from './command-context';
import { askAuthorized, placeOf, whenAuthorized } from './engine-actions';

/** Most replicas a typed scale takes (a typo of 30000 for 3 is refused rather than asked). */
export const MAX_TYPED_REPLICAS = 1000;

function withWorkload(verb: WorkloadActionVerb, run: (context: CommandContext, workload: Workload) => void): CommandHandler {
  return (context) => {
    const state = context.store.getState();
    const target = selectTargetWorkload(state);
    if ('reason' in target) state.showStatus(`${VERB_WORDS[verb].present}: ${target.reason}`, 'warning');
    else run(context, target.workload);
  };
}

/** The revision `kubectl rollout undo` goes back to: the newest one before the current. */
export function previousRevision(history: readonly RolloutRevision[]): RolloutRevision | undefined {
  const current = history.find((revision) => revision.current)?.revision ?? Math.max(...history.map((revision) => revision.revision));
  let previous: RolloutRevision | undefined;
  for (const revision of history) {
    if (revision.revision < current && (previous === undefined || revision.revision > previous.revision)) previous = revision;
  }
  return previous;
}

/** "to revision 2 (shop/api:1.4)" or, without a history, what kubectl would pick. */
function undoDetail(revision: RolloutRevision | undefined, current: string | undefined): string {
  if (!revision) return `to the previous revision${current ? ` (now at ${current})` : ''}; the history could not be read`;
  const images = revision.images.length > 0 ? ` (${revision.images.join(', ')})` : '';
  return `to revision ${revision.revision}${images}${current ? `, from revision ${current}` : ''}`;
}

async function readHistory(context: CommandContext, workload: Workload): Promise<RolloutRevision[] | { error: string }> {
  const result = await context.executor.execute({ verb: 'rollout-history', target: workload.ref });
  if (result.status === 'done' && result.output?.history) return result.output.history;
  return { error: result.error ?? `no history (${result.status})` };
}

function askUndo(context: CommandContext, workload: Workload): void {
  const undo = workloadActionFor('rollout-undo', workload);
  whenAuthorized(context, undo, () => {
    const state = context.store.getState();
    const place = placeOf(state);
    state.showStatus(`reading the rollout history of ${workload.ref.name}…`);
    void readHistory(context, workload).then((history) => {
      const current = context.store.getState();
      if (placeOf(current) !== place || current.ui.confirmation) return;
      const revisions = Array.isArray(history) ? history : [];
      const target = previousRevision(revisions);
      if (Array.isArray(history) && !target) {
        current.showStatus(`${workload.ref.name} has no earlier revision to roll back to`, 'warning');
        return;
      }
      current.clearStatus();
      const action: EngineAction = target ? { verb: 'rollout-undo', target: workload.ref, toRevision: target.revision } : undo;
      current.askConfirmation({ action, targetLabel: workload.ref.name, askedInRead: context.press.terminalRead, detail: undoDetail(target, workload.revision) });
    });
  });
}

function openScale(context: CommandContext, workload: Workload): void {
  whenAuthorized(context, workloadActionFor('scale', workload), () => {
    const state = context.store.getState();
    const from = workload.desiredReplicas ?? 0;
    state.openScaleInput({ target: workload.ref, from });
    state.beginTextInput('scale', String(from));
  });
}

/** The typed replica count, or why it is not one. */
export function parseReplicas(text: string): number | { problem: string } {
  const value = text.trim();
  if (!/^\d+$/.test(value)) return { problem: `"${value}" is not a whole number of replicas` };
  const replicas = Number(value);
  if (replicas > MAX_TYPED_REPLICAS) return { problem: `${replicas} is more than ${MAX_TYPED_REPLICAS} replicas` };
  return replicas;
}

function acceptScale(context: CommandContext): void {
  const state = context.store.getState();
  const input = state.ui.cluster.scaleInput;
  if (!input) return;
  const typed = state.ui.textInput?.id === 'scale' ? state.ui.textInput.state.value : String(input.from);
  const replicas = parseReplicas(typed);
  if (typeof replicas !== 'number') {
    state.openScaleInput({ ...input, problem: replicas.problem });
    return;
  }
  state.endTextInput(true);
  state.openScaleInput(undefined);
  if (replicas === input.from) {
    state.showStatus(`${input.target.name} already asks for ${replicas} replicas: nothing to scale`);
    return;
  }
  const action: EngineAction = { verb: 'scale', target: input.target, replicas };
  askAuthorized(context, action, input.target.name, () => `from ${input.from} to ${replicas} replicas`);
}

function openDetail(context: CommandContext): void {
  const state = context.store.getState();
  const workload = selectTargetWorkload(state);
  if ('workload' in workload) {
    const key = workload.workload.key;
    state.openResourceDetail(key);
    void readHistory(context, workload.workload).then((history) =>
      context.store.getState().resourceHistoryRead(key, Array.isArray(history) ? { revisions: history } : history),
    );
    return;
  }
  const pod = selectTargetPod(state);
  if ('pod' in pod) state.openResourceDetail(pod.pod.key);
  else state.showStatus('detail: select a Deployment, StatefulSet or pod', 'warning');
}

export const KUBERNETES_COMMANDS = {
  'workload.rolloutRestart': withWorkload('rollout-restart', (context, workload) =>
    askAuthorized(context, workloadActionFor('rollout-restart', workload), workload.ref.name, () => {
      const desired = workload.desiredReplicas;
      return desired === undefined ? 'every pod is replaced by a new one' : `its ${desired} pods are replaced one by one`;
    }),
  ),
  'workload.scale': withWorkload('scale', openScale),
  'workload.undo': withWorkload('rollout-undo', askUndo),
  'pod.delete': (context) => {
    const state = context.store.getState();
    const target = selectTargetPod(state);
    if ('reason' in target) {
      state.showStatus(`delete: ${target.reason}`, 'warning');
      return;
    }
    const owner = target.pod.workload;
    const replaced = owner.kind === 'deployment' || owner.kind === 'statefulset';
    askAuthorized(context, podActionFor(target.pod), target.pod.ref.name, () =>
      replaced ? `its ${owner.kind === 'deployment' ? 'Deployment' : 'StatefulSet'} ${owner.name} starts a new one` : 'nothing starts it again',
    );
  },
  'scale.accept': acceptScale,
  'scale.cancel': (context) => {
    const state = context.store.getState();
    const input = state.ui.cluster.scaleInput;
    state.endTextInput(false);
    state.openScaleInput(undefined);
    if (input) state.showStatus(`scale ${input.target.name} cancelled`);
  },
  'resource.detail': openDetail,
  'resourceDetail.close': (context) => context.store.getState().openResourceDetail(undefined),
} satisfies Partial<Record<CommandId, CommandHandler>>;
