#!/usr/bin/env node
// One command, both servers: runs a scenario against pureircd and a peer (ngircd or InspIRCd)
// alternately, N rounds each, every server pinned to core 0 and the load generator to core 1,
// then prints the median of each figure and the ratio pureircd/peer.
//
//   node bench/run.mjs <fanout|spread|connect|idle|all> [--peer ngircd|inspircd|both]
//                      [--rounds 5] [--quick] [loadgen options: --members 1000 --clients 5000 ...]
//   npm run bench -- fanout --peer inspircd
//
// Each round starts every server afresh (a clean state and RSS), runs the load generator as a
// child process (bench/loadgen.mjs --json) and stops the server. A round that loses a delivery
// or fails to register a client fails the whole run: a lost message is a failure, not a number.
import { spawn } from 'node:child_process';
import { ensurePeers, RAISE_FDS, ROOT, startServer } from './lib/servers.mjs';
import { median, parseArgs } from './lib/util.mjs';

const SERVER_CPU = 0;
const LOADGEN_CPU = 1;
const PORTS = { pureircd: 16700, ngircd: 16701, inspircd: 16702 };

/**
 * Registrations in flight per server (per load-generator worker), in every scenario. Each server gets the concurrency that
 * suits it: ngircd listens with a backlog of 10 (more in flight overflows the accept queue and
 * costs 1-s SYN retransmits), InspIRCd completes registrations on a once-a-second timer (so only
 * many in flight gives throughput). pureircd (Node's backlog, 511) gets 500.
 */
const CONCURRENCY = { pureircd: 500, ngircd: 10, inspircd: 100_000 };

/**
 * A server's own run size where the load generator's default would take minutes: ngircd's
 * spread runs at ~0.05 M deliveries/s, so 1 M (~20 s a round) instead of the 4 M (~3 s) the
 * others get. Deliveries per second are a rate: the run's size only sets how long it is
 * measured. An explicit --deliveries applies to every server.
 */
const SIZES = { ngircd: { spread: { deliveries: 1_000_000 } } };

/** The table: name → [scenario, loadgen options]. */
const SUITE = {
  'fanout-200': ['fanout', { members: 200 }],
  'fanout-1000': ['fanout', { members: 1000 }],
  'spread-2000x5': ['spread', { clients: 2000, size: 5 }],
  'idle-10000': ['idle', { clients: 10_000 }],
  'connect-2000': ['connect', { clients: 2000 }],
  'connect-5000': ['connect', { clients: 5000 }],
};
/** --quick: a few seconds per scenario, for developing the bench itself. */
const QUICK = {
  fanout: { members: 50, deliveries: 200_000 },
  spread: { clients: 200, deliveries: 100_000 },
  connect: { clients: 300 },
  idle: { clients: 500 },
  flood: { clients: 20, durationMs: 4000, graceMs: 2000, warmupMs: 1000 },
};

/** Figures worth a row, per scenario: [key, label, higher is better?, format]. */
const FIGURES = {
  fanout: [
    ['deliveriesPerSec', 'deliveries/s', true, (x) => `${(x / 1e6).toFixed(3)} M`],
    ['latencyP50Ms', 'latency p50 (ms)', false, (x) => x.toFixed(2)],
    ['latencyP99Ms', 'latency p99 (ms)', false, (x) => x.toFixed(2)],
    ['serverCpu', 'server CPU (cores)', null, (x) => x.toFixed(2)],
    ['loadgenCpu', 'load generator CPU (cores)', null, (x) => x.toFixed(2)],
  ],
  connect: [
    ['registrationsPerSec', 'registrations/s', true, (x) => x.toFixed(0)],
    ['serverCpu', 'server CPU (cores)', null, (x) => x.toFixed(2)],
    ['loadgenCpu', 'load generator CPU (cores)', null, (x) => x.toFixed(2)],
  ],
  idle: [
    ['perClientKiB', 'RSS per idle client (KiB)', false, (x) => x.toFixed(2)],
    ['rssBeforeKiB', 'RSS before (MiB)', null, (x) => (x / 1024).toFixed(1)],
    ['rssAfterKiB', 'RSS after (MiB)', null, (x) => (x / 1024).toFixed(1)],
    ['registrationsPerSec', 'registrations/s', true, (x) => x.toFixed(0)],
  ],
};
FIGURES.spread = FIGURES.fanout;
// flood: the normal clients' round trips without and with flooders (lower is better), and the
// flooders' fate. Servers run with their default flood control (see round()).
const ms = (x) => x.toFixed(2);
const int = (x) => x.toFixed(0);
FIGURES.flood = [
  ['floodP99Ms', 'p99 round trip with flooders (ms)', false, ms],
  ['baseP50Ms', 'p50 round trip, no flooders (ms)', false, ms],
  ['baseP99Ms', 'p99 round trip, no flooders (ms)', false, ms],
  ['floodP50Ms', 'p50 round trip with flooders (ms)', false, ms],
  ['p50Ratio', 'p50 with / without flooders', false, ms],
  ['p99Ratio', 'p99 with / without flooders', false, ms],
  ['floodMaxMs', 'max round trip with flooders (ms)', false, ms],
  ['flooderConnections', 'flooder connections', null, int],
  ['flooderExcessFlood', '— dropped for Excess Flood', null, int],
  ['flooderDropped', '— dropped, any reason', null, int],
  ['flooderStillConnected', '— connected at the end (held)', null, int],
  ['flooderConnectedP50Ms', 'flooder time to drop, p50 (ms)', null, int],
  ['flooderLinesQueued', 'flood lines written', null, int],
  ['flooderLinesAdmittedPerSec', 'flood lines relayed per second', null, (x) => x.toFixed(1)],
  ['floodServerCpu', 'server CPU with flooders (cores)', null, ms],
  ['baseLoadgenLagP99Ms', 'load generator timer lag p99, no flooders (ms)', null, ms],
  ['floodLoadgenLagP99Ms', 'load generator timer lag p99, flooders (ms)', null, ms],
  ['loadgenCpu', 'load generator CPU (cores)', null, ms],
];

const toFlags = (o) => Object.entries(o).flatMap(([k, v]) => [`--${k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}`, String(v)]);

function loadgen(scenario, port, pid, opts) {
  const args = ['bench/loadgen.mjs', scenario, '--port', String(port), '--server-pid', String(pid), '--json', ...toFlags(opts)];
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', `${RAISE_FDS}; exec "$@"`, 'sh', 'taskset', '-c', String(LOADGEN_CPU), process.execPath, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(last));
      } catch {
        resolve({ error: `load generator exited with ${code}: ${out.slice(-500)}` });
      }
    });
  });
}

async function round(server, scenario, opts, ownSizes) {
  // The flood scenario measures flood control, so there every server keeps its default.
  // Own ports too, so it can run next to a throughput run of the suite.
  const port = PORTS[server] + (scenario === 'flood' ? 10 : 0);
  const s = await startServer(server, port, SERVER_CPU, { floodDefaults: scenario === 'flood' });
  try {
    // Setup registrations of fanout/spread too: ngircd's backlog bites there as well.
    const own = ownSizes ? (SIZES[server]?.[scenario] ?? {}) : {};
    const r = await loadgen(scenario, port, s.pid, { concurrency: CONCURRENCY[server], ...opts, ...own });
    if (r.error) r.error += `\n--- ${server} output ---\n${s.log().slice(-1500)}`;
    return r;
  } finally {
    await s.stop();
  }
}

async function compare(title, scenario, opts, peers, rounds, ownSizes) {
  const servers = ['pureircd', ...peers];
  const results = Object.fromEntries(servers.map((s) => [s, []]));
  const sized = servers.filter((s) => ownSizes && SIZES[s]?.[scenario] !== undefined);
  const note = sized.map((s) => `; ${s} ${JSON.stringify(SIZES[s][scenario])}`).join('');
  console.log(`\n== ${title}: ${scenario} ${JSON.stringify(opts)}${note}; ${rounds} round(s), servers on cpu ${SERVER_CPU}, load generator on cpu ${LOADGEN_CPU}`);
  for (let r = 0; r < rounds; r++) {
    // Alternate who goes first so neither always runs on a warmer (or hotter) machine.
    const order = r % 2 === 0 ? servers : [...servers].reverse();
    for (const server of order) {
      const res = await round(server, scenario, opts, ownSizes);
      if (res.error) {
        console.log(`  round ${r + 1} ${server}: FAILED: ${res.error}`);
        process.exitCode = 1;
        return null;
      }
      const [key, , , fmt] = FIGURES[scenario][0];
      const cpu = typeof res.serverCpu === 'number' && typeof res.loadgenCpu === 'number' ? `  (CPU: server ${res.serverCpu.toFixed(2)}, load generator ${res.loadgenCpu.toFixed(2)})` : '';
      console.log(`  round ${r + 1} ${server.padEnd(8)} ${FIGURES[scenario][0][1]} ${fmt(res[key])}${cpu}`);
      if (res.flooderFates) console.log(`  ${' '.repeat(String(r + 1).length + 15)}flooders dropped: ${JSON.stringify(res.flooderFates)}`);
      results[server].push(res);
    }
  }
  const rows = FIGURES[scenario].map(([key, label, higher, fmt]) => {
    const med = Object.fromEntries(servers.map((s) => [s, median(results[s].map((x) => x[key]))]));
    return { label, higher, fmt, med };
  });
  const head = ['figure (median)', ...servers, ...peers.map((p) => `pureircd/${p}`)];
  const lines = rows.map(({ label, fmt, med }) => [
    label,
    ...servers.map((s) => (Number.isFinite(med[s]) ? fmt(med[s]) : '—')),
    ...peers.map((p) => (med[p] ? (med.pureircd / med[p]).toFixed(2) : '—')),
  ]);
  printTable([head, ...lines]);
  return { title, scenario, opts, rows, results };
}

function printTable(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  for (const r of rows) console.log('  ' + r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  '));
}

const { positional, flags } = parseArgs(process.argv.slice(2));
const what = positional[0];
if (!what || !(what === 'all' || what in FIGURES || what in SUITE)) {
  console.error('usage: node bench/run.mjs <fanout|spread|connect|idle|flood|all|' + Object.keys(SUITE).join('|') + '>');
  console.error('         [--peer ngircd|inspircd|both] [--rounds 5] [--quick] [loadgen options]');
  process.exit(2);
}
const { peer = 'inspircd', rounds = 5, quick = false, ...opts } = flags;
const peers = peer === 'both' ? ['ngircd', 'inspircd'] : [peer];
if (!peers.every((p) => p in PORTS && p !== 'pureircd')) {
  console.error(`unknown peer ${peer}`);
  process.exit(2);
}
ensurePeers();
const plan =
  what === 'all'
    ? Object.entries(SUITE)
    : what in SUITE
      ? [[what, SUITE[what]]]
      : [[what, [what, {}]]];
for (const [title, [scenario, base]] of plan) {
  const o = { ...base, ...(quick ? QUICK[scenario] : {}), ...opts };
  // --quick sizes every server alike (its own small runs); so does an explicit --deliveries.
  const ownSizes = !quick && !('deliveries' in opts);
  await compare(title, scenario, o, peers, quick ? Math.min(rounds, 1) : rounds, ownSizes);
  if (process.exitCode) break;
}
