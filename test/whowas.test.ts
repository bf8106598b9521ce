// Whowas, the state's departed-nick log, against a plain array as the model: after any adds
// (under limits that may change) and takes it shows the newest entries, newest first, never
// shows again an entry once past the limit, leaves old versions alone, and holds only a bounded
// number of hidden entries.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WhowasEntry } from '../src/core/state.js';
import { Whowas } from '../src/core/whowas.js';
import { runs } from './runs.js';

type Op = { add: number; limit: number } | { take: number };

const entry = (n: number): WhowasEntry => ({ nick: `n${n}`, user: 'u', host: 'h', realname: 'r', at: n });
const limitArb = fc.oneof(fc.constantFrom(0, 1, 2, 31, 32, 33, 64, 200), fc.integer({ min: 0, max: 80 }));
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ add: fc.nat(), limit: limitArb }) },
  { weight: 1, arbitrary: fc.record({ take: fc.integer({ min: 0, max: 90 }) }) },
);

/** What the log shows: its entries' `at`, newest first. */
const shown = (w: Whowas): number[] => [...w].map((e) => e.at);

describe('Whowas', () => {
  it('agrees with an array model after any adds and takes, and leaves old versions alone', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 400 }), (ops) => {
        let w = Whowas.empty();
        let model: number[] = [];
        const versions: [Whowas, number[]][] = [];
        for (const op of ops) {
          if ('add' in op) {
            w = w.add(entry(op.add), op.limit);
            model = op.limit <= 0 ? [] : [op.add, ...model].slice(0, op.limit);
          } else {
            w = w.take(op.take);
            model = model.slice(0, op.take);
          }
          expect(shown(w)).toEqual(model);
          expect(w.size).toBe(model.length);
          expect(w.first()?.at).toBe(model[0]);
          expect(w.toJSON().map((e) => e.at)).toEqual(model);
          // Hidden entries are dropped a chunk at a time: never more than two chunks' worth.
          expect((w as unknown as { held: number }).held).toBeLessThanOrEqual(model.length + 64);
          versions.push([w, model]);
        }
        for (const [v, m] of versions) expect(shown(v)).toEqual(m);
      }),
      { numRuns: runs(200) },
    );
  });

  it('keeps a long run of adds to the newest `limit`, in order', () => {
    let w = Whowas.empty();
    for (let n = 1; n <= 1000; n++) w = w.add(entry(n), 200);
    expect(w.size).toBe(200);
    expect(shown(w)).toEqual(Array.from({ length: 200 }, (_, k) => 1000 - k));
    expect(Whowas.of(w, 3).toJSON().map((e) => e.at)).toEqual([1000, 999, 998]);
  });
});
