#!/usr/bin/env node --expose-gc
// Core-only benchmark: fold a generated log of ≥ 1 million inputs through the pure core
// (dist/src/core/input.js apply) with no sockets, and report inputs per second (also how fast a
// crashed server replays its record log) and the state's heap per client and per channel.
//
//   npm run build && node --expose-gc bench/core.mjs [--clients 10000] [--channels 2000]
//        [--per-client 3] [--inputs 1000000] [--seed 1] [--warm] [--json]
//
// The log (lib/corelog.mjs): every client connects and registers (NICK, USER), joins `perClient`
// channels, then a deterministic mix until `inputs` in all: 88% channel PRIVMSG, 4% private
// PRIVMSG, 4% NICK change, 2% PART, 2% JOIN. Flood control is off (as when replaying a log
// recorded with it off).
// It re-runs itself once under the node flags `pureircd replay` folds with (src/replay/heap.ts).
// The figure is cold: the first fold in a fresh process, JIT warm-up included, as a replay or a
// recovery meets it. --warm folds the whole log once, untimed, on a throwaway state first, and
// times the second fold: the core's steady state, without the warm-up.
import { foldConfig, generateLog } from './lib/corelog.mjs';
import { parseArgs } from './lib/util.mjs';

const { flags } = parseArgs(process.argv.slice(2));
const o = { clients: 10_000, channels: 2000, perClient: 3, inputs: 1_000_000, seed: 1, warm: false, json: false, ...flags };

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
const tSetup = fold(setup);
const h1 = heap();
const tJoins = fold(joins);
const h2 = heap();
const tMix = fold(mix);
const h3 = heap();
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
};
if (o.json) console.log(JSON.stringify(result));
else {
  const f = (x) => Math.round(x).toLocaleString('en');
  console.log(`core fold: ${f(total)} inputs in ${seconds.toFixed(2)} s = ${f(result.inputsPerSec)} inputs/s${o.warm ? ', warm (after one untimed fold)' : ''} (node ${process.execArgv.join(' ')})`);
  console.log(`  register ${f(result.phases.register.perSec)}/s, join ${f(result.phases.join.perSec)}/s, mixed traffic ${f(result.phases.mix.perSec)}/s`);
  console.log(`  ${f(effects)} effects, ${f(sends)} Send effects to ${f(recipients)} recipients`);
  console.log(`  state: ${f(result.clients)} clients, ${f(channels)} channels, ${f(result.memberships)} memberships, ${result.heapFinalMiB.toFixed(1)} MiB heap`);
  console.log(`  heap per client ${f(result.heapPerClientBytes)} B, per channel (with its members) ${f(result.heapPerChannelBytes)} B`);
}
