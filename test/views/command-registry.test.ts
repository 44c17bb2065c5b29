import { describe, expect, it } from 'vitest';
import { COMMAND_REGISTRY, completeCommandLine, findCommand, parseCommandLine } from '../../views/commands/command-registry';
import { resolveInstance, resolveTarget, targetNames } from '../../views/commands/command-targets';
import { COMMAND_HANDLERS } from '../../views/keys/dispatch';
import { container, createViewStore, engine, feedIncident, workloadKeyOf } from './fixtures';

describe('command registry', () => {
  it('finds commands by name and alias; every key it names exists', () => {
    expect(findCommand('q')?.name).toBe('quit');
    expect(findCommand('log')?.name).toBe('logs');
    expect(findCommand('reboot')).toBeUndefined();
    for (const command of COMMAND_REGISTRY) if (command.key) expect(COMMAND_HANDLERS[command.key], command.name).toBeTypeOf('function');
    const names = COMMAND_REGISTRY.flatMap((command) => [command.name, ...command.aliases]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('parses a command line', () => {
    expect(parseCommandLine(':restart  shop-api-1 ')).toEqual({ name: 'restart', argument: 'shop-api-1' });
    expect(parseCommandLine('filter error rate')).toEqual({ name: 'filter', argument: 'error rate' });
    expect(parseCommandLine('help')).toEqual({ name: 'help', argument: undefined });
  });

  it('completes names, then targets from the containers and services in the store', () => {
    const store = createViewStore();
    feedIncident(store);
    const state = store.getState();
    expect(completeCommandLine(state, 're')).toEqual({ line: 'restart ', candidates: ['restart'] });
    expect(completeCommandLine(state, 'st').candidates).toEqual(['start', 'stop']);
    expect(completeCommandLine(state, 'st').line).toBe('st');
    expect(completeCommandLine(state, 'restart jivs/').candidates).toEqual(['jivs/api', 'jivs/db', 'jivs/worker']);
    expect(completeCommandLine(state, 'logs jivs-w').line).toBe('logs jivs-worker-1');
    expect(completeCommandLine(state, 'engine l').line).toBe('engine local');
    // Read-only mode does not offer what it would refuse.
    expect(completeCommandLine(createViewStore({ readOnly: true }).getState(), 'r').candidates).toEqual(['run']);
  });

  it('resolves targets by container name, project/service, unique service and id prefix', () => {
    const store = createViewStore();
    feedIncident(store);
    store.getState().instanceUpserted(container('api', { id: 'api-2-id', name: 'jivs-api-2', project: 'jivs' }));
    store.getState().flush();
    const state = store.getState();
    expect(resolveInstance(state, 'janusgraph-demo-vault-1')).toMatchObject({ instance: { ref: { uid: 'vault-id' } } });
    expect(resolveInstance(state, 'vault')).toMatchObject({ instance: { ref: { uid: 'vault-id' } } });
    expect(resolveInstance(state, 'janusgraph-demo/pulsar')).toMatchObject({ instance: { ref: { uid: 'pulsar-id' } } });
    expect(resolveInstance(state, 'puls')).toMatchObject({ instance: { ref: { uid: 'pulsar-id' } } });
    expect(resolveInstance(state, 'jivs/api')).toEqual({ error: 'jivs/api has 2 containers: name one (jivs-api-1, jivs-api-2)' });
    expect(resolveTarget(state, 'jivs/api')).toMatchObject({ workloadKey: workloadKeyOf('api', 'jivs') });
    expect(resolveInstance(state, 'nosuch')).toEqual({ error: 'no container or service "nosuch"' });
    expect(targetNames(state)).toContain('jivs-api-2');
    expect(targetNames(state)).toContain('api');
  });

  it('tells engines apart: the same name on two engines asks for engine:name', () => {
    const store = createViewStore();
    feedIncident(store);
    store.getState().engineRegistered(engine({ id: 'remote', label: 'remote' }));
    store.getState().instanceUpserted(container('vault', { engineId: 'remote', id: 'far-vault-id' }));
    store.getState().flush();
    const state = store.getState();
    expect(resolveInstance(state, 'janusgraph-demo-vault-1')).toEqual({
      error: '"janusgraph-demo-vault-1" is on several engines: local:janusgraph-demo-vault-1, remote:janusgraph-demo-vault-1',
    });
    expect(resolveInstance(state, 'remote:janusgraph-demo-vault-1')).toMatchObject({ instance: { ref: { engineId: 'remote', uid: 'far-vault-id' } } });
    expect(resolveInstance(state, 'local:vault')).toMatchObject({ instance: { ref: { engineId: 'local', uid: 'vault-id' } } });
  });
});
