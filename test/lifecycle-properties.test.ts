// Lifecycle and replay properties: the server forgets everything about clients once they are
// all gone (only counters and history remain), and a random session driven over real sockets
// replays from its record file to the very bytes each client received.
import net from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import fc from 'fast-check';
import { is } from 'immutable';
import { describe, expect, it } from 'vitest';
import { apply, type Input } from '../src/core/input.js';
import { checkInvariants, checkProgress } from '../src/core/invariants.js';
import { defaultConfig, initialState, type State } from '../src/core/state.js';
import { decodeLog } from '../src/replay/log.js';
import { replay } from '../src/replay/replay.js';
import { startServer } from '../src/shell/server.js';
import { assertRecorded, assertRecordedAsync } from './failures.js';
import { sessionArb } from './gen.js';
import { runs } from './runs.js';

const T0 = 1_700_000_000_000;
// Flood control on: held lines (state.throttled) must be forgotten too.
const config = { ...defaultConfig, createdAt: T0, motd: ['hello'] };

/** Every field of two states equal, Immutable collections by value. */
const sameState = (a: State, b: State): string[] => {
  const bad: string[] = [];
  for (const k of Object.keys(a) as (keyof State)[]) {
    const x = a[k];
    const y = b[k];
    const same = typeof x === 'object' && x !== null && 'equals' in x ? is(x, y) : JSON.stringify(x) === JSON.stringify(y);
    if (!same) bad.push(`${k} differs: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
  }
  return bad;
};

describe('lifecycle', () => {
  it('once every client is gone, the state is the initial one but for counters, time and WHOWAS', () => {
    assertRecorded(
      fc.tuple(sessionArb(50), fc.array(fc.boolean(), { maxLength: 10 })),
      ([session, quits], record) => {
        let state = initialState(config);
        let seq = 0;
        let at = T0;
        const feed = (input: Input): void => {
          record(input);
          const [next] = apply(state, input);
          const bad = [...checkInvariants(next), ...checkProgress(state, next)];
          if (bad.length > 0) throw new Error(`after ${JSON.stringify(input)}: ${bad.join('; ')}`);
          state = next;
          seq = input.seq;
          at = input.at;
        };
        session.forEach(feed);
        // Each remaining client leaves by QUIT or by dropping its connection.
        [...state.clients.keys()].forEach((client, i) => {
          const line = quits[i % Math.max(1, quits.length)] ?? false;
          if (line) feed({ _tag: 'LineReceived', seq: seq + 1, at, client, line: 'QUIT :done' });
          // A QUIT may be held by flood control: the drop then removes the client all the same.
          if (state.clients.has(client)) feed({ _tag: 'ClientDisconnected', seq: seq + 1, at, client, reason: 'Connection closed' });
        });
        const start = initialState(config);
        // (heard: no notes left, of the second of the last input: a time.)
        if (state.heard.count !== 0) throw new Error(`${state.heard.count} notes of clients gone`);
        const expected: State = { ...start, now: state.now, heard: state.heard, whowas: state.whowas, seq: state.seq, counters: state.counters };
        const bad = sameState(state, expected);
        if (bad.length > 0) throw new Error(bad.join('; '));
      },
      { name: 'all-gone', config, numRuns: runs(150) },
    );
  });
});

// ---- live sessions over real sockets ---------------------------------------------------------

interface Peer {
  readonly id: number;
  readonly socket: net.Socket;
  readonly bytes: Buffer[];
  closed: boolean;
}

const until = async (cond: () => boolean, what: string, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await delay(1);
  }
};

const liveConfig = { ...config, flood: { ...config.flood, enabled: false } };

/**
 * Drive `session` (its shape: who connects, sends what, drops, when time passes) over TCP
 * against a recording server, then replay the record and compare bytes per client.
 */
const liveSession = async (session: readonly Input[], record: (i: Input) => void): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'pureircd-live-'));
  const file = join(dir, 'session.log');
  let now = T0;
  const server = await startServer({ config: liveConfig, host: '127.0.0.1', port: 0, clock: () => now, tickIntervalMs: 0, recordFile: file });
  const peers = new Map<number, Peer>();
  let token = 0;
  const received = (p: Peer): string => Buffer.concat(p.bytes).toString('latin1');
  /** The server has answered everything `p` sent so far (or `p` is closed). */
  const sync = async (p: Peer): Promise<void> => {
    if (p.closed) return;
    const t = `zq-sync-${++token}`;
    p.socket.write(`PING :${t}\r\n`, 'latin1');
    await until(() => p.closed || received(p).includes(t), `${t} from client ${p.id}`);
  };
  try {
    for (const input of session) {
      now = Math.max(now, input.at);
      switch (input._tag) {
        case 'ClientConnected': {
          const socket = net.connect({ host: '127.0.0.1', port: server.port });
          const p: Peer = { id: input.client, socket, bytes: [], closed: false };
          socket.on('data', (b: Buffer) => p.bytes.push(b));
          socket.on('close', () => (p.closed = true));
          socket.on('error', () => {});
          await new Promise((r) => socket.once('connect', r));
          peers.set(p.id, p);
          await sync(p); // the server knows it (ids follow connection order)
          break;
        }
        case 'LineReceived': {
          const p = peers.get(input.client);
          if (p === undefined || p.closed) break;
          p.socket.write(input.line + '\r\n', 'latin1');
          await sync(p);
          break;
        }
        case 'ClientDisconnected': {
          const p = peers.get(input.client);
          if (p === undefined || p.closed) break;
          await sync(p); // everything sent to it so far has arrived
          p.socket.destroy();
          await until(() => !server.state().clients.has(p.id), `the server to drop client ${p.id}`);
          break;
        }
        case 'TimeAdvanced':
          server.tick();
          break;
        default:
          break;
      }
    }
    for (const p of peers.values()) await sync(p);
    await server.settled();
  } finally {
    await server.close('test over');
    await until(() => [...peers.values()].every((p) => p.closed), 'every client to be closed');
  }
  // What the server recorded IS the session (sync PINGs included): a failure is written from it.
  const log = decodeLog(readFileSync(file, 'utf8'));
  log.inputs.forEach(record);
  expect(log.errors).toEqual([]);
  const result = replay(log);
  expect(result.errors).toEqual([]);
  expect(result.violations).toEqual([]);
  for (const p of peers.values()) {
    // Compared as the bytes the shell writes (latin1), the readable form first for the diff.
    const live = Buffer.concat(p.bytes);
    const replayed = Buffer.from((result.received.get(p.id) ?? []).map((l) => l + '\r\n').join(''), 'latin1');
    expect(replayed.toString('latin1'), `client ${p.id}`).toBe(live.toString('latin1'));
    expect(replayed.equals(live)).toBe(true);
  }
};

describe('record and replay over real sockets', () => {
  it('a random live session replays to the bytes each client received', async () => {
    await assertRecordedAsync(sessionArb(12), liveSession, { name: 'live-replay', config: liveConfig, numRuns: runs(10) });
  }, runs(60_000));
});
