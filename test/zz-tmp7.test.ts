import fc from 'fast-check';
import { it } from 'vitest';
import { apply } from '../src/core/input.js';
import { defaultConfig, initialState } from '../src/core/state.js';
import { sessionArb } from './gen.js';
it('x', () => {
  const samples = fc.sample(sessionArb(50), { numRuns: 50, seed: 1 });
  let lines = 0, w = 0;
  for (const inputs of samples) { let s = initialState({ ...defaultConfig, createdAt: 1_700_000_000_000 }); for (const i of inputs) { const [n, e] = apply(s, i); s = n; for (const x of e) if (x._tag === 'Send') { lines++; if (/ 001 /.test(x.line)) w++; } } }
  console.log('lines', lines, 'welcomes', w);
});
