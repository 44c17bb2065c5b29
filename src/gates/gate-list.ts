// The one list of gates the panel, the scheduler, `status --json` and `opsdeck check` see: the
// built-in gates (derived from the live state) and the configured ones (their last result, or
// `pending`), a configured `built-in` entry decorating the built-in result it names (listed
// under the entry's id with its stage, failure code and recovery), the recovery inputs bound,
// and the pipeline applied. Pure.

import type { GateResult } from '../domain/types';
import { bindInputs } from '../playbooks/suggestions';
import type { SuggestRule } from '../playbooks/playbook-types';
import type { GateSpec } from './gate-types';
import { applyPipeline, type PipelineView } from './pipeline';

// Each gate's decorated result is kept while what it was made from is the same object, so a
// check of one gate does not hand every other row a new object (and the cockpit a new frame).
const pendingResults = new WeakMap<GateSpec, GateResult>();
const decoratedResults = new WeakMap<GateSpec, { raw: GateResult; result: GateResult }>();

/** A configured gate before its first check (the same object for the same spec). */
export function pendingResult(spec: GateSpec): GateResult {
  let pending = pendingResults.get(spec);
  if (!pending) {
    pending = { id: spec.id, title: spec.title, status: 'pending', detail: 'not checked yet', checkedAt: 0, origin: 'configured' };
    pendingResults.set(spec, pending);
  }
  return pending;
}

/** The built-in gate result a `built-in` entry names, or undefined (another type, or the gate does not apply to the engines watched). */
export function builtInResultFor(spec: GateSpec, builtIns: readonly GateResult[]): GateResult | undefined {
  if (spec.check.type !== 'built-in') return undefined;
  const name = spec.check.gate;
  return builtIns.find((gate) => gate.id === name);
}

/** A configured gate's own result (what its check answered), before the pipeline: decorated from its spec. */
export function configuredResult(spec: GateSpec, builtIns: readonly GateResult[], checked: Readonly<Record<string, GateResult>>): GateResult {
  const raw = spec.check.type === 'built-in' ? builtInOrUnknown(spec, builtIns) : (checked[spec.id] ?? pendingResult(spec));
  const kept = decoratedResults.get(spec);
  if (kept?.raw === raw) return kept.result;
  const result = decorate(spec, raw);
  decoratedResults.set(spec, { raw, result });
  return result;
}

function decorate(spec: GateSpec, raw: GateResult): GateResult {
  const result: GateResult = { ...raw, id: spec.id, title: spec.title, severity: spec.severity, origin: raw.origin ?? 'built-in' };
  if (spec.check.type === 'built-in') result.builtInGate = spec.check.gate;
  if (spec.stage !== undefined) result.stage = spec.stage;
  if (spec.failureCode !== undefined) result.failureCode = spec.failureCode;
  if (spec.recovery) {
    result.playbook = spec.recovery.playbook;
    result.playbookInputs = bindInputs({ bind: spec.recovery.inputs } as SuggestRule, {
      kind: 'gate',
      gate: { id: spec.id, detail: raw.detail, ...(raw.workloadKey !== undefined ? { workload: raw.workloadKey } : {}), ...(spec.check.type === 'built-in' ? { builtIn: spec.check.gate } : {}) },
    });
  }
  return result;
}

const notApplying = new WeakMap<GateSpec, GateResult>();

/** The built-in result as it is (its origin says built-in), or the same `unknown` while it does not apply. */
function builtInOrUnknown(spec: GateSpec, builtIns: readonly GateResult[]): GateResult {
  const found = builtInResultFor(spec, builtIns);
  if (found) return found;
  let unknown = notApplying.get(spec);
  if (!unknown) {
    const name = spec.check.type === 'built-in' ? spec.check.gate : spec.id;
    unknown = { id: spec.id, title: spec.title, status: 'unknown', detail: `built-in gate ${name} does not apply to the engines watched`, checkedAt: 0, origin: 'built-in' };
    notApplying.set(spec, unknown);
  }
  return unknown;
}

/**
 * Built-in gates (those no entry decorates) first, then the configured ones as written; the
 * pipeline orders the staged ones ahead and blocks what it must.
 */
export function composeGates(builtIns: readonly GateResult[], specs: readonly GateSpec[], checked: Readonly<Record<string, GateResult>>): PipelineView {
  if (specs.length === 0) return applyPipeline(builtIns);
  const decorated = new Set(specs.flatMap((spec) => (spec.check.type === 'built-in' ? [spec.check.gate] : [])));
  const plain = decorated.size === 0 ? builtIns : builtIns.filter((gate) => !decorated.has(gate.id));
  return applyPipeline([...plain, ...specs.map((spec) => configuredResult(spec, builtIns, checked))]);
}
