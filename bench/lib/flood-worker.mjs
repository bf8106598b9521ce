// Worker thread of the `flood` scenario (bench/lib/flood.mjs drives it). One role per thread:
//
// - role 'calm': N normal clients, all in #calm. Each sends `PRIVMSG <itself> :...<send time>|`
//   on a fixed schedule (open loop: the next send does not wait for the reply, so a slow server
//   cannot hide its slowness by slowing the senders down) and times the message's return: a full
//   round trip through the server's PRIVMSG path. Flood lines relayed to #calm are counted.
// - role 'flood': K flooders. Each registers, joins #calm and writes PRIVMSG #calm lines as fast
//   as its socket accepts them; when the server drops it, it records why (the ERROR line's reason)
//   and reconnects after `reconnectMs` with a fresh nick, until told to stop.
import net from 'node:net';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';

const SAMPLE = 124; // '|': last byte of a normal client's timed message
const FLOOD = 126; // '~': last byte of a flood line
const TS_DIGITS = 15; // send time, µs of CLOCK_MONOTONIC, zero-padded, just before the '|'
const CHANNEL = '#calm';
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

const { host, port, role } = workerData;
const post = (msg) => parentPort.postMessage(msg);

// The flooders' own CPU on the load generator's core must not delay the normal clients' timing:
// on Linux setpriority(pid 0) changes the calling thread only, so this lowers just this thread.
if (role === 'flood') {
  try {
    os.setPriority(10);
  } catch {
    /* not permitted: run at normal priority */
  }
}

/** Split a socket's bytes into lines; `line(buf, start, end)` gets each without its CR LF. */
function lineReader(line) {
  let carry = null;
  return (chunk) => {
    let buf = chunk;
    if (carry !== null) {
      buf = Buffer.concat([carry, chunk]);
      carry = null;
    }
    let pos = 0;
    let nl;
    while ((nl = buf.indexOf(10, pos)) >= 0) {
      let end = nl;
      if (end > pos && buf[end - 1] === 13) end--;
      if (end > pos) line(buf, pos, end);
      pos = nl + 1;
    }
    if (pos < buf.length) carry = Buffer.from(buf.subarray(pos)); // copy: Node may reuse buf
  };
}

/** The verb of a decoded line (skipping a source prefix). */
const verbOf = (text) => text.split(' ', 2)[text.charCodeAt(0) === 58 ? 1 : 0] ?? '';

// ---- calm clients -------------------------------------------------------------------------------

/** @type {{ idx: number, nick: string, sock: net.Socket, sent: number, got: number, ready: boolean, joined: boolean }[]} */
let calm = [];
let calmPhase = null; // { latencies, floodLines, errors } while measuring
const calmErrors = [];

function calmConnect({ n, timeoutMs }) {
  let pending = n;
  const timer = setTimeout(() => {
    calmErrors.push(`timeout: ${pending} normal clients not in ${CHANNEL} after ${timeoutMs} ms`);
    done();
  }, timeoutMs);
  let finished = false;
  const done = () => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    post({ op: 'connected', errors: calmErrors.splice(0, 5) });
  };
  const settle = () => {
    if (--pending === 0) done();
  };
  for (let idx = 0; idx < n; idx++) {
    const c = { idx, nick: `calm${idx}`, sock: null, sent: 0, got: 0, ready: false, joined: false };
    calm.push(c);
    const sock = net.connect({ host, port, noDelay: true });
    c.sock = sock;
    sock.on('connect', () => sock.write(`NICK ${c.nick}\r\nUSER ${c.nick} 0 * :calm ${idx}\r\n`));
    sock.on('data', lineReader((buf, start, end) => calmLine(c, buf, start, end, settle)));
    sock.on('error', (e) => calmErrors.push(`${c.nick}: socket error ${e.message}`));
    sock.on('close', () => {
      if (!finished) settle();
      calmErrors.push(`${c.nick}: connection closed by the server`);
    });
  }
}

function calmLine(c, buf, start, end, joinedCb) {
  const last = buf[end - 1];
  if (last === FLOOD) {
    if (calmPhase !== null) calmPhase.floodLines++;
    return;
  }
  if (last === SAMPLE && end - start > TS_DIGITS + 1) {
    let ts = 0;
    for (let i = end - 1 - TS_DIGITS; i < end - 1; i++) ts = ts * 10 + (buf[i] - 48);
    c.got++;
    if (calmPhase !== null) calmPhase.latencies.push(nowUs() - ts);
    return;
  }
  const text = buf.latin1Slice(start, end);
  switch (verbOf(text)) {
    case 'PING':
      c.sock.write(`PONG ${text.slice(text.indexOf('PING') + 5)}\r\n`);
      return;
    case '376': // end of MOTD
    case '422': // no MOTD
      if (!c.ready) {
        c.ready = true;
        c.sock.write(`JOIN ${CHANNEL}\r\n`);
      }
      return;
    case '366': // end of NAMES: in the channel
      if (!c.joined) {
        c.joined = true;
        joinedCb();
      }
      return;
    case 'ERROR':
    case '432':
    case '433':
    case '465':
      calmErrors.push(`${c.nick}: ${text}`);
      return;
    default:
      return;
  }
}

/**
 * One measured phase: every client sends one timed PRIVMSG to itself every `intervalMs`
 * (staggered evenly over the interval) for `durationMs`, then up to `graceMs` for the last
 * replies. A message not back by then is lost.
 */
function calmMeasure({ durationMs, intervalMs, graceMs, textLen }) {
  calmPhase = { latencies: [], floodLines: 0 };
  // This thread's own timer lateness: if it is as large as the round trips' tail, the tail came
  // from the load generator's core (other work on the machine), not from the server.
  const lag = monitorEventLoopDelay({ resolution: 1 });
  lag.enable();
  const t0 = nowUs();
  const pad = 'x'.repeat(Math.max(0, textLen - TS_DIGITS - 1));
  const sent0 = calm.map((c) => c.sent);
  const got0 = calm.map((c) => c.got);
  const timers = [];
  calm.forEach((c, i) => {
    const head = `PRIVMSG ${c.nick} :${pad}`;
    const fire = () => {
      if (c.sock === null || c.sock.destroyed) return;
      c.sock.write(`${head}${String(nowUs()).padStart(TS_DIGITS, '0')}|\r\n`);
      c.sent++;
    };
    const offset = (i * intervalMs) / calm.length;
    timers.push(
      setTimeout(() => {
        fire();
        timers.push(setInterval(fire, intervalMs));
      }, offset),
    );
  });
  const outstanding = () => calm.reduce((a, c) => a + (c.sent - c.got), 0);
  setTimeout(() => {
    for (const t of timers) clearTimeout(t); // clears intervals too
    const deadline = Date.now() + graceMs;
    const wait = () => {
      if (outstanding() > 0 && Date.now() < deadline) return void setTimeout(wait, 20);
      const p = calmPhase;
      calmPhase = null;
      lag.disable();
      post({
        op: 'measured',
        seconds: (nowUs() - t0) / 1e6,
        latencies: p.latencies,
        sent: calm.reduce((a, c, i) => a + c.sent - sent0[i], 0),
        received: calm.reduce((a, c, i) => a + c.got - got0[i], 0),
        floodLines: p.floodLines,
        lagP99Ms: lag.percentile(99) / 1e6,
        errors: calmErrors.splice(0, 5),
      });
    };
    wait();
  }, durationMs);
}

// ---- flooders -----------------------------------------------------------------------------------

let flooding = false;
let stats = null;
const live = new Set();

/** The reason in an ERROR line, without the nick and host that differ per connection. */
const reasonOf = (text) => {
  const m = /[([]([^()[\]]*)[)\]]\s*$/.exec(text);
  return m !== null ? m[1] : text.replace(/^.*?ERROR :/, '');
};

function floodStart({ k, reconnectMs, lineLen }) {
  flooding = true;
  stats = { connections: 0, registered: 0, linesWritten: 0, fates: {}, connectedMs: [] };
  for (let f = 0; f < k; f++) flooder(f, 0, reconnectMs, lineLen);
  post({ op: 'started' });
}

function flooder(f, gen, reconnectMs, lineLen) {
  if (!flooding) return;
  const nick = `f${f}g${gen}`;
  const body = `PRIVMSG ${CHANNEL} :flood ${nick} `;
  const one = body + 'y'.repeat(Math.max(1, lineLen - body.length - 3)) + '~\r\n';
  const perChunk = Math.max(1, Math.floor(16384 / one.length));
  const chunk = Buffer.from(one.repeat(perChunk), 'latin1');
  const conn = { sock: net.connect({ host, port, noDelay: true }), since: 0, reason: null, pumping: false };
  const { sock } = conn;
  live.add(conn);
  stats.connections++;
  const pump = () => {
    // One 16 KiB chunk per 'drain': as fast as the kernel and the server take it.
    while (flooding && !sock.destroyed) {
      const more = sock.write(chunk);
      stats.linesWritten += perChunk;
      if (!more) return;
    }
  };
  sock.on('connect', () => sock.write(`NICK ${nick}\r\nUSER ${nick} 0 * :flooder\r\n`));
  sock.on('drain', () => conn.pumping && pump());
  sock.on(
    'data',
    lineReader((buf, start, end) => {
      const text = buf.latin1Slice(start, end);
      const verb = verbOf(text);
      if ((verb === '376' || verb === '422') && !conn.pumping) {
        stats.registered++;
        conn.since = Date.now();
        conn.pumping = true;
        sock.write(`JOIN ${CHANNEL}\r\n`);
        pump();
      } else if (verb === 'PING') sock.write(`PONG ${text.slice(text.indexOf('PING') + 5)}\r\n`);
      else if (verb === 'ERROR' && conn.reason === null) conn.reason = reasonOf(text);
    }),
  );
  sock.on('error', (e) => {
    // A write racing the server's close gets EPIPE/ECONNRESET, and Node then discards the unread
    // ERROR line: the server dropped us, but its reason is lost.
    const reset = e.code === 'EPIPE' || e.code === 'ECONNRESET';
    if (conn.reason === null) conn.reason = reset ? 'reset by the server (reason not read)' : `socket error: ${e.code ?? e.message}`;
  });
  sock.on('close', () => {
    live.delete(conn);
    if (!flooding) return; // stopped by us: counted as still connected in floodStop
    const why = conn.reason ?? 'closed without ERROR';
    stats.fates[why] = (stats.fates[why] ?? 0) + 1;
    if (conn.since > 0) stats.connectedMs.push(Date.now() - conn.since);
    setTimeout(() => flooder(f, gen + 1, reconnectMs, lineLen), reconnectMs);
  });
}

function floodStop() {
  flooding = false;
  const stillConnected = live.size;
  for (const conn of live) conn.sock.destroy();
  live.clear();
  post({ op: 'stopped', ...stats, stillConnected });
}

parentPort.on('message', (m) => {
  switch (m.op) {
    case 'connect':
      return calmConnect(m);
    case 'measure':
      return calmMeasure(m);
    case 'start':
      return floodStart(m);
    case 'stop':
      return floodStop();
    case 'close':
      for (const c of calm) c.sock?.destroy();
      calm = [];
      return post({ op: 'closed' });
    default:
      post({ op: 'error', errors: [`unknown op ${m.op}`] });
  }
});
