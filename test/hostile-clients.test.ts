// Hostile clients over real sockets: endless lines (RecvQ), floods (the core's penalty clock),
// and what the others see meanwhile. The RecvQ tests measure the real daemon (a child process);
// the flood tests run the server in-process with a virtual clock driven by tick().
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig, type ServerConfig } from '../src/core/state.js';
import { startServer, type RunningServer } from '../src/shell/server.js';
import { MiB, configFile, ensureBuilt, memoryOf, startDaemon, type Daemon } from './daemon.js';
import { RawClient } from './shell-client.js';

const TEN_MB = 10 * 1024 * 1024;
const RECVQ_ERROR = 'ERROR :Closing link: *@127.0.0.1 (RecvQ exceeded)';

beforeAll(ensureBuilt, 120_000);

describe('a client that never ends its line (RecvQ)', () => {
  let d: Daemon;
  beforeAll(async () => {
    d = await startDaemon(['--log-level', 'silent'], ['--max-semi-space-size=2']);
  }, 120_000);
  afterAll(async () => {
    d.child.kill('SIGKILL');
    await d.exited;
  });

  it('10 MB in one write: ERROR (RecvQ exceeded), closed, daemon memory bounded, others served', async () => {
    const bob = await RawClient.connect(d.port);
    await bob.register('bob');
    const before = memoryOf(d.child.pid!);
    const evil = await RawClient.connect(d.port);
    const t0 = performance.now();
    evil.write(Buffer.alloc(TEN_MB, 0x41)); // 'AAAA…', no line end
    expect(await evil.waitLine('ERROR', 10_000)).toBe(RECVQ_ERROR);
    await evil.closed;
    const ms = performance.now() - t0;
    const after = memoryOf(d.child.pid!);
    console.log(
      `[10 MB no newline, one write] ERROR after ${ms.toFixed(0)} ms; daemon RSS ${MiB(before.rss)} before, ${MiB(after.rss)} after, ` +
        `growth ${MiB(after.rss - before.rss)}`,
    );
    // The daemon never holds the 10 MB: at most the RecvQ (16 KiB), a socket read or two, GC slack.
    expect(after.rss - before.rss).toBeLessThan(TEN_MB);
    bob.send('PING :alive');
    expect(await bob.waitLine('PONG')).toBe(':irc.local PONG irc.local :alive');
    bob.destroy();
  }, 30_000);

  it('byte by byte: ERROR as soon as 16 KiB are pending, never more', async () => {
    const before = memoryOf(d.child.pid!);
    const evil = await RawClient.connect(d.port);
    evil.socket.setNoDelay(true);
    const one = Buffer.from('B');
    let sent = 0;
    // Bytes go one write at a time, yielding now and then so the server sees many small reads;
    // stop once the ERROR is in (it comes after 16 KiB + 1), or after 10 MB at the most.
    while (sent < TEN_MB && !evil.lines.some((l) => l.startsWith('ERROR')) && !evil.ended) {
      evil.write(one);
      sent++;
      if (sent % 512 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(await evil.waitLine('ERROR', 10_000)).toBe(RECVQ_ERROR);
    await evil.closed;
    const after = memoryOf(d.child.pid!);
    console.log(
      `[no newline, byte by byte] ERROR after ${sent} bytes written (RecvQ ${defaultConfig.limits.recvQ}); ` +
        `daemon RSS ${MiB(before.rss)} before, ${MiB(after.rss)} after`,
    );
    // Detected within the RecvQ plus what was in flight when the ERROR came back.
    expect(sent).toBeGreaterThan(defaultConfig.limits.recvQ);
    expect(sent).toBeLessThan(TEN_MB);
    expect(after.rss - before.rss).toBeLessThan(TEN_MB);
  }, 60_000);
});

// ---- floods: in-process, virtual clock ------------------------------------------------------

const T0 = 1_700_000_000_000;
let now = T0;
let server: RunningServer | null = null;
const clients: RawClient[] = [];

const start = async (over: Partial<ServerConfig> = {}, clock?: () => number): Promise<RunningServer> => {
  now = T0;
  server = await startServer({
    config: { ...defaultConfig, createdAt: T0, ...over },
    host: '127.0.0.1',
    port: 0,
    tickIntervalMs: 0,
    clock: clock ?? (() => now),
  });
  return server;
};
const connect = async (nick: string): Promise<RawClient> => {
  const c = await RawClient.connect(server!.port);
  clients.push(c);
  await c.register(nick);
  return c;
};
const flood = { enabled: true, penaltyMs: 1000, burstMs: 10_000, maxHeldBytes: 2000, exemptOpers: true };

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await server?.close();
  server = null;
});

describe('a flooding client (over TCP)', () => {
  it('has its lines held and processed later, in order, none dropped', async () => {
    const s = await start({ flood });
    const alice = await connect('alice');
    const bob = await connect('bob');
    now += 60_000; // registration lines are paid for
    alice.write(Array.from({ length: 15 }, (_, i) => `PRIVMSG bob :${i + 1}\r\n`).join(''));
    await bob.waitLine('PRIVMSG bob :11');
    await s.settled();
    const got = (): string[] => bob.lines.filter((l) => l.includes('PRIVMSG bob')).map((l) => l.split(':').at(-1)!);
    expect(got()).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11']); // the burst
    expect(s.state().clients.get(1)?.held.size).toBe(4);
    now += 1000;
    s.tick();
    await bob.waitLine('PRIVMSG bob :12');
    now += 3000;
    s.tick();
    await bob.waitLine('PRIVMSG bob :15');
    expect(got()).toEqual(Array.from({ length: 15 }, (_, i) => String(i + 1)));
  });

  it('far over budget: ERROR (Excess Flood), closed, and its channel peers see the QUIT', async () => {
    const s = await start({ flood });
    const alice = await connect('alice');
    const carol = await connect('carol');
    for (const c of [alice, carol]) {
      c.send('JOIN #a');
      await c.waitLine(' 366 ');
    }
    now += 60_000;
    alice.write(`PRIVMSG #a :${'x'.repeat(100)}\r\n`.repeat(60));
    expect(await alice.waitLine('ERROR')).toBe('ERROR :Closing link: alice@127.0.0.1 (Excess Flood)');
    await alice.closed;
    expect(await carol.waitLine(' QUIT ')).toBe(':alice!alice@127.0.0.1 QUIT :Excess Flood');
    expect(s.state().nicks.has('alice')).toBe(false);
  });

  it('does not throttle an operator', async () => {
    await start({ flood, opers: [{ name: 'root', password: 'sekrit' }] });
    const alice = await connect('alice');
    const bob = await connect('bob');
    alice.send('OPER root sekrit');
    await alice.waitLine(' 381 ');
    alice.write(Array.from({ length: 60 }, (_, i) => `PRIVMSG bob :${i + 1}\r\n`).join(''));
    // All 60 at once, with no tick and no time passing: an operator is exempt.
    await bob.waitLine('PRIVMSG bob :60');
    expect(bob.lines.filter((l) => l.includes('PRIVMSG bob')).length).toBe(60);
  });

  it("does not slow down another client's round-trip (daemon, default flood settings)", async () => {
    // The real daemon in its own process, so the flooders' and the test's work do not mix.
    // bob, who measures, is an operator (exempt), else his own 60 lines would be paced at 1/s.
    const d = await startDaemon(['--config', configFile({ opers: [{ name: 'o', password: 'p' }] }), '--log-level', 'silent']);
    const own: RawClient[] = [];
    try {
      const bob = await RawClient.connect(d.port);
      const carol = await RawClient.connect(d.port);
      own.push(bob, carol);
      await bob.register('bob');
      await carol.register('carol');
      bob.send('OPER o p');
      await bob.waitLine(' 381 ');
      const roundTrip = async (k: number): Promise<number> => {
        const t = performance.now();
        const from = carol.lines.length;
        bob.send(`PRIVMSG carol :ping-${k}`);
        await carol.waitFor((l) => l.endsWith(`:ping-${k}`), 5000, from);
        return performance.now() - t;
      };
      const quiet: number[] = [];
      for (let k = 0; k < 20; k++) quiet.push(await roundTrip(k));
      // Four flooders, each reconnecting whenever it is dropped, writing as fast as TCP lets it.
      let flooding = true;
      let drops = 0;
      const junk = `PRIVMSG carol :${'j'.repeat(200)}\r\n`.repeat(50);
      const flooder = async (n: number): Promise<void> => {
        for (let round = 0; flooding; round++) {
          const f = await RawClient.connect(d.port).catch(() => null);
          if (f === null) continue;
          f.send(`NICK f${n}x${round}`);
          f.send(`USER f 0 * :f`);
          // (A write after the server's FIN may call back at once: yield to the event loop each time.)
          while (flooding && !f.ended && f.socket.writable) {
            await new Promise<void>((r) => f.socket.write(junk, () => r()));
            await new Promise((r) => setImmediate(r));
          }
          if (!flooding) f.destroy();
          else drops++;
          f.destroy();
        }
      };
      const floods = [1, 2, 3, 4].map(flooder);
      await new Promise((r) => setTimeout(r, 200));
      const loaded: number[] = [];
      for (let k = 100; k < 140; k++) loaded.push(await roundTrip(k));
      flooding = false;
      await Promise.all(floods);
      const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      console.log(
        `[flood] PRIVMSG round-trip: median ${median(quiet).toFixed(2)} ms quiet, ${median(loaded).toFixed(2)} ms with 4 flooders ` +
          `(max ${Math.max(...loaded).toFixed(1)} ms); flooders dropped for Excess Flood ${drops} times`,
      );
      expect(drops).toBeGreaterThan(0); // the flood really happened and was cut off
      // Generous bounds: no flakiness, but a server that processed every flooded line would blow them.
      expect(median(loaded)).toBeLessThan(50);
      expect(Math.max(...loaded)).toBeLessThan(1000);
      // carol got at most each flooder connection's burst, not the flood.
      const flooded = carol.lines.filter((l) => l.includes(':jjjj')).length;
      expect(flooded).toBeLessThanOrEqual((drops + 4) * 11);
    } finally {
      for (const c of own) c.destroy();
      d.child.kill('SIGKILL');
      await d.exited;
    }
  }, 90_000);
});
