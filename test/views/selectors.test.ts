import { describe, expect, it } from 'vitest';
import { alertSeverityFor } from '../../src/store/selectors/alert-selectors';
import { selectErrorRowKeys } from '../../src/store/selectors/error-rows';
import { findMatches, logWindow, scrollOffsetShowing, stepMatch, type LogLineSource } from '../../src/store/selectors/log-view';
import { memoizeLast } from '../../src/store/selectors/memoize';
import { moveSelection, resolveSelectedIndex, selectPanelRowKeys } from '../../src/store/selectors/panel-rows';
import { selectResourceRowIds } from '../../src/store/selectors/resource-rows';
import { selectTargetInstance, selectTargetWorkloadKey } from '../../src/store/selectors/selection-targets';
import { projectKeyOf, selectProjectSummary, selectServiceTree } from '../../src/store/selectors/service-tree';
import { inventoryOf } from '../support/domain-fixtures';
import type { LogLine } from '../../src/domain/types';
import { container, createViewStore, engine, feedIncident, instanceKeyOf, stats, workloadKeyOf } from './fixtures';

const JIVS = projectKeyOf(container('api', { project: 'jivs' }));
const DEMO = projectKeyOf(container('api'));

describe('services tree', () => {
  it('groups project -> service -> container, standalone containers last', () => {
    const store = createViewStore();
    store.getState().engineRegistered(engine());
    store.getState().inventoryReplaced('local', inventoryOf([
      container('web'),
      container('worker', { id: 'worker-1', name: 'shop-worker-1', project: 'shop' }),
      container('worker', { id: 'worker-2', name: 'shop-worker-2', project: 'shop' }),
      container('loner', { project: '(standalone)', name: 'loner' }),
    ]));
    store.getState().flush();
    const rows = selectServiceTree(store.getState()).rows.map((row) => `${row.depth}:${row.kind}:${row.label}`);
    expect(rows).toEqual([
      '0:project:janusgraph-demo',
      '1:container:web',
      '0:project:shop',
      '1:service:worker',
      '2:container:shop-worker-1',
      '2:container:shop-worker-2',
      '0:project:(standalone)',
      '1:container:loner',
    ]);
  });

  it('groups engine -> project -> service when several engines are watched; the same daemon twice keeps both', () => {
    const store = createViewStore();
    store.getState().engineRegistered(engine({ id: 'socket', label: 'socket' }));
    store.getState().engineRegistered(engine({ id: 'tcp', label: 'tcp' }));
    // The same daemon configured twice: same container ids and names on both engines.
    store.getState().inventoryReplaced('socket', inventoryOf([container('web', { engineId: 'socket', project: 'shop' })]));
    store.getState().inventoryReplaced('tcp', inventoryOf([container('web', { engineId: 'tcp', project: 'shop' })]));
    store.getState().flush();
    const rows = selectServiceTree(store.getState()).rows.map((row) => `${row.depth}:${row.kind}:${row.label}`);
    expect(rows).toEqual(['0:engine:socket', '1:project:shop', '2:container:web', '0:engine:tcp', '1:project:shop', '2:container:web']);
    // Folding an engine hides all it has.
    store.getState().toggleProjectCollapsed('engine:socket');
    expect(selectServiceTree(store.getState()).rows.map((row) => row.label)).toEqual(['socket', 'tcp', 'shop', 'web']);
  });

  it('hides the services of a collapsed project, except while filtering', () => {
    const store = createViewStore();
    feedIncident(store);
    store.getState().toggleProjectCollapsed(JIVS);
    expect(selectServiceTree(store.getState()).rows.filter((row) => row.projectKey === JIVS)).toHaveLength(1);
    store.getState().startFilter('services');
    store.getState().setFilter('work');
    const labels = selectServiceTree(store.getState()).rows.map((row) => row.label);
    expect(labels).toEqual(['jivs', 'worker']);
  });

  it('keeps its identity while containers do not change (stats flushes)', () => {
    const store = createViewStore();
    feedIncident(store);
    const before = selectServiceTree(store.getState());
    store.getState().statsReceived(stats(instanceKeyOf('pulsar'), 50));
    store.getState().flush();
    expect(selectServiceTree(store.getState())).toBe(before);
  });

  it('summarises projects with their worst alert', () => {
    const store = createViewStore();
    feedIncident(store);
    const summary = selectProjectSummary(store.getState(), DEMO);
    expect(summary).toMatchObject({ containers: 5, running: 4, unhealthy: 1, restarts: 14, severity: 'critical' });
    expect(selectProjectSummary(store.getState(), JIVS).severity).toBeUndefined();
  });
});

describe('alerts by row', () => {
  it('finds the worst severity among a row’s targets', () => {
    const store = createViewStore();
    feedIncident(store);
    const state = store.getState();
    expect(alertSeverityFor(state, [instanceKeyOf('jupyter')])).toBe('critical');
    expect(alertSeverityFor(state, [instanceKeyOf('api', 'jivs'), workloadKeyOf('api', 'jivs')])).toBeUndefined();
    expect(alertSeverityFor(state, [instanceKeyOf('pulsar'), workloadKeyOf('pulsar')])).toBe('critical');
  });
});

describe('error rows', () => {
  it('lists fingerprints most frequent first', () => {
    const store = createViewStore();
    feedIncident(store);
    expect(selectErrorRowKeys(store.getState())).toEqual(['ERROR Connection refused to <ip>', 'FATAL vault sealed: unable to unseal']);
  });
});

describe('resources rows', () => {
  it('orders containers worst first, then by cpu', () => {
    const store = createViewStore();
    feedIncident(store);
    store.getState().statsReceived(stats(instanceKeyOf('api', 'jivs'), 1, 95));
    store.getState().flush();
    expect(selectResourceRowIds(store.getState())).toEqual([
      instanceKeyOf('pulsar'),
      instanceKeyOf('api', 'jivs'),
      instanceKeyOf('jupyter'),
      instanceKeyOf('analytics-api'),
      instanceKeyOf('hcd-server'),
    ]);
  });

  it('keeps rows in place while their usage moves by less than a point, and reorders once it moved more', () => {
    const store = createViewStore();
    feedIncident(store);
    const feed = (samples: Record<string, number>) => {
      for (const [service, cpu] of Object.entries(samples)) store.getState().statsReceived(stats(instanceKeyOf(service), cpu, 12));
      store.getState().flush();
    };
    feed({ 'analytics-api': 5.2, 'hcd-server': 3.6 });
    const order = selectResourceRowIds(store.getState());
    const position = (rows: string[], service: string) => rows.indexOf(instanceKeyOf(service));
    expect(position(order, 'analytics-api')).toBe(position(order, 'hcd-server') - 1);
    // Noise: hcd-server now shows more than analytics-api, but neither moved a point from where it was ranked.
    feed({ 'analytics-api': 4.3, 'hcd-server': 4.7 });
    expect(store.getState().statsByInstance[instanceKeyOf('hcd-server')]?.cpuPercent).toBe(4.7);
    expect(selectResourceRowIds(store.getState())).toBe(order);
    feed({ 'analytics-api': 5.8, 'hcd-server': 3.1 });
    expect(selectResourceRowIds(store.getState())).toBe(order);
    // A real change: hcd-server at 6.5 % is ranked anew (7) and goes above analytics-api (5).
    feed({ 'hcd-server': 6.5 });
    const reordered = selectResourceRowIds(store.getState());
    expect(position(reordered, 'hcd-server')).toBe(position(reordered, 'analytics-api') - 1);
    // Idle rows rank 0 whatever fraction they show, and stand in name order.
    feed({ 'analytics-api': 0.3, 'hcd-server': 0.1 });
    const idle = selectResourceRowIds(store.getState());
    expect(position(idle, 'analytics-api')).toBe(position(idle, 'hcd-server') - 1);
  });
});

describe('panel rows and selection', () => {
  it('falls back to the first row when nothing or a vanished row is selected', () => {
    expect(resolveSelectedIndex(['a', 'b'], undefined)).toBe(0);
    expect(resolveSelectedIndex(['a', 'b'], 'b')).toBe(1);
    expect(resolveSelectedIndex(['a', 'b'], 'gone')).toBe(0);
    expect(resolveSelectedIndex([], 'a')).toBe(-1);
  });

  it('moves within the list and clamps at both ends', () => {
    expect(moveSelection(['a', 'b', 'c'], 'a', 1)).toBe('b');
    expect(moveSelection(['a', 'b', 'c'], 'c', 1)).toBe('c');
    expect(moveSelection(['a', 'b', 'c'], 'b', -99)).toBe('a');
    expect(moveSelection([], undefined, 1)).toBeUndefined();
  });

  it('narrows only the panel that owns the filter', () => {
    const store = createViewStore();
    feedIncident(store);
    store.getState().startFilter('errors');
    store.getState().setFilter('vault');
    const state = store.getState();
    expect(selectErrorRowKeys(state)).toEqual(['FATAL vault sealed: unable to unseal']);
    expect(selectPanelRowKeys(state, 'services').length).toBeGreaterThan(3);
  });

  it('targets the selected container, not a project row', () => {
    const store = createViewStore();
    feedIncident(store);
    expect(selectTargetInstance(store.getState())).toEqual({ reason: 'select a container, not a project' });
    store.getState().selectRow('services', `container:${instanceKeyOf('vault')}`);
    const target = selectTargetInstance(store.getState());
    expect('instance' in target && target.instance.ref.uid).toBe('vault-id');
    expect(selectTargetWorkloadKey(store.getState())).toBe(workloadKeyOf('vault'));
    store.getState().focusPanel('resources');
    expect(selectTargetWorkloadKey(store.getState())).toBe(workloadKeyOf('pulsar'));
  });
});

function source(texts: string[], dropped = 0): LogLineSource {
  const lines = texts.map((text, index): LogLine => ({ instanceKey: 'c', workloadKey: 's', stream: 'stdout', timestamp: index, rawTimestamp: '', text }));
  return { size: lines.length, totalPushed: lines.length + dropped, at: (index) => lines[index], slice: (start, end) => lines.slice(start, end) };
}

describe('log view model', () => {
  it('shows the tail when following and stays inside the buffer when scrolled', () => {
    const lines = source(['a', 'b', 'c', 'd', 'e']);
    expect(logWindow(lines, { follow: true, scrollOffset: 3 }, 2)).toEqual({ start: 3, end: 5 });
    expect(logWindow(lines, { follow: false, scrollOffset: 1 }, 2)).toEqual({ start: 2, end: 4 });
    expect(logWindow(lines, { follow: false, scrollOffset: 99 }, 2)).toEqual({ start: 0, end: 2 });
  });

  it('numbers matches absolutely and steps older (n) and newer (N), wrapping', () => {
    const lines = source(['x', 'error 1', 'y', 'ERROR 2', 'error 3'], 100);
    const matches = findMatches(lines, 'error');
    expect(matches).toEqual([101, 103, 104]);
    expect(stepMatch(matches, undefined, -1)).toBe(104);
    expect(stepMatch(matches, 104, -1)).toBe(103);
    expect(stepMatch(matches, 101, -1)).toBe(104);
    expect(stepMatch(matches, 104, 1)).toBe(101);
    expect(stepMatch([], undefined, 1)).toBeUndefined();
  });

  it('scrolls a match into the middle of the view', () => {
    const lines = source(Array.from({ length: 100 }, (_, index) => `line ${index}`));
    expect(scrollOffsetShowing(lines, 50, 10)).toBe(44);
    expect(scrollOffsetShowing(lines, 99, 10)).toBe(0);
    expect(scrollOffsetShowing(lines, 0, 10)).toBe(90);
  });
});

describe('memoizeLast', () => {
  it('keeps one result per state object, so two stores do not evict each other', () => {
    let calls = 0;
    const select = memoizeLast((items: readonly number[]) => {
      calls += 1;
      return items.map((item) => item * 2);
    });
    const first = [1];
    const second = [2];
    const firstResult = select(first);
    select(second);
    expect(select(first)).toBe(firstResult);
    expect(calls).toBe(2);
  });
});
