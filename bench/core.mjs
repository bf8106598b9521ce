#!/usr/bin/env node --expose-gc
// Core-only benchmark: fold a generated log of ≥ 1 million inputs through the pure core
// (dist/src/core/input.js apply) with no sockets, and report inputs per second (also how fast a
// crashed server replays its record log) and the state's heap per client and per channel.
//
//   npm run build && node --expose-gc bench/core.mjs [--clients 10000] [--channels 2000]
//        [--per-client 3] [--inputs 1000000] [--seed 1] [--warm] [--runs N] [--profile FILE] [--json]
//
// The log (lib/corelog.mjs): every client connects and registers (NICK, USER), joins `perClient`
// channels, then a deterministic mix until `inputs` in all: 88% channel PRIVMSG, 4% private
// PRIVMSG, 4% NICK change, 2% PART, 2% JOIN, and a tick each second of log time (20 000
// inputs), as a record log has. Flood control is off (as when replaying a log recorded with it
// off).
// It re-runs itself once under the node flags `pureircd replay` folds with (src/replay/heap.ts).
// The figure is cold: the first fold in a fresh process, JIT warm-up included, as a replay or a
// recovery meets it. --warm folds the whole log once, untimed, on a throwaway state first, and
// times the second fold: the core's steady state, without the warm-up.
// --runs N folds in N fresh processes, one after another, each cold, and prints every run's
// figures and their medians (the issue's reference figures are medians of 5): one command for
// the headline figure, since separate runs on a shared VM vary by ±10–20% within minutes.
// --profile FILE samples the timed fold alone with V8's CPU profiler (every 250 µs), writes the
// profile to FILE (open it in Chrome DevTools) and prints the functions with the most self time.
// The heap readings between phases force full GCs, which would land in the profile: a profiled
// run skips them and reports no heap figures.
import { spawnSync } from 'node:child_process';
import { foldConfig, generateLog } from './lib/corelog.mjs';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { median, parseArgs, selfTime } from './lib/util.mjs';

const { flags } = parseArgs(process.argv.slice(2));
const o = { clients: 10_000, channels: 2000, perClient: 3, inputs: 1_000_000, seed: 1, warm: false, runs: 1, profile: null, json: false, ...flags };
if (o.profile !== null && typeof o.profile !== 'string') {
  console.error('bench/core.mjs: --profile needs a file to write the profile to');
  process.exit(2);
}
if (!Number.isInteger(o.runs) || o.runs < 1) {
  console.error(`bench/core.mjs: --runs needs a whole number of runs, at least 1 (got ${o.runs})`);
  process.exit(2);
}
if (o.runs > 1 && o.profile !== null) {
  console.error('bench/core.mjs: --profile profiles one fold: leave out --runs');
  process.exit(2);
}
/** The issue's target for the core fold, which the medians are compared with. */
const TARGET = 500_000;

if (o.runs > 1) {
  // Each run is this script in a fresh process without --runs: cold, with its own JIT and heap.
  const args = [];
  for (let i = 2; i < process.argv.length; i++) {
    if (process.argv[i] === '--runs') i++;
    else if (process.argv[i] !== '--json') args.push(process.argv[i]);
  }
  const runs = [];
  for (let r = 0; r < o.runs; r++) {
    const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1], ...args, '--json'], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (child.status !== 0) {
      process.stderr.write(child.stderr);
      console.error(`bench/core.mjs: run ${r + 1} of ${o.runs} failed (exit ${child.status ?? child.signal})`);
      process.exit(1);
    }
    runs.push(JSON.parse(child.stdout));
    if (!o.json) process.stderr.write(`run ${r + 1}/${o.runs}: ${Math.round(runs[r].inputsPerSec).toLocaleString('en')} inputs/s\n`);
  }
  const med = (f) => median(runs.map(f));
  const medians = {
    inputsPerSec: med((x) => x.inputsPerSec),
    register: med((x) => x.phases.register.perSec),
    join: med((x) => x.phases.join.perSec),
    mix: med((x) => x.phases.mix.perSec),
    heapPerClientBytes: med((x) => x.heapPerClientBytes),
    heapPerChannelBytes: med((x) => x.heapPerChannelBytes),
  };
  if (o.json) console.log(JSON.stringify({ runs, median: medians, target: TARGET }));
  else {
    const f = (x) => Math.round(x).toLocaleString('en');
    console.log(`core fold, ${o.runs} runs in fresh processes${o.warm ? ' (--warm)' : ''}: ${runs.map((x) => f(x.inputsPerSec)).join(', ')} inputs/s`);
    console.log(`  median ${f(medians.inputsPerSec)} inputs/s = ${(medians.inputsPerSec / TARGET).toFixed(2)}× the ${f(TARGET)} target; register ${f(medians.register)}/s, join ${f(medians.join)}/s, mixed traffic ${f(medians.mix)}/s`);
    console.log(`  heap per client ${f(medians.heapPerClientBytes)} B, per channel (with its members) ${f(medians.heapPerChannelBytes)} B (medians)`);
  }
  process.exit(0);
}

// dist/ by default, or a private snapshot: PUREIRCD_DIST=bench/.dist (see README).
const dist = new URL(`${process.env.PUREIRCD_DIST ?? 'dist'}/`, new URL('../', import.meta.url));
const { apply } = await import(new URL('src/core/input.js', dist).href).catch((e) => {
  console.error(`bench/core.mjs needs the compiled core (${e.message}): run \`npm run build\` first`);
  process.exit(2);
});
const { initialState, defaultConfig } = await import(new URL('src/core/state.js', dist).href);
// Fold as `pureircd replay` does: in a process with the fold's young generation (replay/heap.ts).
const { rerunWithFoldHeap } = await import(new URL('src/replay/heap.js', dist).href);
const rerun = rerunWithFoldHeap(process.argv[1], process.argv.slice(2));
if (rerun !== null) process.exit(rerun);

if (typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc (heap figures need a full GC before each reading)');
  process.exit(2);
}
const heap = () => {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
};

const { setup, joins, mix } = generateLog(o);

// ---- fold ------------------------------------------------------------------------------------------
let state = initialState(foldConfig(defaultConfig));
let effects = 0;
let sends = 0;
let recipients = 0;
const fold = (inputs) => {
  const t = process.hrtime.bigint();
  for (let i = 0; i < inputs.length; i++) {
    const [next, out] = apply(state, inputs[i]);
    state = next;
    effects += out.length;
    for (const e of out) if (e._tag === 'Send') {
      sends++;
      // A channel message addresses the member array itself, sender excepted.
      recipients += e.except !== undefined && e.to.includes(e.except) ? e.to.length - 1 : e.to.length;
    }
  }
  return Number(process.hrtime.bigint() - t) / 1e9;
};

if (o.warm) {
  fold(setup);
  fold(joins);
  fold(mix);
  state = initialState(foldConfig(defaultConfig));
  effects = sends = recipients = 0;
}
const h0 = heap();
const between = o.profile === null ? heap : () => NaN;
const profiler = o.profile === null ? null : new Session();
if (profiler !== null) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.setSamplingInterval', { interval: 250 });
  await profiler.post('Profiler.start');
}
const tSetup = fold(setup);
const h1 = between();
const tJoins = fold(joins);
const h2 = between();
const tMix = fold(mix);
const profile = profiler === null ? null : (await profiler.post('Profiler.stop')).profile;
const h3 = between();
if (profile !== null) writeFileSync(o.profile, JSON.stringify(profile));
const total = setup.length + joins.length + mix.length;
const seconds = tSetup + tJoins + tMix;
const channels = state.channels.size;
const result = {
  inputs: total,
  seconds,
  inputsPerSec: total / seconds,
  warm: o.warm,
  phases: {
    register: { inputs: setup.length, perSec: setup.length / tSetup },
    join: { inputs: joins.length, perSec: joins.length / tJoins },
    mix: { inputs: mix.length, perSec: mix.length / tMix },
  },
  effects,
  sendEffects: sends,
  deliveries: recipients,
  clients: state.clients.size,
  channels,
  memberships: [...state.channels.values()].reduce((a, c) => a + c.memberIds.length, 0),
  heapPerClientBytes: (h1 - h0) / o.clients,
  heapPerChannelBytes: (h2 - h1) / channels, // the channel and its ~clients×perClient/channels members
  heapFinalMiB: (h3 - h0) / 1024 / 1024,
  nodeFlags: process.execArgv,
  // Self time by function over the timed fold (--profile), largest first.
  profile: profile === null ? null : selfTime(profile),
};
if (o.json) console.log(JSON.stringify(result));
else {
  const f = (x) => Math.round(x).toLocaleString('en');
  console.log(`core fold: ${f(total)} inputs in ${seconds.toFixed(2)} s = ${f(result.inputsPerSec)} inputs/s${o.warm ? ', warm (after one untimed fold)' : ''} (node ${process.execArgv.join(' ')})`);
  console.log(`  register ${f(result.phases.register.perSec)}/s, join ${f(result.phases.join.perSec)}/s, mixed traffic ${f(result.phases.mix.perSec)}/s`);
  console.log(`  ${f(effects)} effects, ${f(sends)} Send effects to ${f(recipients)} recipients`);
  console.log(`  state: ${f(result.clients)} clients, ${f(channels)} channels, ${f(result.memberships)} memberships${profile === null ? `, ${result.heapFinalMiB.toFixed(1)} MiB heap` : ''}`);
  if (profile === null) console.log(`  heap per client ${f(result.heapPerClientBytes)} B, per channel (with its members) ${f(result.heapPerChannelBytes)} B`);
  else {
    console.log(`  profile of the fold written to ${o.profile} (no heap figures: their full GCs would be in it); self time:`);
    for (const { name, share } of result.profile) console.log(`  ${(share * 100).toFixed(1).padStart(5)}%  ${name}`);
  }
}
