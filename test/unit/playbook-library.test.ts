// The shipped library as data: every file loads with the built-in actions, suggestions bind
// each alert's target to an input that can take it, and mutating steps are confirmed (the most
// destructive ones by typing the target's name). Running them is test/integration/playbook-library*.
import { describe, expect, it } from 'vitest';
import type { AlertKind } from '../../src/domain/types';
import { createBuiltInActionRegistry } from '../../src/playbooks/actions/built-in-actions';
import { loadPlaybookCatalog, shippedPlaybooksDirectory } from '../../src/playbooks/load-playbooks';
import type { InputType, Playbook } from '../../src/playbooks/playbook-types';

// What `alert.target` is for each alert kind (src/domain/thresholds.ts): the input types that can take it.
const TARGET_INPUT_TYPES: Record<AlertKind, readonly InputType[]> = {
  restarting: ['container'],
  unhealthy: ['container'],
  cpu: ['service'],
  memory: ['service'],
  engine: ['engine'],
  disk: ['string'],
  'host-cpu': [],
  'host-memory': [],
  // A failing configured gate: its workload's ref key when the check names one, else `gate:ID`.
  gate: [],
};

const registry = createBuiltInActionRegistry();

async function library(): Promise<readonly Playbook[]> {
  const catalog = await loadPlaybookCatalog({ directories: [shippedPlaybooksDirectory()], registry });
  expect(catalog.invalid).toEqual([]);
  return catalog.playbooks;
}

describe('the shipped playbook library', () => {
  it('loads every playbook of the issue, each naming its runbook section', async () => {
    const playbooks = await library();
    expect(playbooks.map((playbook) => playbook.id).sort()).toEqual(
      expect.arrayContaining([
        'backup-container-data', 'disk-space', 'high-cpu', 'high-error-rate', 'high-memory', 'morning-health-check',
        'planned-maintenance', 'podman-connection-check', 'podman-reset-stuck-containers', 'restart-service-gracefully',
        'restore-from-backup', 'security-evidence-capture', 'service-down', 'vault-seal-status', 'verify-latest-backup',
        'k8s-service-down', 'k8s-rollback-deployment', 'k8s-rolling-restart', 'k8s-scale-deployment', 'k8s-high-memory',
        'k8s-high-error-rate', 'k8s-database-connections',
      ]),
    );
    for (const playbook of playbooks) {
      expect(playbook.source, playbook.id).toBeDefined();
      expect(playbook.description.startsWith(`Runbook ${playbook.source!.runbook}, `), playbook.id).toBe(true);
    }
  });

  it('binds an alert\'s target only to an input that can take it', async () => {
    for (const playbook of await library()) {
      for (const rule of playbook.suggest) {
        if (rule.alert === undefined) continue;
        const accepted = TARGET_INPUT_TYPES[rule.alert as AlertKind];
        expect(accepted, `${playbook.id}: unknown alert kind ${rule.alert}`).toBeDefined();
        for (const [name, template] of Object.entries(rule.bind)) {
          if (!template.includes('alert.target')) continue;
          const input = playbook.inputs.find((candidate) => candidate.name === name);
          expect(accepted, `${playbook.id}: ${rule.alert} binds its target to ${name} (${input?.type})`).toContain(input?.type);
        }
      }
    }
  });

  it('binds a Kubernetes row or gate only to a deployment input, and every k8s playbook takes one', async () => {
    for (const playbook of await library()) {
      const kubernetes = playbook.steps.some((step) => step.action.startsWith('k8s.'));
      if (kubernetes) expect(playbook.inputs.find((input) => input.name === 'deployment')?.type, playbook.id).toBe('deployment');
      for (const rule of playbook.suggest) {
        if (rule.resource === undefined && !['deployments-available', 'no-pod-crash-loop', 'no-pod-pending'].includes(rule.gate ?? '')) continue;
        expect(kubernetes, `${playbook.id}: a Kubernetes rule on a playbook without k8s steps`).toBe(true);
        for (const name of Object.keys(rule.bind)) expect(playbook.inputs.find((input) => input.name === name)?.type, `${playbook.id} binds ${name}`).toBe('deployment');
      }
    }
  });

  it('confirms every mutating step, and asks for the typed name before a restore or an isolation', async () => {
    for (const playbook of await library()) {
      for (const step of [...playbook.steps, ...playbook.rollback]) {
        const definition = registry.get(step.action);
        expect(definition, `${playbook.id}/${step.id}: ${step.action}`).toBeDefined();
        if (!definition!.mutates(step.with as Record<string, unknown>)) continue;
        // A start right after a confirmed stop of the same procedure is not asked again.
        if (step.confirm === 'none') expect(step.action, `${playbook.id}/${step.id}`).toMatch(/\.start$/);
      }
    }
    const confirmOf = (playbooks: readonly Playbook[], id: string, stepId: string) => playbooks.find((playbook) => playbook.id === id)?.steps.find((step) => step.id === stepId)?.confirm;
    const playbooks = await library();
    expect(confirmOf(playbooks, 'restore-from-backup', 'restore')).toBe('type-target');
    expect(confirmOf(playbooks, 'security-evidence-capture', 'isolate')).toBe('type-target');
  });
});
