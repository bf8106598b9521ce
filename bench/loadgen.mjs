#!/usr/bin/env node
// Load generator: runs ONE scenario against ONE IRC server already listening on 127.0.0.1 and
// prints its figures (JSON with --json). bench/run.mjs calls it once per round and server.
//
//   node bench/loadgen.mjs <connect|fanout|spread|idle> --port 6667 [--server-pid PID] [options]
//
// The connections live in worker threads (bench/lib/worker.mjs), one per core this process may
// run on (os.availableParallelism() honours taskset), so the main thread only coordinates. The
// load generator's own CPU time over the measured phase is reported next to the server's: if it
// is close to 100% of its core(s), the load generator, not the server, was the limit.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { cpuSeconds, rssBytes } from './lib/proc.mjs';
import { parseArgs, percentile } from './lib/util.mjs';
import { FLOOD_DEFAULTS, runFlood } from './lib/flood.mjs';

export const DEFAULTS = {
  connect: { clients: 2000 },
  // Sized so the measured phase lasts ~2 s or more on the fastest server (pureircd: ~6 M/s
  // fan-out, ~1.4 M/s spread). Shorter phases (these were 4 M and 1 M: 0.7 s) left each round at
  // the mercy of one GC or one burst on the shared VM (±20% between rounds of the same server).
  // run.mjs sizes ngircd's spread down (SIZES): it manages ~0.05 M/s there.
  fanout: { members: 200, senders: 0 /* 0 = every member */, deliveries: 12_000_000 },
  spread: { clients: 2000, size: 5, deliveries: 4_000_000 },
  idle: { clients: 10_000 },
  flood: FLOOD_DEFAULTS, // its own threads: see bench/lib/flood.mjs
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class Pool {
  constructor(n, host, port) {
    const url = new URL('./lib/worker.mjs', import.meta.url);
    this.workers = Array.from({ length: n }, (_, i) => new Worker(url, { workerData: { host, port, workerIndex: i } }));
    for (const w of this.workers) w.on('error', (e) => console.error('worker error', e));
    // Each worker says 'ready' once loaded: phases (and their CPU figures) start after that.
    this.ready = Promise.all(this.workers.map((w) => new Promise((resolve, reject) => (w.once('message', resolve), w.once('error', reject)))));
  }
  /** Send one phase message to every worker (per-worker payload from fn) and gather replies. */
  all(fn) {
    return Promise.all(
      this.workers.map(
        (w, i) =>
          new Promise((resolve) => {
            w.once('message', resolve);
            w.postMessage(fn(i));
          }),
      ),
    );
  }
  async close() {
    await this.all(() => ({ op: 'close' }));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

const errorsOf = (replies) => replies.flatMap((r) => r.errors ?? []);
const check = (what, replies) => {
  const errs = errorsOf(replies);
  const failed = replies.reduce((a, r) => a + (r.failed ?? 0), 0);
  if (errs.length > 0 || failed > 0) throw new Error(`${what} failed (${failed} clients): ${errs.slice(0, 3).join('; ')}`);
};

/** Connect and register clients 0..n-1, spread round-robin over the workers. */
async function connectAll(pool, n, o) {
  const w = pool.workers.length;
  const srv0 = o.serverPid ? cpuSeconds(o.serverPid) : null;
  const gen0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  const replies = await pool.all((i) => ({
    op: 'connect',
    idxs: Array.from({ length: Math.ceil((n - i) / w) }, (_, k) => i + k * w),
    concurrency: o.concurrency,
    timeoutMs: o.timeoutMs,
  }));
  const wall = Number(process.hrtime.bigint() - wall0) / 1e9;
  const gen = process.cpuUsage(gen0);
  const srv1 = o.serverPid ? cpuSeconds(o.serverPid) : null;
  check('registration', replies);
  const t0 = Math.min(...replies.map((r) => r.t0));
  const t1 = Math.max(...replies.map((r) => r.t1));
  return {
    seconds: (t1 - t0) / 1e6,
    // Share of one core over the phase's wall time: which side was saturated.
    loadgenCpu: (gen.user + gen.system) / 1e6 / wall,
    serverCpu: srv0 !== null && srv1 !== null ? (srv1 - srv0) / wall : null,
  };
}

/**
 * Join every client to its channel, then the measured send phase. `channelOf(i)` names client
 * i's channel; `isSender(i)` says whether it sends.
 */
async function traffic(pool, n, channelOf, isSender, perSender, o) {
  const w = pool.workers.length;
  const plan = Array.from({ length: n }, (_, i) => [i, channelOf(i)]);
  check('join', await pool.all((i) => ({ op: 'join', plan: plan.filter(([c]) => c % w === i), timeoutMs: o.timeoutMs })));
  check('sync', await pool.all(() => ({ op: 'sync', timeoutMs: o.timeoutMs })));
  // Who expects how much: each member receives every other sender's messages in its channel.
  const sendersIn = new Map();
  for (let i = 0; i < n; i++) if (isSender(i)) sendersIn.set(channelOf(i), (sendersIn.get(channelOf(i)) ?? 0) + 1);
  const expect = {};
  const senders = [];
  for (let i = 0; i < n; i++) {
    const s = isSender(i);
    if (s) senders.push(i);
    expect[i] = perSender * ((sendersIn.get(channelOf(i)) ?? 0) - (s ? 1 : 0));
  }
  const srv0 = o.serverPid ? cpuSeconds(o.serverPid) : null;
  const gen0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  const replies = await pool.all((i) => ({
    op: 'send',
    senders: senders.filter((s) => s % w === i),
    perSender,
    batch: o.batch,
    window: o.window,
    expect,
    textLen: o.textLen,
    timeoutMs: o.timeoutMs,
  }));
  const wall = Number(process.hrtime.bigint() - wall0) / 1e9;
  const gen = process.cpuUsage(gen0);
  const srv1 = o.serverPid ? cpuSeconds(o.serverPid) : null;
  const got = replies.reduce((a, r) => a + r.got, 0);
  const want = replies.reduce((a, r) => a + r.want, 0);
  const over = replies.reduce((a, r) => a + r.over, 0);
  const errs = errorsOf(replies);
  if (got !== want || over > 0 || errs.length > 0) {
    throw new Error(`lost deliveries: received ${got} of ${want} (${over} extra); ${errs.slice(0, 3).join('; ')}`);
  }
  const t0 = Math.min(...replies.map((r) => r.t0));
  const t1 = Math.max(...replies.map((r) => r.t1));
  const seconds = (t1 - t0) / 1e6;
  const lat = replies.flatMap((r) => r.latencies).sort((a, b) => a - b);
  return {
    deliveries: want,
    messages: senders.length * perSender,
    seconds,
    deliveriesPerSec: want / seconds,
    latencyP50Ms: percentile(lat, 0.5) / 1000,
    latencyP99Ms: percentile(lat, 0.99) / 1000,
    latencySamples: lat.length,
    // Share of one core, over the wall time of the phase.
    loadgenCpu: (gen.user + gen.system) / 1e6 / wall,
    serverCpu: srv0 !== null && srv1 !== null ? (srv1 - srv0) / wall : null,
  };
}

export async function runScenario(scenario, opts) {
  const o = {
    host: '127.0.0.1',
    workers: os.availableParallelism(),
    concurrency: 1_000_000, // all at once, like a reconnect storm (and like the reference figures)
    batch: 10,
    window: 2,
    textLen: 48,
    timeoutMs: 120_000,
    ...DEFAULTS[scenario],
    ...opts,
  };
  if (!(scenario in DEFAULTS)) throw new Error(`unknown scenario ${scenario}`);
  if (scenario === 'flood') return runFlood(o);
  const pool = new Pool(o.workers, o.host, o.port);
  try {
    await pool.ready;
    switch (scenario) {
      case 'connect': {
        const { seconds, loadgenCpu, serverCpu } = await connectAll(pool, o.clients, o);
        return { scenario, clients: o.clients, seconds, registrationsPerSec: o.clients / seconds, serverCpu, loadgenCpu };
      }
      case 'idle': {
        // RSS is read `settleS` seconds (default 1) after every client answered a PING. A longer
        // settle (--settle-s 150: pureircd's V8 heap gives its slack back only when V8's memory
        // reducer runs, 20 s to 100+ s after the burst) makes the baseline wait as long too, so
        // both readings are of a server left idle for the same time (pureircd frees startup
        // garbage ~10 s after it starts).
        const settleMs = (o.settleS ?? 1) * 1000;
        if (settleMs > 1000) await sleep(settleMs);
        const before = rssBytes(o.serverPid);
        const { seconds } = await connectAll(pool, o.clients, o);
        check('sync', await pool.all(() => ({ op: 'sync', timeoutMs: o.timeoutMs })));
        await sleep(settleMs); // let the server settle (lazy frees, GC) before reading RSS
        const after = rssBytes(o.serverPid);
        return {
          scenario,
          clients: o.clients,
          rssBeforeKiB: before / 1024,
          rssAfterKiB: after / 1024,
          perClientKiB: (after - before) / 1024 / o.clients,
          registrationsPerSec: o.clients / seconds,
        };
      }
      case 'fanout': {
        const n = o.members;
        const s = o.senders > 0 ? Math.min(o.senders, n) : n;
        const perSender = Math.max(1, Math.ceil(o.deliveries / (s * (n - 1))));
        await connectAll(pool, n, o);
        const r = await traffic(pool, n, () => '#fanout', (i) => i < s, perSender, o);
        return { scenario, members: n, senders: s, perSender, ...r };
      }
      case 'spread': {
        const n = o.clients;
        const perSender = Math.max(1, Math.ceil(o.deliveries / (n * (o.size - 1))));
        await connectAll(pool, n, o);
        const r = await traffic(pool, n, (i) => `#s${Math.floor(i / o.size)}`, () => true, perSender, o);
        return { scenario, clients: n, channels: Math.ceil(n / o.size), size: o.size, perSender, ...r };
      }
    }
  } finally {
    await pool.close();
  }
}

// ---- command line -------------------------------------------------------------------------------

if (import.meta.url === `file://${process.argv[1]}`) {
  const { positional, flags } = parseArgs(process.argv.slice(2));
  const scenario = positional[0];
  if (!scenario || !(scenario in DEFAULTS) || !flags.port) {
    console.error('usage: node bench/loadgen.mjs <connect|fanout|spread|idle|flood> --port N [--server-pid PID] [--json]');
    console.error('  options: --clients --members --senders --size --deliveries --batch --window --text-len');
    console.error('           --concurrency --workers --timeout-ms --settle-s (idle)');
    console.error('  flood:   --clients --flooders --duration-ms --interval-ms --reconnect-ms --warmup-ms --grace-ms --flood-line-len');
    process.exit(2);
  }
  const { json, ...rest } = flags;
  try {
    const result = await runScenario(scenario, rest);
    console.log(json ? JSON.stringify(result) : result);
    process.exit(0);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    console.log(json ? JSON.stringify({ scenario, error: msg }) : `FAILED: ${msg}`);
    process.exit(1);
  }
}
