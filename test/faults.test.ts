// Faults the daemon must survive: a core that throws (through the test-only `apply` hook, not
// reachable from the network), an effect that throws (a failing logger), sockets reset mid-write.
// And its logs: OPER and KILL are logged at info, an ordinary PRIVMSG is not.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { apply } from '../src/core/input.js';
import { defaultConfig, type ServerConfig } from '../src/core/state.js';
import { startServer, type RunningServer, type ServerOptions } from '../src/shell/server.js';
import { RawClient } from './shell-client.js';

type Entry = Record<string, unknown> & { level: number; msg: string };
const sink = (into: Entry[]): Writable =>
  new Writable({
    write(chunk: Buffer, _enc, done) {
      into.push(JSON.parse(chunk.toString()) as Entry);
      done();
    },
  });

let server: RunningServer | null = null;
const clients: RawClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await server?.close();
  server = null;
});
const start = async (opts: Partial<ServerOptions> = {}, over: Partial<ServerConfig> = {}): Promise<RunningServer> =>
  (server = await startServer({ config: { ...defaultConfig, createdAt: Date.now(), ...over }, host: '127.0.0.1', port: 0, tickIntervalMs: 0, ...opts }));
const connect = async (nick?: string): Promise<RawClient> => {
  const c = await RawClient.connect(server!.port);
  clients.push(c);
  if (nick !== undefined) await c.register(nick);
  return c;
};

describe('a core that throws', () => {
  it('on a connection: the seq is logged, that connection is closed, the next one is served', async () => {
    const logs: Entry[] = [];
    let failNext = false;
    await start({
      logger: pino({ level: 'error' }, sink(logs)),
      apply: (s, input) => {
        if (input._tag === 'ClientConnected' && failNext) throw new Error('core bug on connect');
        return apply(s, input);
      },
    });
    const alice = await connect('alice');
    failNext = true;
    const ghost = await connect();
    await ghost.closed; // the core never learnt of it: closed, not left hanging
    failNext = false;
    const bob = await connect('bob');
    alice.send('PRIVMSG bob :hi');
    expect(await bob.waitLine('PRIVMSG bob :hi')).toBe(':alice!alice@127.0.0.1 PRIVMSG bob :hi');
    expect(logs).toEqual([expect.objectContaining({ level: 50, seq: 4, input: 'ClientConnected', msg: 'core threw; input ignored' })]);
  });

  it('on a tick: the state is kept, ticks after it work', async () => {
    let now = 1_700_000_000_000;
    let ticks = 0;
    await start(
      {
        clock: () => now,
        logger: pino({ level: 'silent' }),
        apply: (s, input) => {
          if (input._tag === 'TimeAdvanced' && ++ticks === 1) throw new Error('core bug on tick');
          return apply(s, input);
        },
      },
      { createdAt: now, pingIntervalMs: 1000, pingTimeoutMs: 1000 },
    );
    const alice = await connect('alice');
    now += 1000;
    server!.tick(); // throws: no PING
    await server!.settled();
    expect(alice.lines.some((l) => l.startsWith('PING'))).toBe(false);
    server!.tick(); // works
    expect(await alice.waitLine(/^PING /)).toBe('PING :irc.local');
  });
});

describe('an effect that throws', () => {
  it('a failing logger loses its line, not the effects after it nor the daemon', async () => {
    const broken = pino({ level: 'info' }, sink([]));
    await start({ logger: broken }, { opers: [{ name: 'root', password: 'pw' }] });
    broken.info = (() => {
      throw new Error('disk full');
    }) as typeof broken.info;
    const alice = await connect('alice'); // registration logs at info: throws, alice still welcomed
    alice.send('OPER root pw'); // 381, MODE, then an info log that throws
    expect(await alice.waitLine(' 381 ')).toMatch(/^:irc\.local 381 alice :/);
    expect(await alice.waitLine('MODE alice')).toBe(':alice!alice@127.0.0.1 MODE alice :+o');
    const bob = await connect('bob');
    bob.send('PING :fine');
    expect(await bob.waitLine('PONG')).toBe(':irc.local PONG irc.local :fine');
  });
});

describe('sockets that fail', () => {
  it('a reader reset in the middle of a large write costs the others nothing', async () => {
    await start({}, { flood: { ...defaultConfig.flood, enabled: false } });
    const alice = await connect('alice');
    const victims: RawClient[] = [];
    for (let i = 0; i < 5; i++) {
      const v = await connect(`v${i}`);
      v.send('JOIN #big');
      await v.waitLine(' 366 ');
      victims.push(v);
    }
    alice.send('JOIN #big');
    await alice.waitLine(' 366 ');
    alice.write(`PRIVMSG #big :${'r'.repeat(400)}\r\n`.repeat(500));
    for (const v of victims) v.socket.resetAndDestroy(); // ECONNRESET/EPIPE on the server's writes
    await new Promise((r) => setTimeout(r, 100));
    alice.send('PING :after-resets');
    expect(await alice.waitLine('after-resets')).toBe(':irc.local PONG irc.local :after-resets');
    expect(server!.state().channels.get('#big')?.memberIds.length).toBe(1);
  });
});

describe('logs', () => {
  it('an OPER and a KILL each leave an info line; a PRIVMSG leaves none', async () => {
    const logs: Entry[] = [];
    await start({ logger: pino({ level: 'info' }, sink(logs)) }, { opers: [{ name: 'root', password: 'pw' }] });
    const alice = await connect('alice');
    const bob = await connect('bob');
    await server!.settled();
    const mark = logs.length;
    alice.send('PRIVMSG bob :hello');
    await bob.waitLine('PRIVMSG bob');
    await server!.settled();
    expect(logs.slice(mark)).toEqual([]);
    alice.send('OPER root pw');
    await alice.waitLine(' 381 ');
    alice.send('KILL bob :spam');
    await bob.closed;
    await server!.settled();
    expect(logs.slice(mark).map((e) => [e.level, e.msg])).toEqual([
      [30, 'alice is now an IRC operator (root)'],
      [30, 'alice killed bob: spam'],
    ]);
  });
});
