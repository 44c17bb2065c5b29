import { describe, expect, it } from 'vitest';
import { groupKeyOf, parseRefKey, refKey, sameRef, type ResourceKind, type ResourceRef } from '../../src/domain/resource-ref';

/** Every string of up to `length` characters over an alphabet made of the separator and escape pieces. */
function stringsOver(alphabet: readonly string[], length: number): string[] {
  let level = [''];
  const all = [''];
  for (let size = 1; size <= length; size += 1) {
    level = level.flatMap((prefix) => alphabet.map((character) => prefix + character));
    all.push(...level);
  }
  return all;
}

const TRICKY = stringsOver(['a', '/', '%', '2', 'F', 'f', '5'], 3);

describe('refKey and parseRefKey', () => {
  it('turns a ref into engine/kind/namespace/name and back', () => {
    const ref: ResourceRef = { engineId: 'local', kind: 'container', namespace: 'shop', name: 'shop-api-1' };
    expect(refKey(ref)).toBe('local/container/shop/shop-api-1');
    expect(parseRefKey(refKey(ref))).toEqual(ref);
  });

  it('round-trips engine names containing / and %, and names that look escaped', () => {
    const refs: ResourceRef[] = [
      { engineId: 'tcp://10.0.0.1:2375/prod', kind: 'container', namespace: 'shop', name: 'shop-api-1' },
      { engineId: 'ssh://ops@edge/docker', kind: 'compose-service', namespace: 'billing/eu', name: 'invoices' },
      { engineId: '100%', kind: 'pod', namespace: 'kube-system', name: 'coredns-%2F' },
      { engineId: 'a%2Fb', kind: 'deployment', namespace: '%25', name: '%' },
      { engineId: '/', kind: 'statefulset', namespace: '//', name: '/%/' },
    ];
    for (const ref of refs) {
      const key = refKey(ref);
      expect(key.split('/'), key).toHaveLength(4);
      expect(parseRefKey(key)).toEqual(ref);
    }
  });

  it('round-trips every short string of separators and escape characters, in every component', () => {
    for (const value of TRICKY) {
      for (const ref of [
        { engineId: value, kind: 'container' as const, namespace: 'ns', name: 'n' },
        { engineId: 'e', kind: 'container' as const, namespace: value || 'ns', name: 'n' },
        { engineId: 'e', kind: 'container' as const, namespace: 'ns', name: value },
      ]) {
        expect(parseRefKey(refKey(ref)), JSON.stringify(ref)).toEqual(ref);
      }
    }
  });

  it('gives distinct refs distinct keys, however / and % are spread over the components', () => {
    const owners = new Map<string, string>();
    const kinds: ResourceKind[] = ['container', 'compose-service'];
    for (const engineId of TRICKY) {
      for (const namespace of ['x', 'x/y', 'y']) {
        for (const kind of kinds) {
          const ref = { engineId, kind, namespace, name: engineId.length % 2 === 0 ? 'n' : 'n/%' };
          const key = refKey(ref);
          const described = JSON.stringify(ref);
          expect(owners.get(key) ?? described, `${key} is the key of two refs`).toBe(described);
          owners.set(key, described);
        }
      }
    }
    // The classic collisions of an unescaped join.
    expect(refKey({ engineId: 'a/b', kind: 'container', namespace: 'c', name: 'd' })).not.toBe(
      refKey({ engineId: 'a', kind: 'container', namespace: 'b/c', name: 'd' }),
    );
    expect(refKey({ engineId: 'a%2Fb', kind: 'container', name: 'd' })).not.toBe(refKey({ engineId: 'a/b', kind: 'container', name: 'd' }));
    expect(refKey({ engineId: 'socket', kind: 'container', namespace: 'shop', name: 'shop-api-1' })).not.toBe(
      refKey({ engineId: 'tcp', kind: 'container', namespace: 'shop', name: 'shop-api-1' }),
    );
  });

  it('leaves the uid out of the key: a recreated container keeps its row', () => {
    const before = { engineId: 'local', kind: 'container' as const, namespace: 'shop', name: 'shop-api-1', uid: 'abc' };
    const after = { ...before, uid: 'def' };
    expect(refKey(before)).toBe(refKey(after));
    expect(sameRef(before, after)).toBe(true);
    expect(parseRefKey(refKey(before))).toEqual({ engineId: 'local', kind: 'container', namespace: 'shop', name: 'shop-api-1' });
  });

  it('parses a ref without namespace without inventing one', () => {
    const ref: ResourceRef = { engineId: 'local', kind: 'container', name: 'lonely' };
    expect(refKey(ref)).toBe('local/container//lonely');
    expect(parseRefKey(refKey(ref))).toEqual(ref);
    expect(parseRefKey(refKey(ref))).not.toHaveProperty('namespace');
  });

  it('rejects strings that are not ref keys', () => {
    expect(parseRefKey('shop-api-1')).toBeUndefined();
    expect(parseRefKey('local/shop/api')).toBeUndefined();
    expect(parseRefKey('a/b/c/d/e')).toBeUndefined();
  });

  it('keeps groups of two engines apart even when one engine name contains /', () => {
    expect(groupKeyOf({ engineId: 'a/b', namespace: 'c' })).not.toBe(groupKeyOf({ engineId: 'a', namespace: 'b/c' }));
    expect(groupKeyOf({ engineId: 'socket', namespace: 'shop' })).not.toBe(groupKeyOf({ engineId: 'tcp', namespace: 'shop' }));
  });
});
