#!/usr/bin/env node --expose-gc
// A/B of compiled cores in one process: the core benchmark's log (lib/corelog.mjs) folded in
// turn through two or more compiled snapshots of the core, in alternating order, round after
// round. On a shared VM, separate runs of core.mjs drift by ±10–20% from one minute to the next;
// here every snapshot meets the same drift, so a few percent between two builds shows up as one
// being ahead in most rounds. Each snapshot is its own module instance (its own JIT code).
//
//   npx tsc -p . --outDir bench/.dist-a     # one build
//   (change something) npx tsc -p . --outDir bench/.dist-b
//   node --expose-gc bench/core-ab.mjs bench/.dist-a bench/.dist-b [--rounds 10] [core.mjs's log flags]
//
// Prints, per snapshot: the median inputs/s of the whole fold and of its mixed phase, and against
// the first snapshot the ratio of medians, the median per-round ratio and in how many rounds it
// was ahead, with the sign test's p. Folds under the fold's heap, as core.mjs and `pureircd
// replay` do (src/replay/heap.ts).
import { foldConfig, generateLog } from './lib/corelog.mjs';
import { median, parseArgs, signTestP } from './lib/util.mjs';

const { positional, flags } = parseArgs(process.argv.slice(2));
const o = { clients: 10_000, channels: 2000, perClient: 3, inputs: 1_000_000, seed: 1, rounds: 10, ...flags };
if (positional.length < 2) {
  console.error('usage: node --expose-gc bench/core-ab.mjs <compiled dir> <compiled dir>... [--rounds 10]');
  process.exit(2);
}
const root = new URL('../', import.meta.url);
const load = async (dir) => {
  const base = new URL(`${dir.replace(/\/$/, '')}/`, root);
  try {
    const { apply } = await import(new URL('src/core/input.js', base).href);
    const { initialState, defaultConfig } = await import(new URL('src/core/state.js', base).href);
    const { rerunWithFoldHeap } = await import(new URL('src/replay/heap.js', base).href);
    return { dir, apply, initialState, defaultConfig, rerunWithFoldHeap, total: [], mix: [] };
  } catch (e) {
    console.error(`bench/core-ab.mjs: ${dir} is not a compiled pureircd (${e.message}); build it with npx tsc -p . --outDir ${dir}`);
    process.exit(2);
  }
};
const cores = [];
for (const dir of positional) cores.push(await load(dir));
const rerun = cores[0].rerunWithFoldHeap(process.argv[1], process.argv.slice(2));
if (rerun !== null) process.exit(rerun);
if (typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc (a full GC before each fold)');
  process.exit(2);
}

const { setup, joins, mix } = generateLog(o);
const all = setup.length + joins.length + mix.length;
const foldOnce = (c) => {
  globalThis.gc();
  let state = c.initialState(foldConfig(c.defaultConfig));
  const apply = c.apply;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < setup.length; i++) state = apply(state, setup[i])[0];
  for (let i = 0; i < joins.length; i++) state = apply(state, joins[i])[0];
  const t1 = process.hrtime.bigint();
  for (let i = 0; i < mix.length; i++) state = apply(state, mix[i])[0];
  const t2 = process.hrtime.bigint();
  c.total.push(all / (Number(t2 - t0) / 1e9));
  c.mix.push(mix.length / (Number(t2 - t1) / 1e9));
};
for (let r = 0; r < o.rounds; r++) for (const c of r % 2 === 0 ? cores : [...cores].reverse()) foldOnce(c);

const k = (x) => `${Math.round(x / 1000)}k`;
const base = cores[0];
console.log(`core A/B: ${all.toLocaleString('en')} inputs, ${o.rounds} rounds, one process (node ${process.execArgv.join(' ')})`);
// Against the first snapshot: the ratio of medians, the median of the per-round ratios (each
// round's two folds met the same drift), and how often it was ahead, with the sign test's p:
// on this VM a few percent is within one run's noise, and only a lopsided count settles it.
const against = (c) => {
  const ratios = c.total.map((x, i) => x / base.total[i]);
  const ahead = ratios.filter((x) => x > 1).length;
  const decided = ratios.filter((x) => x !== 1).length;
  return `  ${(median(c.total) / median(base.total)).toFixed(3)}× of ${base.dir} (per round ${median(ratios).toFixed(3)}×), ahead in ${ahead} of ${o.rounds} rounds (sign test p = ${signTestP(ahead, decided).toFixed(2)})`;
};
for (const c of cores) {
  const vs = c === base ? '' : against(c);
  console.log(`${c.dir.padEnd(20)} median ${k(median(c.total))} inputs/s (mixed ${k(median(c.mix))})${vs}  rounds: ${c.total.map(k).join(' ')}`);
}
