// The `flood` scenario (issue 5: "a flooding client must not raise the latency other clients
// see"). Against a server running its DEFAULT flood control:
//   1. N normal clients register and join #calm;
//   2. warm-up (unmeasured), then baseline: for `durationMs` each sends one timed PRIVMSG to itself every `intervalMs`
//      (well under any server's flood budget) and times its return;
//   3. flood: the same, while K flooders (another thread) join #calm and write PRIVMSG #calm lines
//      as fast as their sockets take them, reconnecting `reconnectMs` after each drop;
//   4. figures: round-trip p50/p99 in both phases and their ratio, what became of the flooders
//      (reasons they were dropped, how many were still connected, i.e. held, at the end), and how
//      many of their lines the server let through to #calm.
// A normal client that is dropped or loses a message fails the run.
import { Worker } from 'node:worker_threads';
import { cpuSeconds } from './proc.mjs';
import { percentile } from './util.mjs';

export const FLOOD_DEFAULTS = {
  clients: 100, // normal clients
  flooders: 4,
  durationMs: 15_000, // per phase
  intervalMs: 2000, // per normal client: 0.5 lines/s, under every server's default budget
  reconnectMs: 1000,
  textLen: 48,
  floodLineLen: 100,
  graceMs: 5000,
  warmupMs: 4000, // unmeasured: JIT and caches warm, so the baseline is not a cold start
};

function worker(role, host, port) {
  const w = new Worker(new URL('./flood-worker.mjs', import.meta.url), { workerData: { host, port, role } });
  w.on('error', (e) => console.error(`flood ${role} worker error`, e));
  return {
    w,
    ask: (msg) =>
      new Promise((resolve) => {
        w.once('message', resolve);
        w.postMessage(msg);
      }),
  };
}

/** Run `fn` and measure the server's and this process's CPU over it (share of one core). */
async function withCpu(serverPid, fn) {
  const srv0 = serverPid ? cpuSeconds(serverPid) : null;
  const gen0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const r = await fn();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const gen = process.cpuUsage(gen0);
  return {
    r,
    serverCpu: srv0 !== null ? (cpuSeconds(serverPid) - srv0) / wall : null,
    loadgenCpu: (gen.user + gen.system) / 1e6 / wall,
  };
}

const summarize = (m) => {
  const lat = [...m.latencies].sort((a, b) => a - b);
  return { p50: percentile(lat, 0.5) / 1000, p99: percentile(lat, 0.99) / 1000, max: (lat.at(-1) ?? NaN) / 1000, samples: lat.length };
};

export async function runFlood(o) {
  const calm = worker('calm', o.host, o.port);
  const flood = worker('flood', o.host, o.port);
  try {
    const c = await calm.ask({ op: 'connect', n: o.clients, timeoutMs: o.timeoutMs });
    if (c.errors.length > 0) throw new Error(`normal clients: ${c.errors.join('; ')}`);
    const measure = { op: 'measure', durationMs: o.durationMs, intervalMs: o.intervalMs, graceMs: o.graceMs, textLen: o.textLen };

    if (o.warmupMs > 0) await calm.ask({ ...measure, durationMs: o.warmupMs });
    const base = await withCpu(o.serverPid, () => calm.ask(measure));
    const flooded = await withCpu(o.serverPid, async () => {
      await flood.ask({ op: 'start', k: o.flooders, reconnectMs: o.reconnectMs, lineLen: o.floodLineLen });
      const m = await calm.ask(measure);
      const f = await flood.ask({ op: 'stop' });
      return { m, f };
    });
    const { m, f } = flooded.r;
    for (const [phase, x] of [['baseline', base.r], ['flood', m]]) {
      if (x.errors.length > 0 || x.received !== x.sent) {
        throw new Error(`${phase}: normal clients got ${x.received} of ${x.sent} round trips back; ${x.errors.join('; ')}`);
      }
    }
    const b = summarize(base.r);
    const w = summarize(m);
    const dropped = Object.values(f.fates).reduce((a, n) => a + n, 0);
    const excess = Object.entries(f.fates)
      .filter(([why]) => /excess flood/i.test(why))
      .reduce((a, [, n]) => a + n, 0);
    const connectedMs = [...f.connectedMs].sort((x, y) => x - y);
    return {
      scenario: 'flood',
      clients: o.clients,
      flooders: o.flooders,
      durationMs: o.durationMs,
      intervalMs: o.intervalMs,
      baseP50Ms: b.p50,
      baseP99Ms: b.p99,
      baseMaxMs: b.max,
      floodP50Ms: w.p50,
      floodP99Ms: w.p99,
      floodMaxMs: w.max,
      p50Ratio: w.p50 / b.p50,
      p99Ratio: w.p99 / b.p99,
      samples: b.samples + w.samples,
      flooderConnections: f.connections,
      flooderRegistered: f.registered,
      flooderDropped: dropped,
      flooderExcessFlood: excess,
      flooderStillConnected: f.stillConnected,
      flooderFates: f.fates,
      flooderConnectedP50Ms: percentile(connectedMs, 0.5),
      flooderLinesQueued: f.linesWritten,
      // Each admitted flood line reaches every normal client in #calm once.
      flooderLinesAdmitted: m.floodLines / o.clients,
      flooderLinesAdmittedPerSec: m.floodLines / o.clients / m.seconds,
      baseLoadgenLagP99Ms: base.r.lagP99Ms,
      floodLoadgenLagP99Ms: m.lagP99Ms,
      baseServerCpu: base.serverCpu,
      floodServerCpu: flooded.serverCpu,
      loadgenCpu: flooded.loadgenCpu,
    };
  } finally {
    await calm.ask({ op: 'close' });
    await Promise.all([calm.w.terminate(), flood.w.terminate()]);
  }
}
