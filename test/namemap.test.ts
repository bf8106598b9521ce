// NameMap, the state's name indexes, against a plain Map as the model: any sequence of sets and
// deletes gives the same contents, never touches an earlier version, and the iteration order
// depends only on the keys held (so a replay walks the map as the original run did).
import fc from 'fast-check';
import { is } from 'immutable';
import { describe, expect, it } from 'vitest';
import { hashOf, NameMap } from '../src/core/namemap.js';
import { runs } from './runs.js';

type Op = { set: string; value: number } | { del: string };

// Two pairs of names whose whole 32-bit hashes are equal, so collision nodes are exercised.
const COLLIDING = ['#c439599', '#c622382', '#c439598', '#c622383'];
const keyArb = fc.oneof(
  fc.constantFrom(...COLLIDING),
  fc.integer({ min: 0, max: 60 }).map((n) => `#c${n}`),
  fc.string({ maxLength: 4 }),
);
const opArb: fc.Arbitrary<Op> = fc.oneof(fc.record({ set: keyArb, value: fc.integer() }), fc.record({ del: keyArb }));

const contents = <V>(m: NameMap<V>): [string, V][] => [...m];
const sorted = <V>(e: [string, V][]): [string, V][] => [...e].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

describe('NameMap', () => {
  it('the colliding names really share a hash', () => {
    expect(hashOf(COLLIDING[0]!)).toBe(hashOf(COLLIDING[1]!));
    expect(hashOf(COLLIDING[2]!)).toBe(hashOf(COLLIDING[3]!));
  });

  it('agrees with a Map after any sets and deletes, and leaves old versions alone', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 150 }), (ops) => {
        let m = NameMap.empty<number>();
        const model = new Map<string, number>();
        const versions: [NameMap<number>, [string, number][]][] = [];
        for (const op of ops) {
          if ('set' in op) {
            m = m.set(op.set, op.value);
            model.set(op.set, op.value);
          } else {
            m = m.delete(op.del);
            model.delete(op.del);
          }
          versions.push([m, contents(m)]);
          expect(m.size).toBe(model.size);
        }
        expect(sorted(contents(m))).toEqual(sorted([...model]));
        for (const [k, v] of model) {
          expect(m.get(k)).toBe(v);
          expect(m.has(k)).toBe(true);
          // keyOf: the held key, equal to the one asked for (a copy with its own characters).
          expect(m.keyOf(k.split('').join(''))).toBe(k);
          // Setting the value already there is the same map.
          expect(m.set(k, v)).toBe(m);
        }
        for (const k of COLLIDING) expect(m.get(k)).toBe(model.get(k));
        for (const k of COLLIDING) expect(m.keyOf(k)).toBe(model.has(k) ? k : undefined);
        expect(m.get('never a key')).toBeUndefined();
        expect(m.keyOf('never a key')).toBeUndefined();
        for (const [version, seen] of versions) expect(contents(version)).toEqual(seen);
      }),
      { numRuns: runs(300) },
    );
  });

  it('changesSince names exactly the keys whose values differ between two versions', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 100 }), fc.array(opArb, { maxLength: 20 }), (first, then) => {
        const apply = (m: NameMap<number>, ops: Op[]) => ops.reduce((x, op) => ('set' in op ? x.set(op.set, op.value) : x.delete(op.del)), m);
        const before = apply(NameMap.empty<number>(), first);
        const after = apply(before, then);
        const keys = [...new Set([...before.keys(), ...after.keys()])];
        const expected = keys.filter((k) => before.get(k) !== after.get(k)).map((k) => [k, before.get(k), after.get(k)] as const);
        const byKey = (a: readonly [string, ...unknown[]], b: readonly [string, ...unknown[]]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
        expect([...after.changesSince(before)].sort(byKey)).toEqual([...expected].sort(byKey));
        expect(before.changesSince(before)).toEqual([]);
      }),
      { numRuns: runs(300) },
    );
  });

  it('the same keys iterate in the same order whatever the history', () => {
    fc.assert(
      fc.property(fc.uniqueArray(keyArb, { maxLength: 60 }), fc.uniqueArray(keyArb, { maxLength: 30 }), (keys, extra) => {
        let a = NameMap.empty<number>();
        for (const k of keys) a = a.set(k, 1);
        let b = NameMap.empty<number>();
        for (const k of [...extra, ...[...keys].reverse()]) b = b.set(k, 1);
        for (const k of extra) if (!keys.includes(k)) b = b.delete(k);
        expect([...b.keys()]).toEqual([...a.keys()]);
        expect(is(a, b)).toBe(true);
      }),
      { numRuns: runs(300) },
    );
  });

  it('emptied, it is the empty map; JSON is a plain object', () => {
    let m = NameMap.empty<number>();
    for (const k of COLLIDING) m = m.set(k, k.length);
    expect(m.toJSON()).toEqual(Object.fromEntries(COLLIDING.map((k) => [k, k.length])));
    for (const k of COLLIDING) m = m.delete(k);
    expect(m).toBe(NameMap.empty());
  });
});
