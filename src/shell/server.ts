// The imperative shell: sockets in, Inputs to the core, Effects out. It knows nothing of IRC
// beyond framing. Every event becomes an Input, stamped with a sequence number and the clock,
// applied with apply() one at a time (never re-entrantly), recorded when asked; the resulting
// effects are carried out: writes batched per socket per event-loop turn, closes after a flush.
// When the shell learns something about a client (EOF, socket error, RecvQ/SendQ overflow) it
// never acts on its own: it feeds ClientDisconnected and lets the core decide.
import net from 'node:net';
import { taggedLine, timeTag, type Effect } from '../core/effect.js';
import { apply, type Input } from '../core/input.js';
import { redactInput } from '../core/redact.js';
import { initialState, type ClientId, type ServerConfig, type State } from '../core/state.js';
import { LineFramer, type FrameResult } from './framing.js';
import { DEFAULT_HOST, closeServer, listenAll } from './listen.js';
import { flushLogger, makeLogger, type Logger } from './logger.js';
import { Recorder } from './recorder.js';
import { makeTlsServer, type TlsMaterial } from './tls.js';

export interface ServerOptions {
  config: ServerConfig;
  host?: string;
  /** 0 = ephemeral. */
  port: number;
  /** ms since epoch; Date.now by default. Tests pass a virtual clock. */
  clock?: () => number;
  /** 0 = no automatic ticks; default 1000. */
  tickIntervalMs?: number;
  recordFile?: string;
  /** pino level; default 'warn'. Ignored when `logger` is given. */
  logLevel?: string;
  /** Bytes queued to one client before it is dropped with "SendQ exceeded"; default config.limits.sendQ. */
  sendQBytes?: number;
  logger?: Logger;
  /**
   * TEST ONLY: replaces the core's apply(), so a test can make the core throw on a chosen input
   * and check the shell survives it. Never set by the CLI, so not reachable from the network.
   */
  apply?: typeof apply;
  /** Also listen with TLS on this port (0 = ephemeral), with this certificate and key. */
  tls?: { port: number } & TlsMaterial;
  /**
   * Re-read the configuration (REHASH, SIGHUP). Resolves with the new config or the reason it
   * was refused (one line, no password in it). Without it a reload only logs that there is
   * nothing to reload.
   */
  reload?: () => Promise<ReloadOutcome>;
}

export type ReloadOutcome = { readonly ok: true; readonly config: ServerConfig } | { readonly ok: false; readonly reason: string };

export interface RunningServer {
  port: number;
  /** The TLS listener's port, or null without TLS. */
  tlsPort: number | null;
  /** Reload the configuration as SIGHUP does (the outcome goes through the core and the log). */
  reload(): void;
  /** Feed TimeAdvanced now. */
  tick(): void;
  /** Resolves once every input received so far is applied and all writes reached the kernel. */
  settled(): Promise<void>;
  state(): State;
  /** Feeds ServerStopping, flushes, closes every connection, the listeners and the record log. */
  close(reason?: string): Promise<void>;
}

/**
 * Inputs after which a turn's output is written at once rather than at the end of the turn
 * (see feed). Measured in bench/: unbounded turns, 100, 300, 500, 1000, 2000, 3000; 500 was
 * best for fan-out (+50%) and as good as any for spread (+20%).
 */
const TURN_FLUSH_INPUTS = 500;

/** How long a closed connection may take to flush before it is destroyed. */
const CLOSE_GRACE_MS = 2000;

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;
type Unstamped = DistributiveOmit<Input, 'seq' | 'at'>;

interface Conn {
  readonly id: ClientId;
  readonly socket: net.Socket;
  /**
   * This connection's own framer, only while it holds an unterminated line (or overflowed);
   * null otherwise: most reads end at a line end, and an idle client needs no framer at all.
   */
  framer: LineFramer | null;
  /**
   * This turn's output, written with ONE socket.write at the end of the turn: the Buffer itself
   * while there is one (the common case, no array), an array once there are more. null = none.
   * Lines sent to this client alone come after it, still as text (`text`).
   */
  out: Buffer | Buffer[] | null;
  /**
   * Lines for this client alone (replies, numerics, the welcome burst), not yet encoded: they
   * are encoded once, together, when the turn's output is written, instead of one Buffer each.
   */
  text: string;
  /** Bytes in `out` and `text` (lines are latin1: one byte per character). */
  outLen: number;
  /** The core knows this client is gone (it closed it, or we fed ClientDisconnected): no more inputs. */
  done: boolean;
  /** IRCv3 server-time: every line to it is `stamped` with the time of the input that sent it. */
  serverTime: boolean;
  /** IRCv3 message-tags: it gets client-only tags (TaggedSend) and TAGMSG. */
  messageTags: boolean;
}

const reasonOf = (err: NodeJS.ErrnoException): string =>
  `${err.syscall === 'write' ? 'Write' : 'Read'} error: ${err.code ?? err.message}`;

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const clock = opts.clock ?? Date.now;
  const logger = opts.logger ?? makeLogger(opts.logLevel ?? 'warn');
  const applyInput = opts.apply ?? apply;
  // Read from the current state each time, so a reloaded config takes effect at once.
  const sendQ = (): number => opts.sendQBytes ?? state.config.limits.sendQ;
  const recorder = opts.recordFile === undefined ? null : await Recorder.open(opts.recordFile, opts.config, logger);

  let state = initialState(opts.config);
  let seq = 0;
  let nextId = 1;
  let stopping = false;
  const conns = new Map<ClientId, Conn>();

  // ---- inputs: one at a time, in arrival order --------------------------------------------
  const queue: Unstamped[] = [];
  let draining = false;

  /**
   * `at`: when the event happened, if the caller read the clock already (the lines of one read
   * arrived together, and reading the clock costs ~50 ns: a read of 10 lines reads it once).
   * Without it the event is stamped when applied.
   */
  const feed = (event: Unstamped, at?: number): void => {
    if (draining) {
      queue.push(event); // an effect fed an input: it runs after the current one
      return;
    }
    draining = true;
    // Most inputs feed nothing more: apply this one directly, then whatever its effects queued
    // (walked by index, not shift(): no array churn on the hot path).
    let done = -1; // inputs of `queue` already taken
    try {
      if (queue.length === 0) applyOne(event, at);
      else queue.push(event); // left over from a throw: keep arrival order
      for (done = 0; done < queue.length; ) applyOne(queue[done++]!);
    } finally {
      if (done >= queue.length) {
        if (queue.length !== 0) queue.length = 0;
      } else if (done > 0) queue.splice(0, done); // applyOne threw: keep the rest for the next feed
      draining = false;
    }
    // A long turn writes its output every TURN_FLUSH_INPUTS inputs rather than at its end: one
    // poll of many busy sockets can feed many thousands of lines, and output held that long is
    // late to its readers and outlives young-generation GCs (promoted, to be collected again by
    // a full GC). Writes stay batched: hundreds of inputs per write.
    if (turnInputs > TURN_FLUSH_INPUTS) endTurn();
    else scheduleTurn();
  };

  /** Stamp, record, apply, perform: one input (never throws for a core bug). */
  const applyOne = (next: Unstamped, at: number = clock()): void => {
    turnInputs++;
    // Lines are nearly every input: build them as one literal shape (a spread of the union is slow).
    const input: Input =
      next._tag === 'LineReceived'
        ? { _tag: 'LineReceived', seq: ++seq, at, client: next.client, line: next.line }
        : ({ ...next, seq: ++seq, at } as Input);
    // Redacted against the state the input is about to meet: no password reaches the file.
    if (recorder !== null) recorder.append(redactInput(state, input));
    let effects: readonly Effect[];
    try {
      const result = applyInput(state, input);
      state = result[0];
      effects = result[1];
    } catch (err) {
      // A core bug: keep the previous state and keep serving everyone else.
      guarded(() => logger.error({ err, seq: input.seq, input: input._tag }, 'core threw; input ignored'));
      // A connection the core never learnt of would linger unserved (no timeout applies): close it.
      if (input._tag === 'ClientConnected') {
        const c = conns.get(input.client);
        if (c !== undefined) guarded(() => closeConn(c));
      }
      return;
    }
    // One failing effect (a throwing logger, a socket in a bad state) must not stop the others.
    // The time the core gave the input (its stamp, unless the clock stepped back): server-time's.
    const ranAt = state.now;
    for (const e of effects) {
      try {
        perform(e, ranAt);
      } catch (err) {
        shellError(err, e);
      }
    }
  };

  /** Run shell work that must never take the daemon down: an exception is logged, then dropped. */
  const guarded = (work: () => void, effect?: Effect): void => {
    try {
      work();
    } catch (err) {
      shellError(err, effect);
    }
  };
  const shellError = (err: unknown, effect?: Effect): void => {
    try {
      logger.error({ err, effect: effect?._tag }, 'shell error; going on');
    } catch {
      // The logger itself failed: nothing left to tell.
    }
  };

  // ---- effects -----------------------------------------------------------------------------
  const dirty = new Set<Conn>();
  /** Sockets ended by a Close and still flushing. */
  const flushing = new Set<net.Socket>();
  let turnScheduled = false;
  /** Inputs applied since the output was last written (see TURN_FLUSH_INPUTS). */
  let turnInputs = 0;

  /** Connections with server-time: while there are none, a Send is written exactly as before it existed. */
  let timedConns = 0;
  /** A connection leaves `conns` (once, whichever of Close and the socket's close comes first). */
  const forget = (c: Conn): void => {
    if (conns.delete(c.id) && c.serverTime) timedConns--;
  };
  // server-time's prefix for the last time it was asked for: a turn's lines share a few times.
  let tagTime = Number.NaN;
  let tagText = '';
  const tagAt = (at: number): string => {
    if (at !== tagTime) {
      tagTime = at;
      tagText = timeTag(at);
    }
    return tagText;
  };

  /** `at`: the time of the input whose effect this is (server-time stamps lines with it). */
  const perform = (e: Effect, at: number): void => {
    switch (e._tag) {
      case 'Send': {
        const { to, except, line } = e;
        if (to.length === 1) {
          // One recipient: the line joins that client's text for this turn, not encoded yet.
          const c = to[0] === except ? undefined : conns.get(to[0]!);
          if (c !== undefined) writeText(c, c.serverTime ? tagAt(at) + line : line);
          return;
        }
        if (timedConns === 0) {
          const bytes = encodeLine(line); // encoded once for everyone
          for (let i = 0; i < to.length; i++) {
            const id = to[i]!;
            if (id === except) continue;
            const c = conns.get(id);
            if (c !== undefined) write(c, bytes);
          }
          return;
        }
        // Some connection has server-time: encoded once for those without it and once for those with it.
        let bytes: Buffer | null = null;
        let withTime: Buffer | null = null;
        for (let i = 0; i < to.length; i++) {
          const id = to[i]!;
          if (id === except) continue;
          const c = conns.get(id);
          if (c !== undefined) write(c, c.serverTime ? (withTime ??= encodeLine(tagAt(at) + line)) : (bytes ??= encodeLine(line)));
        }
        return;
      }
      case 'ServerTime': {
        const c = conns.get(e.client);
        if (c !== undefined && c.serverTime !== e.on) {
          c.serverTime = e.on;
          timedConns += e.on ? 1 : -1;
        }
        return;
      }
      case 'TaggedSend': {
        // Rare (clients that send tags): each recipient's variant of the line, encoded per
        // recipient as text; at most four variants exist, so no cache is worth it here.
        for (let i = 0; i < e.to.length; i++) {
          const id = e.to[i]!;
          if (id === e.except) continue;
          const c = conns.get(id);
          if (c === undefined) continue;
          const text = taggedLine(e, at, c.serverTime, c.messageTags);
          if (text !== null) writeText(c, text);
        }
        return;
      }
      case 'MessageTags': {
        const c = conns.get(e.client);
        if (c !== undefined) c.messageTags = e.on;
        return;
      }
      case 'Close': {
        const c = conns.get(e.client);
        if (c !== undefined) closeConn(c);
        return;
      }
      case 'Log':
        logger[e.level](e.text);
        return;
      case 'ReloadConfig':
        reloadConfig(e.requestedBy);
        return;
      default: {
        const unreachable: never = e;
        logger.error({ effect: unreachable }, 'unknown effect');
      }
    }
  };

  // Lines sent to several clients are encoded into shared slabs, as Buffer.from does into its
  // pool, minus the `line + CRLF` string and the pool's bookkeeping. A slab is dropped, never
  // reused, once full: a queued slice keeps it alive (so slabs are small, like Node's pool).
  const SLAB_BYTES = 16 * 1024;
  let slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
  let slabAt = 0;
  const encodeLine = (line: string): Buffer => {
    const n = line.length + 2;
    if (n > SLAB_BYTES / 4) return Buffer.from(line + '\r\n', 'latin1');
    if (slabAt + n > SLAB_BYTES) {
      slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
      slabAt = 0;
    }
    const at = slabAt;
    slab.write(line, at, 'latin1');
    slab[at + n - 2] = 13;
    slab[at + n - 1] = 10;
    slabAt = at + n;
    return slab.subarray(at, at + n);
  };

  // One write per socket per turn rather than one per line: each socket.write costs a trip
  // through the stream machinery (and a writev of many small buffers when corked), which
  // dominated the profile of fan-out. The same Buffer object is shared by all recipients.
  const write = (c: Conn, bytes: Buffer): void => {
    if (!c.socket.writable) return;
    if (c.text !== '') encodeText(c); // keep the order: earlier text goes first
    const out = c.out;
    if (out === null) {
      c.out = bytes;
      dirty.add(c);
    } else if (Array.isArray(out)) out.push(bytes);
    else c.out = [out, bytes];
    c.outLen += bytes.length;
  };

  const writeText = (c: Conn, line: string): void => {
    if (!c.socket.writable) return;
    if (c.out === null && c.text === '') dirty.add(c);
    c.text += line + '\r\n';
    c.outLen += line.length + 2;
  };

  /** Move the pending text into `out` as one Buffer. */
  const encodeText = (c: Conn): void => {
    const bytes = Buffer.from(c.text, 'latin1');
    c.text = '';
    const out = c.out;
    if (out === null) c.out = bytes;
    else if (Array.isArray(out)) out.push(bytes);
    else c.out = [out, bytes];
  };

  /** Hand this turn's output to the socket (one write), if it still takes writes. */
  const flush = (c: Conn): void => {
    if (c.out === null) {
      if (c.text === '') return;
      // Text only (replies to one client): written as a string, encoded by the stream itself.
      const text = c.text;
      c.text = '';
      c.outLen = 0;
      if (c.socket.writable) c.socket.write(text, 'latin1');
      return;
    }
    if (c.text !== '') encodeText(c);
    const out = c.out!;
    c.out = null;
    const len = c.outLen;
    c.outLen = 0;
    if (!c.socket.writable) return;
    c.socket.write(Array.isArray(out) ? Buffer.concat(out, len) : out);
  };

  /** Flush what was sent, then end; destroy if the peer does not finish in time. */
  const closeConn = (c: Conn): void => {
    c.done = true;
    forget(c);
    if (!c.socket.closed) flushing.add(c.socket);
    flush(c); // what was sent before the Close goes out before the FIN
    dirty.delete(c);
    c.socket.end();
    setTimeout(() => c.socket.destroy(), CLOSE_GRACE_MS).unref();
  };

  const scheduleTurn = (): void => {
    if (turnScheduled || (dirty.size === 0 && recorder === null)) return;
    turnScheduled = true;
    setImmediate(endTurn);
  };

  /** End of an event-loop turn: hand each socket its batch, then enforce the SendQ. */
  const endTurn = (): void => {
    turnScheduled = false;
    turnInputs = 0;
    const batch = [...dirty];
    dirty.clear();
    const limit = sendQ();
    for (const c of batch) guarded(() => flush(c));
    for (const c of batch) {
      // Unsent bytes: what the socket still holds plus anything written since (none, normally).
      const queued = c.socket.writableLength + c.outLen;
      if (!c.done && queued > limit) {
        guarded(() => logger.warn({ client: c.id, queued, limit }, 'SendQ exceeded'));
        guarded(() => disconnect(c, 'SendQ exceeded'));
      }
    }
    guarded(() => recorder?.flush());
  };

  // ---- connections -------------------------------------------------------------------------
  /** Tell the core this client is gone, once, and only if the core has not closed it already. */
  const disconnect = (c: Conn, reason: string): void => {
    if (c.done) return;
    c.done = true;
    feed({ _tag: 'ClientDisconnected', client: c.id, reason });
  };

  /** Ask the reload source, then feed its outcome; never throws, never runs after close. */
  const reloadConfig = (requestedBy: ClientId | null): void => {
    if (opts.reload === undefined) {
      logger.info('reload requested, but this server has no configuration source to reload');
      return;
    }
    opts.reload().then(
      (r) => {
        if (stopping) return;
        feed(r.ok ? { _tag: 'ConfigReloaded', config: r.config, requestedBy } : { _tag: 'ConfigReloadFailed', reason: r.reason, requestedBy });
      },
      (err: unknown) => {
        logger.error({ err }, 'config reload threw');
        if (!stopping) feed({ _tag: 'ConfigReloadFailed', reason: 'internal error while reloading', requestedBy });
      },
    );
  };

  // The socket listeners are shared by all connections (found through `this`), not closures
  // made per connection: that saves a few hundred bytes per idle client.
  const bySocket = new WeakMap<net.Socket, Conn>();

  // Framing without a framer per connection: a connection whose reads end at a line end (nearly
  // all of them) is framed by one shared framer, left empty after each read. Only a read that
  // leaves a partial line behind (or overflows) hands that framer to the connection, which keeps
  // it until its line is complete. The bound is the configured recvQ when the partial line began.
  let spare: LineFramer | null = null;
  let spareLimit = 0;
  const frame = (c: Conn, chunk: Buffer): FrameResult => {
    const own = c.framer;
    if (own !== null) {
      const result = own.push(chunk);
      if (!result.overflow && own.pendingBytes === 0) c.framer = null; // the line is complete
      return result;
    }
    const limit = state.config.limits.recvQ;
    if (spare === null || spareLimit !== limit) {
      spare = new LineFramer(limit);
      spareLimit = limit;
    }
    const result = spare.push(chunk);
    if (result.overflow || spare.pendingBytes > 0) {
      c.framer = spare; // it holds this connection's partial line (or its overflow) now
      spare = null;
    }
    return result;
  };

  // After the client is done its bytes are still read (and dropped) rather than left unread:
  // closing a socket with unread input sends RST, which could destroy the ERROR line in flight.
  function onData(this: net.Socket, chunk: Buffer): void {
    const c = bySocket.get(this);
    if (c === undefined) return;
    // Closed while it was still sending (a flooder, or lines after QUIT): read nothing more. Its
    // bytes wait in the kernel, so they cost no CPU, and the close grace timer ends the socket.
    if (c.done) return void this.pause();
    try {
      const { lines, overflow } = frame(c, chunk);
      const at = clock(); // every line of this read arrived now
      for (const line of lines) {
        if (c.done) return void this.pause();
        feed({ _tag: 'LineReceived', client: c.id, line }, at);
      }
      if (overflow) {
        logger.warn({ client: c.id, limit: state.config.limits.recvQ }, 'RecvQ exceeded');
        disconnect(c, 'RecvQ exceeded');
      }
    } catch (err) {
      shellError(err);
    }
  }
  function onEnd(this: net.Socket): void {
    const c = bySocket.get(this);
    if (c !== undefined) disconnect(c, 'Connection closed');
  }
  function onError(this: net.Socket, err: NodeJS.ErrnoException): void {
    const c = bySocket.get(this);
    if (c !== undefined) disconnect(c, reasonOf(err));
  }
  function onClose(this: net.Socket): void {
    flushing.delete(this);
    const c = bySocket.get(this);
    if (c === undefined) return;
    disconnect(c, 'Connection closed');
    forget(c);
    dirty.delete(c);
    c.out = null; // nothing more can be written: let the buffers go
    c.text = '';
    c.outLen = 0;
  }

  const onConnection = (socket: net.Socket, secure = false): void => {
    if (stopping) {
      socket.on('error', () => {});
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    const c: Conn = { id: nextId++, socket, framer: null, out: null, text: '', outLen: 0, done: false, serverTime: false, messageTags: false };
    conns.set(c.id, c);
    bySocket.set(socket, c);
    socket.on('data', onData);
    socket.on('end', onEnd);
    // An error listener is always attached: ECONNRESET/EPIPE become an input, never a crash.
    socket.on('error', onError);
    socket.on('close', onClose);
    feed({ _tag: 'ClientConnected', client: c.id, address: socket.remoteAddress ?? 'unknown', tls: secure });
  };

  const makeServer = (): net.Server => net.createServer((socket) => onConnection(socket));

  let listening: { servers: net.Server[]; port: number };
  try {
    listening = await listenAll(makeServer, opts.host ?? DEFAULT_HOST, opts.port);
  } catch (err) {
    await recorder?.close();
    throw err;
  }
  let tlsPort: number | null = null;
  if (opts.tls !== undefined) {
    const material = opts.tls;
    const makeTls = (): net.Server =>
      makeTlsServer(material, (socket) => onConnection(socket, true), (err) => logger.debug({ err: err.message }, 'TLS handshake failed'));
    try {
      const secure = await listenAll(makeTls, opts.host ?? DEFAULT_HOST, opts.tls.port);
      listening = { servers: [...listening.servers, ...secure.servers], port: listening.port };
      tlsPort = secure.port;
    } catch (err) {
      await Promise.all(listening.servers.map(closeServer));
      await recorder?.close();
      throw err;
    }
  }
  for (const server of listening.servers) server.on('error', (err) => logger.error({ err }, 'listener error'));
  logger.info({ port: listening.port, host: opts.host ?? DEFAULT_HOST }, 'listening');

  const tickMs = opts.tickIntervalMs ?? 1000;
  const ticker = tickMs > 0 ? setInterval(() => feed({ _tag: 'TimeAdvanced' }), tickMs) : null;
  ticker?.unref();

  // ---- the handle --------------------------------------------------------------------------
  const settled = async (): Promise<void> => {
    await new Promise<void>((resolve) => setImmediate(resolve)); // this turn's batches go out
    // Poll: 'drain' only fires after a write() returned false, so it cannot be awaited here.
    const unflushed = (): boolean => {
      for (const c of conns.values()) if (!c.socket.destroyed && c.socket.writableLength > 0) return true;
      return false;
    };
    while (unflushed()) await new Promise<void>((resolve) => setTimeout(resolve, 1));
    await recorder?.drained();
  };

  let closing: Promise<void> | null = null;
  const close = (reason = 'Server shutting down'): Promise<void> => {
    closing ??= (async () => {
      stopping = true;
      if (ticker !== null) clearInterval(ticker);
      const listenersClosed = Promise.all(listening.servers.map(closeServer));
      feed({ _tag: 'ServerStopping', reason });
      // The core closed every client it knows; anything left is closed here all the same.
      for (const c of [...conns.values()]) closeConn(c);
      // Wait for every flush (each bounded by its grace timer).
      await Promise.all([...flushing].map((s) => new Promise<void>((resolve) => s.once('close', () => resolve()))));
      await listenersClosed;
      if (recorder !== null) await recorder.close();
      await flushLogger(logger);
    })();
    return closing;
  };

  return {
    port: listening.port,
    tlsPort,
    reload: () => {
      if (!stopping) reloadConfig(null);
    },
    tick: () => feed({ _tag: 'TimeAdvanced' }),
    settled,
    state: () => state,
    close,
  };
}
