// JIT warm-up before the daemon listens. V8 compiles a function to fast code only after many
// calls; without a warm-up, the first thousands of clients, which after a restart all
// reconnect at once, meet unoptimized code. Two halves:
// - warmUp: a synthetic session (clients register, join, talk, rename, part and leave) folded
//   through the core on a throwaway state (bench/: 2000 registrations on a fresh daemon ~2900/s
//   without, ~4200/s with);
// - warmUpSockets: real loopback connections to a throwaway server instance, for the shell's
//   and Node's socket path (~4000/s → ~5900/s on top of the first).
// Nothing of either reaches the real state, the record log or a client.
import net from 'node:net';
import { apply, type Input } from '../core/input.js';
import { initialState, type ServerConfig, type State } from '../core/state.js';
import { startServer } from './server.js';

/** Clients in the synthetic session: enough calls for V8's optimizing tier (~0.2 s of work; 4000 gave no more). */
export const WARMUP_CLIENTS = 1500;

/** What the synthetic session did (for tests): inputs folded, 001s sent, bytes of lines sent. */
export interface WarmUpRun {
  readonly inputs: number;
  readonly welcomed: number;
  readonly bytes: number;
}

/** The config with nothing that would stop a synthetic client: no password, flood control or limits. */
const openConfig = (config: ServerConfig): ServerConfig => ({
  ...config,
  password: null,
  flood: { ...config.flood, enabled: false },
  limits: { ...config.limits, maxClients: 0, maxClientsPerHost: 0 },
});

export const warmUp = (config: ServerConfig, clients = WARMUP_CLIENTS): WarmUpRun => {
  // Every synthetic line takes the full path.
  let state: State = initialState(openConfig(config));
  let seq = 0;
  const at = config.createdAt;
  let bytes = 0;
  let welcomed = 0;
  const welcome = ' 001 ';
  const feed = (input: Input): void => {
    const [next, effects] = apply(state, input);
    state = next;
    for (const e of effects) {
      if (e._tag !== 'Send') continue;
      bytes += e.line.length + 2;
      if (e.line.startsWith(welcome, config.serverName.length + 1)) welcomed++;
    }
  };
  const line = (client: number, text: string): void => feed({ _tag: 'LineReceived', seq: ++seq, at, client, line: text });
  for (let id = 1; id <= clients; id++) {
    feed({ _tag: 'ClientConnected', seq: ++seq, at, client: id, address: `10.0.${id >> 8}.${id & 255}`, tls: false });
    if (id % 2 === 0) line(id, 'CAP LS 302');
    line(id, `NICK w${id}`);
    line(id, `USER w${id} 0 * :warm up`);
    if (id % 2 === 0) line(id, 'CAP END');
  }
  for (let id = 1; id <= clients; id++) {
    const ch = `#w${id % 50}`;
    line(id, `JOIN ${ch}`);
    line(id, `PRIVMSG ${ch} :hello ${id}`);
    line(id, `PRIVMSG w${1 + (id % clients)} :hi`);
    line(id, `PING :${id}`);
  }
  for (let id = 1; id <= clients; id++) {
    line(id, `NICK v${id}`);
    line(id, `PART #w${id % 50} :bye`);
    if (id % 2 === 0) line(id, 'QUIT :done');
    else feed({ _tag: 'ClientDisconnected', seq: ++seq, at, client: id, reason: 'Connection closed' });
  }
  return { inputs: seq, welcomed, bytes };
};

/**
 * Loopback clients of the socket warm-up: 1000 take ~0.6 s and bring a fresh daemon's 2000
 * registrations from ~4000/s to ~5900/s (bench/; 2000 clients: ~6200/s in ~1 s).
 */
export const WARMUP_SOCKET_CLIENTS = 1000;
/** Connections open at once during it (two descriptors each, well under any default limit). */
const SOCKET_WARMUP_IN_FLIGHT = 50;
/** The socket warm-up gives up after this long, whatever is left. */
const SOCKET_WARMUP_DEADLINE_MS = 5000;

/** What the socket warm-up did (for tests): connections made, clients welcomed (001), time taken. */
export interface SocketWarmUpRun {
  readonly connected: number;
  readonly welcomed: number;
  readonly ms: number;
}

/**
 * The shell's half of the warm-up: a throwaway server on an ephemeral loopback port (no record
 * log, no logging) takes `clients` connections from this process, each of which registers,
 * joins, talks and quits; then it closes. The real server is another instance of the same
 * functions, and V8 keeps what it learned and compiled per function, so accepting, framing,
 * feeding, writing and closing (Node's own net code too) are fast from the first real client.
 * Never fails the start: an error or the deadline just ends it early. `clock` measures `ms`.
 */
export const warmUpSockets = async (
  config: ServerConfig,
  clients = WARMUP_SOCKET_CLIENTS,
  clock: () => number = Date.now,
): Promise<SocketWarmUpRun> => {
  const started = clock();
  let connected = 0;
  let welcomed = 0;
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({ config: openConfig(config), host: '127.0.0.1', port: 0, logLevel: 'silent', tickIntervalMs: 0 });
  } catch {
    return { connected, welcomed, ms: clock() - started };
  }
  const open = new Set<net.Socket>();
  let next = 0;
  let expired = false;
  const one = (i: number): Promise<void> =>
    new Promise((resolve) => {
      const socket = net.connect(server.port, '127.0.0.1');
      open.add(socket);
      let welcomedHere = false;
      let tail = ''; // the end of the last read: ' 001 ' may straddle two
      socket.setEncoding('latin1');
      socket.on('connect', () => {
        connected++;
        const ch = `#warm${i % 20}`;
        socket.write(`NICK w${i}\r\nUSER w${i} 0 * :warm up\r\nJOIN ${ch}\r\nPRIVMSG ${ch} :hello\r\nQUIT :done\r\n`);
      });
      socket.on('data', (d: string) => {
        if (welcomedHere) return;
        const text = tail + d;
        if (text.includes(' 001 ')) {
          welcomedHere = true;
          welcomed++;
        }
        tail = text.slice(-4);
      });
      socket.on('error', () => socket.destroy());
      socket.on('close', () => {
        open.delete(socket);
        resolve();
      });
    });
  const deadline = setTimeout(() => {
    expired = true;
    for (const s of open) s.destroy();
  }, SOCKET_WARMUP_DEADLINE_MS);
  deadline.unref();
  const worker = async (): Promise<void> => {
    while (next < clients && !expired) await one(next++);
  };
  await Promise.all(Array.from({ length: Math.min(SOCKET_WARMUP_IN_FLIGHT, clients) }, worker));
  clearTimeout(deadline);
  await server.close('warm-up done');
  return { connected, welcomed, ms: clock() - started };
};
