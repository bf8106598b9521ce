// Load-generator worker thread: owns a slice of the benchmark's IRC client connections.
//
// The coordinator (bench/loadgen.mjs) drives every worker through the same phases with
// messages: connect → join → sync → send → close. The receive path is the hot loop: a benchmark
// line (a delivery) is recognised by its last byte ('|', the marker every benchmark message ends
// with) without decoding it to a string, so counting costs one native indexOf per line. One
// delivery in SAMPLE_EVERY has its embedded send timestamp parsed for the latency figures.
// Anything else (numerics, PONG, PING, JOIN echoes) is decoded and handled as text: rare.
//
// Registration (the `connect` phase, and the setup of every other scenario) has its own, cheaper
// path: the welcome burst is not split into lines but scanned, a chunk at a time, for the 001
// numeric and then the end of MOTD (376 or 422) with native indexOf (see `registering`). Every
// socket reads into one shared per-thread buffer (`onread`: no Buffer, no stream machinery per
// read), and its listeners are shared functions that find their client on the socket (no
// closures per client).
import net from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';

const MARK = 124; // '|': the last byte of every benchmark message text
const TS_DIGITS = 15; // send time in µs of CLOCK_MONOTONIC, zero-padded, just before the mark
const SAMPLE_EVERY = 32;
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

const { host, port, workerIndex } = workerData;

/** Every socket of this thread reads into this buffer; a read is consumed before the next one. */
const READ_BUF = Buffer.allocUnsafe(64 * 1024);
const CLIENT = Symbol('client'); // socket → its Client
/** Numerics that open and close the welcome burst, as the second token of a line. */
const RPL_WELCOME = Buffer.from(' 001 ', 'latin1');
const RPL_ENDOFMOTD = Buffer.from(' 376 ', 'latin1');
const ERR_NOMOTD = Buffer.from(' 422 ', 'latin1');
/** @type {Client[]} */
let clients = [];
let latencies = [];
let phase = null; // the current phase's bookkeeping, null when idle

const post = (msg) => parentPort.postMessage({ worker: workerIndex, ...msg });

/**
 * @typedef {object} Client
 * @property {number} idx     global index (nick derives from it)
 * @property {string} nick
 * @property {net.Socket|null} sock
 * @property {Buffer|null} carry   bytes of an incomplete line from the previous chunk
 * @property {number} got     deliveries received in the send phase
 * @property {number} expect  deliveries expected in the send phase
 * @property {string|null} channel
 * @property {boolean} ready  registration settled: end of MOTD seen after 001, or failed
 * @property {boolean} registered  001 and then 376/422 seen: lines now go through onData
 * @property {boolean} welcomed  001 seen
 * @property {boolean} done   the send phase's expectation met
 */

// ---- receiving ----------------------------------------------------------------------------

/** `onread` callback of every socket (`this`): bytes in READ_BUF[0, nread), valid until return. */
function onRead(nread, buf) {
  const c = this[CLIENT];
  if (c.registered) onData(c, buf.subarray(0, nread));
  else registering(c, buf.subarray(0, nread));
}

/**
 * The welcome burst, before the end of MOTD: only complete lines are scanned (an incomplete last
 * line is carried over, copied, to the next read), so a numeric never straddles two reads. 001
 * must come first; the end of MOTD after it settles the registration, and whatever follows it in
 * the same read goes to the line parser. A read without 001 (notices, PING, an error numeric)
 * goes to the line parser too, so errors fail the client as before.
 */
function registering(c, chunk) {
  let buf = chunk;
  if (c.carry !== null) {
    buf = Buffer.concat([c.carry, chunk]);
    c.carry = null;
  }
  const end = buf.lastIndexOf(10) + 1; // complete lines: buf[0, end)
  if (end === 0) {
    c.carry = buf === chunk ? Buffer.from(chunk) : buf;
    return;
  }
  let from = 0;
  if (!c.welcomed) {
    const p = numericAt(buf, RPL_WELCOME, 0, end);
    if (p < 0) return onData(c, buf);
    c.welcomed = true;
    from = p + 5;
  }
  let p = numericAt(buf, RPL_ENDOFMOTD, from, end);
  if (p < 0) p = numericAt(buf, ERR_NOMOTD, from, end);
  if (p < 0) {
    if (end < buf.length) c.carry = Buffer.from(buf.subarray(end));
    return;
  }
  c.registered = true;
  if (!c.ready) {
    c.ready = true;
    phase?.ready?.(c);
  }
  const nl = buf.indexOf(10, p);
  if (nl + 1 < buf.length) onData(c, buf.subarray(nl + 1));
}

/**
 * Index of `num` (' NNN ') in buf[from, end) where it is a line's second token, after a
 * ':prefix' (the text of LUSERS replies may hold ' 376 ' too), or -1.
 */
function numericAt(buf, num, from, end) {
  for (let p = buf.indexOf(num, from); p >= 0 && p < end; p = buf.indexOf(num, p + 1)) {
    const start = p === 0 ? 0 : buf.lastIndexOf(10, p - 1) + 1;
    if (buf[start] === 58 && buf.indexOf(32, start) === p) return p;
  }
  return -1;
}

function onData(c, chunk) {
  let buf = chunk;
  let pos = 0;
  if (c.carry !== null) {
    // Finish the line split across reads, then scan the rest of the chunk in place.
    const nl = chunk.indexOf(10);
    if (nl < 0) {
      c.carry = Buffer.concat([c.carry, chunk]);
      return;
    }
    const joined = Buffer.concat([c.carry, chunk.subarray(0, nl + 1)]);
    c.carry = null;
    line(c, joined, 0, joined.length - 1);
    pos = nl + 1;
  }
  let nl;
  while ((nl = buf.indexOf(10, pos)) >= 0) {
    line(c, buf, pos, nl);
    pos = nl + 1;
  }
  if (pos < buf.length) c.carry = Buffer.from(buf.subarray(pos)); // copy: Node may reuse buf
  if (phase !== null && phase.kind === 'send') phase.check(c);
}

/** One line: buf[start, nl) with nl the index of its LF. */
function line(c, buf, start, nl) {
  let end = nl;
  if (end > start && buf[end - 1] === 13) end--;
  if (end > start && buf[end - 1] === MARK) {
    if (++c.got % SAMPLE_EVERY === 0 && end - start > TS_DIGITS + 1) {
      let ts = 0;
      for (let i = end - 1 - TS_DIGITS; i < end - 1; i++) ts = ts * 10 + (buf[i] - 48);
      latencies.push(nowUs() - ts);
    }
    return;
  }
  if (end > start) other(c, buf.latin1Slice(start, end));
}

/** A line that is not a delivery: registration numerics, PING/PONG, end of NAMES, errors. */
function other(c, text) {
  const parts = text.split(' ');
  const hasSource = text.charCodeAt(0) === 58;
  const verb = parts[hasSource ? 1 : 0] ?? '';
  switch (verb) {
    case 'PING': {
      const arg = text.slice(text.indexOf('PING') + 5);
      c.sock?.write(`PONG ${arg}\r\n`);
      return;
    }
    case 'PONG':
      if (phase !== null) phase.pong(c, text.slice(text.lastIndexOf(':') + 1));
      return;
    // 376/422 (end of the welcome burst) are recognised by `registering`, after 001.
    case '366': // end of NAMES: the JOIN is complete
      phase?.joined?.(c);
      return;
    case '432':
    case '433':
    case '465':
    case 'ERROR':
      phase?.fail?.(c, text);
      return;
    default:
      return;
  }
}

// ---- phases ---------------------------------------------------------------------------------

/** Open and register clients, at most `concurrency` registrations in flight. */
function connect({ idxs, concurrency, timeoutMs }) {
  const t0 = nowUs();
  let next = 0;
  let inFlight = 0;
  let done = 0;
  const errors = [];
  const finish = () => {
    clearTimeout(timer);
    phase = null;
    post({ op: 'connected', t0, t1: nowUs(), ok: done, errors: errors.slice(0, 5), failed: errors.length });
  };
  const timer = setTimeout(() => {
    errors.push(`timeout: ${idxs.length - done} clients not registered after ${timeoutMs} ms`);
    finish();
  }, timeoutMs);
  const launch = () => {
    while (inFlight < concurrency && next < idxs.length) {
      const idx = idxs[next++];
      const nick = `b${idx}`;
      const c = { idx, nick, sock: null, carry: null, got: 0, expect: 0, channel: null, ready: false, registered: false, welcomed: false, done: false };
      clients.push(c);
      inFlight++;
      const sock = net.connect({ host, port, noDelay: true, onread: ON_READ });
      sock[CLIENT] = c;
      c.sock = sock;
      sock.on('connect', onConnect);
      sock.on('error', onError);
      sock.on('close', onClose);
    }
  };
  phase = {
    kind: 'connect',
    ready: () => {
      inFlight--;
      done++;
      if (done + errors.length >= idxs.length) finish();
      else launch();
    },
    fail: (c, why) => {
      if (c.ready) return;
      c.ready = true; // counted once
      inFlight--;
      errors.push(`${c.nick}: ${why}`);
      if (done + errors.length >= idxs.length) finish();
      else launch();
    },
    pong: () => {},
  };
  if (idxs.length === 0) finish();
  else launch();
}
/** Clients whose connection closed while no phase was running (reported with the next phase). */
const lost = [];

// Shared by every socket (`this`), so a client costs no closures.
const ON_READ = { buffer: READ_BUF, callback: onRead };
function onConnect() {
  const { nick, idx } = this[CLIENT];
  this.write(`NICK ${nick}\r\nUSER ${nick} 0 * :bench ${idx}\r\n`, 'latin1');
}
function onError(e) {
  phase?.fail?.(this[CLIENT], `socket error: ${e.message}`);
}
function onClose() {
  const c = this[CLIENT];
  c.sock = null;
  if (phase !== null) phase.fail?.(c, 'connection closed by server');
  else lost.push(c.nick);
}

/** Every client with a channel joins it; done when each has seen the end of NAMES. */
function join({ plan, timeoutMs }) {
  const byIdx = new Map(clients.map((c) => [c.idx, c]));
  const joining = [];
  for (const [idx, channel] of plan) {
    const c = byIdx.get(idx);
    if (c === undefined) continue;
    c.channel = channel;
    joining.push(c);
  }
  simplePhase('join', joining, (c) => c.sock?.write(`JOIN ${c.channel}\r\n`), 'joined', timeoutMs);
}

/** Round-trip a PING on every connection so everything queued before has been read. */
function sync({ timeoutMs }) {
  simplePhase('sync', clients, (c) => c.sock?.write('PING :sync\r\n'), 'pong', timeoutMs);
}

function simplePhase(kind, members, start, doneEvent, timeoutMs) {
  const pending = new Set(members);
  const errors = lost.splice(0).map((n) => `${n}: connection closed`);
  const finish = () => {
    clearTimeout(timer);
    phase = null;
    post({ op: kind, ok: members.length - pending.size, failed: pending.size, errors: errors.slice(0, 5) });
  };
  const timer = setTimeout(() => {
    errors.push(`timeout: ${pending.size} clients unfinished after ${timeoutMs} ms`);
    finish();
  }, timeoutMs);
  const settle = (c) => {
    if (pending.delete(c) && pending.size === 0) finish();
  };
  phase = {
    kind,
    [doneEvent]: (c) => settle(c),
    fail: (c, why) => {
      errors.push(`${c.nick}: ${why}`);
      settle(c);
    },
  };
  if (doneEvent !== 'pong') phase.pong = () => {};
  if (pending.size === 0) finish();
  else for (const c of members) start(c);
}

/**
 * The measured phase: senders send `perSender` messages each to their channel, `batch` lines
 * per write followed by a PING; at most `window` PINGs unanswered (flow control that keeps the
 * server's input queue bounded without pacing by time). Receivers count deliveries; the phase
 * ends when every client got exactly what it expects, or fails at the deadline.
 */
function send({ senders, perSender, batch, window, expect, textLen, timeoutMs }) {
  latencies = [];
  const byIdx = new Map(clients.map((c) => [c.idx, c]));
  for (const c of clients) {
    c.got = 0;
    c.expect = expect[c.idx] ?? 0;
  }
  const pad = 'x'.repeat(Math.max(0, textLen - TS_DIGITS - 1));
  const sending = [];
  for (const idx of senders) {
    const c = byIdx.get(idx);
    if (c !== undefined) sending.push({ c, sent: 0, waiting: 0, head: `PRIVMSG ${c.channel} :${pad}` });
  }
  const bySock = new Map(sending.map((s) => [s.c, s]));
  let incomplete = clients.filter((c) => c.got < c.expect).length;
  const errors = lost.splice(0).map((n) => `${n}: connection closed`);
  const t0 = nowUs();
  const cpu0 = process.cpuUsage();
  let ended = false;
  let timer;
  const finish = (ok) => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    phase = null;
    const t1 = nowUs();
    let got = 0;
    let want = 0;
    let over = 0;
    for (const c of clients) {
      got += Math.min(c.got, c.expect);
      want += c.expect;
      if (c.got > c.expect) over += c.got - c.expect;
    }
    post({ op: 'sent', ok, t0, t1, got, want, over, latencies, errors: errors.slice(0, 5), cpu: process.cpuUsage(cpu0) });
  };
  const sendBatch = (s) => {
    const n = Math.min(batch, perSender - s.sent);
    if (n <= 0 || s.c.sock === null) return;
    const ts = String(nowUs()).padStart(TS_DIGITS, '0');
    const one = `${s.head}${ts}|\r\n`;
    s.c.sock.write(one.repeat(n) + 'PING :b\r\n');
    s.sent += n;
    s.waiting++;
  };
  phase = {
    kind: 'send',
    check: (c) => {
      if (c.got >= c.expect && !c.done) {
        c.done = true;
        if (--incomplete === 0) finish(errors.length === 0);
      }
    },
    pong: (c, token) => {
      if (token !== 'b') return;
      const s = bySock.get(c);
      if (s === undefined) return;
      s.waiting--;
      sendBatch(s);
    },
    fail: (c, why) => errors.push(`${c.nick}: ${why}`),
  };
  timer = setTimeout(() => {
    const short = clients.filter((c) => c.got < c.expect);
    errors.push(`timeout after ${timeoutMs} ms: ${short.length} clients short of their deliveries`);
    finish(false);
  }, timeoutMs);
  for (const c of clients) c.done = c.got >= c.expect;
  if (incomplete === 0) finish(true);
  else for (const s of sending) for (let i = 0; i < window; i++) sendBatch(s);
}

function closeAll() {
  for (const c of clients) c.sock?.destroy();
  clients = [];
  post({ op: 'closed' });
}

parentPort.on('message', (m) => {
  switch (m.op) {
    case 'connect':
      return connect(m);
    case 'join':
      return join(m);
    case 'sync':
      return sync(m);
    case 'send':
      return send(m);
    case 'close':
      return closeAll();
    default:
      post({ op: 'error', errors: [`unknown op ${m.op}`] });
  }
});
post({ op: 'ready' });
