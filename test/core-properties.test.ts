// Properties of the pure core over random sessions: it never throws, keeps its invariants after
// every step, and is deterministic.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recipientsOf, taggedLine, type Effect } from '../src/core/effect.js';
import { apply, type Input } from '../src/core/input.js';
import { checkInvariants, checkProgress } from '../src/core/invariants.js';
import { parse } from '../src/core/message.js';
import { defaultConfig, initialState, type State } from '../src/core/state.js';
import { sessionArb } from './gen.js';
import { runs } from './runs.js';

const config = { ...defaultConfig, createdAt: 1_700_000_000_000, motd: ['hello'] };

const run = (inputs: Input[]): { state: State; effects: Effect[] } => {
  let state = initialState(config);
  const effects: Effect[] = [];
  for (const input of inputs) {
    const [next, out] = apply(state, input);
    const bad = [...checkInvariants(next), ...checkProgress(state, next)];
    if (bad.length > 0) throw new Error(`after seq ${input.seq} (${JSON.stringify(input)}): ${bad.join('; ')}`);
    state = next;
    effects.push(...out);
  }
  return { state, effects };
};

describe('the core over random sessions', () => {
  it('never throws and keeps every invariant after every step', () => {
    fc.assert(fc.property(sessionArb(), (inputs) => void run(inputs)), { numRuns: runs(300) });
  });

  it('gives the same state and effects for the same inputs', () => {
    fc.assert(
      fc.property(sessionArb(), (inputs) => {
        const a = run(inputs);
        const b = run(inputs);
        expect(b.effects).toEqual(a.effects);
        expect(JSON.stringify(b.state)).toBe(JSON.stringify(a.state));
      }),
      { numRuns: runs(100) },
    );
  });

  it('emits only lines that parse back, fit 512 bytes and carry no CR/LF/NUL', () => {
    fc.assert(
      fc.property(sessionArb(), (inputs) => {
        for (const e of run(inputs).effects) {
          if (e._tag !== 'Send' && e._tag !== 'TaggedSend') continue;
          expect(e.line).not.toMatch(/[\r\n\0]/);
          expect(e.line.length + 2).toBeLessThanOrEqual(512);
          expect(parse(e.line).ok).toBe(true);
          expect(recipientsOf(e).length).toBeGreaterThan(0);
          expect(new Set(recipientsOf(e)).size).toBe(recipientsOf(e).length);
          if (e._tag !== 'TaggedSend') continue;
          // Every recipient's variant (server-time, message-tags or both): one clean line whose
          // tags fit 8191 bytes and whose message is the Send's.
          for (const [time, tags] of [[false, true], [true, true], [true, false]] as const) {
            const text = taggedLine(e, 1_700_000_000_000, time, tags);
            if (text === null) continue;
            expect(text).not.toMatch(/[\r\n\0]/);
            if (text === e.line) continue;
            // `@tags ` then the message itself.
            expect(text.startsWith('@')).toBe(true);
            expect(text.slice(text.indexOf(' ') + 1)).toBe(e.line);
            expect(text.indexOf(' ')).toBeLessThanOrEqual(8191);
          }
        }
      }),
      { numRuns: runs(200) },
    );
  });

  it('never throws on arbitrary bytes from any client', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 700 }), { maxLength: 30 }), (lines) => {
        run([
          { _tag: 'ClientConnected', seq: 1, at: 1, client: 1, address: '::1', tls: true },
          ...lines.map((line, i): Input => ({ _tag: 'LineReceived', seq: i + 2, at: 2, client: 1, line })),
        ]);
      }),
      { numRuns: runs(300) },
    );
  });
});
