// The imperative shell: sockets in, Inputs to the core, Effects out. It knows nothing of IRC
// beyond framing. Every event becomes an Input, stamped with a sequence number and the clock,
// applied with apply() one at a time (never re-entrantly), recorded when asked; the resulting
// effects are carried out: writes batched per socket per event-loop turn, closes after a flush.
// When the shell learns something about a client (EOF, socket error, RecvQ/SendQ overflow) it
// never acts on its own: it feeds ClientDisconnected and lets the core decide.
import net from 'node:net';
import type { Effect } from '../core/effect.js';
import { apply, type Input } from '../core/input.js';
import { initialState, type ClientId, type ServerConfig, type State } from '../core/state.js';
import { LineFramer } from './framing.js';
import { DEFAULT_HOST, closeServer, listenAll } from './listen.js';
import { flushLogger, makeLogger, type Logger } from './logger.js';
import { Recorder } from './recorder.js';

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
  /** Bytes queued to one client before it is dropped with "SendQ exceeded"; default 1 MiB. */
  sendQBytes?: number;
  logger?: Logger;
}

export interface RunningServer {
  port: number;
  /** Feed TimeAdvanced now. */
  tick(): void;
  /** Resolves once every input received so far is applied and all writes reached the kernel. */
  settled(): Promise<void>;
  state(): State;
  /** Feeds ServerStopping, flushes, closes every connection, the listeners and the record log. */
  close(reason?: string): Promise<void>;
}

export const DEFAULT_SENDQ = 1024 * 1024;
/** How long a closed connection may take to flush before it is destroyed. */
const CLOSE_GRACE_MS = 2000;

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;
type Unstamped = DistributiveOmit<Input, 'seq' | 'at'>;

interface Conn {
  readonly id: ClientId;
  readonly socket: net.Socket;
  readonly framer: LineFramer;
  /** Writes are corked until the end of this turn. */
  corked: boolean;
  /** The core knows this client is gone (it closed it, or we fed ClientDisconnected): no more inputs. */
  done: boolean;
}

const reasonOf = (err: NodeJS.ErrnoException): string =>
  `${err.syscall === 'write' ? 'Write' : 'Read'} error: ${err.code ?? err.message}`;

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const clock = opts.clock ?? Date.now;
  const logger = opts.logger ?? makeLogger(opts.logLevel ?? 'warn');
  const sendQ = opts.sendQBytes ?? DEFAULT_SENDQ;
  const recorder = opts.recordFile === undefined ? null : await Recorder.open(opts.recordFile, opts.config, logger);

  let state = initialState(opts.config);
  let seq = 0;
  let nextId = 1;
  let stopping = false;
  const conns = new Map<ClientId, Conn>();

  // ---- inputs: one at a time, in arrival order --------------------------------------------
  const queue: Unstamped[] = [];
  let draining = false;

  const feed = (event: Unstamped): void => {
    queue.push(event);
    if (draining) return; // an effect fed an input: it runs after the current one
    draining = true;
    try {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        const input = { ...next, seq: ++seq, at: clock() } as Input;
        recorder?.append(input);
        let effects: readonly Effect[];
        try {
          const result = apply(state, input);
          state = result[0];
          effects = result[1];
        } catch (err) {
          // A core bug: keep the previous state and keep serving everyone else.
          logger.error({ err, seq: input.seq, input: input._tag }, 'core threw; input ignored');
          continue;
        }
        for (const e of effects) perform(e);
      }
    } finally {
      draining = false;
    }
    scheduleTurn();
  };

  // ---- effects -----------------------------------------------------------------------------
  const dirty = new Set<Conn>();
  /** Sockets ended by a Close and still flushing. */
  const flushing = new Set<net.Socket>();
  let turnScheduled = false;

  const perform = (e: Effect): void => {
    switch (e._tag) {
      case 'Send': {
        const bytes = Buffer.from(e.line + '\r\n', 'latin1'); // serialized once for everyone
        for (const id of e.to) {
          const c = conns.get(id);
          if (c !== undefined) write(c, bytes);
        }
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
      default: {
        const unreachable: never = e;
        logger.error({ effect: unreachable }, 'unknown effect');
      }
    }
  };

  const write = (c: Conn, bytes: Buffer): void => {
    const s = c.socket;
    if (!s.writable) return;
    if (!c.corked) {
      s.cork();
      c.corked = true;
      dirty.add(c);
    }
    s.write(bytes);
  };

  const uncork = (c: Conn): void => {
    if (!c.corked) return;
    c.corked = false;
    c.socket.uncork();
  };

  /** Flush what was sent, then end; destroy if the peer does not finish in time. */
  const closeConn = (c: Conn): void => {
    c.done = true;
    conns.delete(c.id);
    if (!c.socket.closed) flushing.add(c.socket);
    uncork(c);
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
    const batch = [...dirty];
    dirty.clear();
    for (const c of batch) uncork(c);
    for (const c of batch) {
      if (!c.done && c.socket.writableLength > sendQ) disconnect(c, 'SendQ exceeded');
    }
    recorder?.flush();
  };

  // ---- connections -------------------------------------------------------------------------
  /** Tell the core this client is gone, once, and only if the core has not closed it already. */
  const disconnect = (c: Conn, reason: string): void => {
    if (c.done) return;
    c.done = true;
    feed({ _tag: 'ClientDisconnected', client: c.id, reason });
  };

  const onConnection = (socket: net.Socket): void => {
    if (stopping) {
      socket.on('error', () => {});
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    const c: Conn = { id: nextId++, socket, framer: new LineFramer(), corked: false, done: false };
    conns.set(c.id, c);
    socket.on('data', (chunk: Buffer) => {
      if (c.done) return;
      const { lines, overflow } = c.framer.push(chunk);
      for (const line of lines) {
        if (c.done) return; // e.g. QUIT followed by more lines in the same read
        feed({ _tag: 'LineReceived', client: c.id, line });
      }
      if (overflow) disconnect(c, 'RecvQ exceeded');
    });
    socket.on('end', () => disconnect(c, 'Connection closed'));
    // An error listener is always attached: ECONNRESET/EPIPE become an input, never a crash.
    socket.on('error', (err: NodeJS.ErrnoException) => disconnect(c, reasonOf(err)));
    socket.on('close', () => {
      flushing.delete(socket);
      disconnect(c, 'Connection closed');
      conns.delete(c.id);
      dirty.delete(c);
    });
    feed({ _tag: 'ClientConnected', client: c.id, address: socket.remoteAddress ?? 'unknown', tls: false });
  };

  const makeServer = (): net.Server => net.createServer(onConnection);

  let listening: { servers: net.Server[]; port: number };
  try {
    listening = await listenAll(makeServer, opts.host ?? DEFAULT_HOST, opts.port);
  } catch (err) {
    await recorder?.close();
    throw err;
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
    tick: () => feed({ _tag: 'TimeAdvanced' }),
    settled,
    state: () => state,
    close,
  };
}
