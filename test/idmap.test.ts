// IdMap, the state's client index, against a plain Map as the model: any sequence of sets and
// deletes gives the same contents, in id order, and never touches an earlier version.
import fc from 'fast-check';
import { is } from 'immutable';
import { describe, expect, it } from 'vitest';
import { IdMap } from '../src/core/idmap.js';
import { runs } from './runs.js';

type Op = { set: number; value: string } | { del: number };

// Ids clustered the way the shell hands them out (small, dense) plus a few far apart.
const idArb = fc.oneof(fc.integer({ min: 0, max: 70 }), fc.integer({ min: 0, max: 40_000 }), fc.constant(0x7fffffff));
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ set: idArb, value: fc.string({ maxLength: 3 }) }),
  fc.record({ del: idArb }),
);

const contents = <V>(m: IdMap<V>): [number, V][] => [...m];

describe('IdMap', () => {
  it('agrees with a Map after any sets and deletes, iterates in id order, and leaves old versions alone', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 120 }), (ops) => {
        let m = IdMap.empty<string>();
        const model = new Map<number, string>();
        const versions: [IdMap<string>, [number, string][]][] = [];
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
        const expected = [...model].sort((a, b) => a[0] - b[0]);
        expect(contents(m)).toEqual(expected);
        // forEach visits the same entries, in the same order, as iteration does.
        const visited: [number, string][] = [];
        m.forEach((v, id) => visited.push([id, v]));
        expect(visited).toEqual(expected);
        for (const [id, v] of model) {
          expect(m.get(id)).toBe(v);
          expect(m.has(id)).toBe(true);
        }
        expect(m.get(12_345_678)).toBeUndefined();
        for (const [version, seen] of versions) expect(contents(version)).toEqual(seen);
      }),
      { numRuns: runs(300) },
    );
  });

  it('changesSince names exactly the ids whose values differ between two versions', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 80 }), fc.array(opArb, { maxLength: 20 }), (first, then) => {
        const apply = (m: IdMap<string>, ops: Op[]) => ops.reduce((x, op) => ('set' in op ? x.set(op.set, op.value) : x.delete(op.del)), m);
        const before = apply(IdMap.empty<string>(), first);
        const after = apply(before, then);
        // The model: every id of either version, compared one by one.
        const ids = [...new Set([...before.keys(), ...after.keys()])].sort((a, b) => a - b);
        const expected = ids.filter((id) => before.get(id) !== after.get(id)).map((id) => [id, before.get(id), after.get(id)]);
        expect(after.changesSince(before)).toEqual(expected);
        expect(before.changesSince(before)).toEqual([]);
      }),
      { numRuns: runs(300) },
    );
  });

  it('emptied, it equals the empty map, whatever ids it held', () => {
    fc.assert(
      fc.property(fc.uniqueArray(idArb, { maxLength: 60 }), (ids) => {
        let m = IdMap.empty<number>();
        for (const id of ids) m = m.set(id, id);
        for (const id of ids) m = m.delete(id);
        expect(m).toBe(IdMap.empty());
        expect(is(m, IdMap.empty())).toBe(true);
      }),
      { numRuns: runs(200) },
    );
  });

  it('setting the value already there returns the same map; equals compares contents', () => {
    const v = { x: 1 };
    const a = IdMap.empty<object>().set(3, v).set(40, v);
    expect(a.set(3, v)).toBe(a);
    expect(a.delete(7)).toBe(a);
    const b = IdMap.empty<object>().set(40, v).set(3, v);
    expect(a.equals(b)).toBe(true);
    expect(a.hashCode()).toBe(b.hashCode());
    expect(a.equals(b.set(3, { x: 1 }))).toBe(false);
    expect(JSON.stringify(a)).toBe('{"3":{"x":1},"40":{"x":1}}');
  });

  it('setSorted and updateSorted do what a set per id would, and leave the map they start from alone', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), fc.uniqueArray(idArb, { maxLength: 40 }), fc.string({ maxLength: 2 }), (ops, batch, tag) => {
        let m = IdMap.empty<string>();
        for (const op of ops) m = 'set' in op ? m.set(op.set, op.value) : m.delete(op.del);
        const before = contents(m);
        const ids = [...batch].sort((a, b) => a - b);
        // setSorted: every id set, old value or none passed through.
        let bySet = m;
        for (const id of ids) bySet = bySet.set(id, `${m.get(id) ?? '-'}${tag}`);
        const set = m.setSorted(ids, (old, id, i) => {
          expect(ids[i]).toBe(id);
          return `${old ?? '-'}${tag}`;
        });
        expect(contents(set)).toEqual(contents(bySet));
        expect(set.size).toBe(bySet.size);
        // updateSorted: only the ids already there.
        let byUpdate = m;
        for (const id of ids) if (m.has(id)) byUpdate = byUpdate.set(id, `${m.get(id)}${tag}`);
        const updated = m.updateSorted(ids, (old) => `${old}${tag}`);
        expect(contents(updated)).toEqual(contents(byUpdate));
        expect(updated.size).toBe(m.size);
        expect(contents(m)).toEqual(before);
      }),
      { numRuns: runs(300) },
    );
  });

  it('refuses a key that is not an id', () => {
    expect(() => IdMap.empty().set(-1, 1)).toThrow(RangeError);
    expect(() => IdMap.empty().set(1.5, 1)).toThrow(RangeError);
    expect(() => IdMap.empty().set(2 ** 31, 1)).toThrow(RangeError);
  });
});
