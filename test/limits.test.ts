// Limits: each advertised ISUPPORT value is the one enforced (change the config, both change);
// connection limits (global, per host with loopback exemption) and the registration timeout.
import { afterEach, describe, expect, it } from 'vitest';
import { checkInvariants } from '../src/core/invariants.js';
import { defaultConfig, defaultLimits, type Limits, type ServerConfig } from '../src/core/state.js';
import { startServer, type RunningServer } from '../src/shell/server.js';
import { Harness } from './harness.js';
import { RawClient } from './shell-client.js';

/** The value of an ISUPPORT token as advertised in 005 to a freshly registered client. */
const advertised = (h: Harness, token: string): string => {
  h.connect('probe');
  h.send('probe', 'NICK p');
  h.send('probe', 'USER p 0 * :p');
  const tokens = h.take('probe').filter((l) => / 005 /.test(l)).flatMap((l) => l.split(' ').slice(3));
  const hit = tokens.find((t) => t.startsWith(token + '='));
  if (hit === undefined) throw new Error(`${token} not advertised`);
  return hit.slice(token.length + 1);
};
/** `50`, `#:50`, `beI:100`, or the PRIVMSG entry of `JOIN:4,...,PRIVMSG:4,...`. */
const num = (v: string): number => Number((/PRIVMSG:(\d+)/.exec(v) ?? /(\d+)$/.exec(v))?.[1]);

interface Row {
  token: string;
  key: keyof Limits;
  /** Given the advertised limit n: exceed it, and return what shows the enforcement. */
  enforce: (h: Harness, n: number) => void;
}

const rows: Row[] = [
  {
    token: 'NICKLEN', key: 'nickLen',
    enforce: (h, n) => {
      h.send('alice', `NICK ${'n'.repeat(n + 1)}`);
      expect(h.take('alice')).toEqual([`:irc.local 432 alice ${'n'.repeat(n + 1)} :Erroneous nickname`]);
      h.send('alice', `NICK ${'n'.repeat(n)}`);
      expect(h.take('alice')).toEqual([`:alice!alice@127.0.0.1 NICK :${'n'.repeat(n)}`]);
    },
  },
  {
    token: 'CHANNELLEN', key: 'channelLen',
    enforce: (h, n) => {
      const long = '#' + 'c'.repeat(n);
      h.send('alice', `JOIN ${long}`);
      expect(h.take('alice')[0]).toMatch(new RegExp(` (479|403) alice ${long} `));
      h.send('alice', `JOIN ${long.slice(0, n)}`);
      expect(h.take('alice')[0]).toBe(`:alice!alice@127.0.0.1 JOIN ${long.slice(0, n)}`);
    },
  },
  {
    token: 'TOPICLEN', key: 'topicLen',
    enforce: (h, n) => {
      h.send('alice', 'JOIN #t');
      h.take('alice');
      h.send('alice', `TOPIC #t :${'t'.repeat(n + 5)}`);
      expect(h.take('alice')).toEqual([`:alice!alice@127.0.0.1 TOPIC #t :${'t'.repeat(n)}`]);
    },
  },
  {
    token: 'KICKLEN', key: 'kickLen',
    enforce: (h, n) => {
      h.register('bob');
      h.send('alice', 'JOIN #k');
      h.send('bob', 'JOIN #k');
      h.take('alice');
      h.send('alice', `KICK #k bob :${'k'.repeat(n + 5)}`);
      expect(h.take('alice')).toEqual([`:alice!alice@127.0.0.1 KICK #k bob :${'k'.repeat(n)}`]);
    },
  },
  {
    token: 'AWAYLEN', key: 'awayLen',
    enforce: (h, n) => {
      h.send('alice', `AWAY :${'a'.repeat(n + 5)}`);
      h.take('alice');
      expect(h.state.clients.get(h.id('alice'))?.away).toBe('a'.repeat(n));
    },
  },
  {
    token: 'CHANLIMIT', key: 'maxChannels',
    enforce: (h, n) => {
      for (let i = 0; i < n; i++) h.send('alice', `JOIN #c${i}`);
      h.take('alice');
      h.send('alice', 'JOIN #onetoomany');
      expect(h.take('alice')).toEqual([':irc.local 405 alice #onetoomany :You have joined too many channels']);
    },
  },
  {
    token: 'MAXLIST', key: 'maxList',
    enforce: (h, n) => {
      h.send('alice', 'JOIN #b');
      for (let i = 0; i < n; i++) h.send('alice', `MODE #b +b m${i}!*@*`);
      h.take('alice');
      h.send('alice', 'MODE #b +b last!*@*');
      // Modern IRC: 478 <client> <channel> <mode char> :<reason>
      expect(h.take('alice')).toEqual([':irc.local 478 alice #b b :Channel list is full']);
    },
  },
  {
    token: 'TARGMAX', key: 'maxTargets',
    enforce: (h, n) => {
      const names = Array.from({ length: n + 1 }, (_, i) => `t${i}`);
      for (const x of names) h.register(x);
      h.send('alice', `PRIVMSG ${names.join(',')} :hi`);
      const out = h.take('alice');
      expect(out).toContainEqual(expect.stringMatching(/^:irc\.local 407 alice /));
      expect(names.filter((x) => h.take(x).length > 0).length).toBe(n);
    },
  },
];

describe('each ISUPPORT limit is the one enforced', () => {
  for (const row of rows)
    for (const value of [defaultLimits[row.key] as number, 7]) // 7: "alice" still fits NICKLEN
      it(`${row.token} with limits.${row.key} = ${value}`, () => {
        const h = new Harness({ limits: { ...defaultLimits, [row.key]: value } });
        const n = num(advertised(h, row.token));
        expect(n).toBe(value);
        h.register('alice');
        row.enforce(h, n);
      });
});

describe('connection limits (core)', () => {
  it('keeps a per-host count in O(log n), refuses over the per-host limit, exempts loopback', () => {
    const h = new Harness({ limits: { ...defaultLimits, maxClientsPerHost: 2 } });
    h.register('a1', '192.0.2.1');
    h.register('a2', '192.0.2.1');
    h.connect('a3', '192.0.2.1');
    expect(h.take('a3')).toEqual(['ERROR :Closing link: *@192.0.2.1 (Too many connections from your host)']);
    expect(h.closed.has(h.id('a3'))).toBe(true);
    expect(h.state.hostCounts.get('192.0.2.1')).toBe(2);
    for (let i = 0; i < 5; i++) h.register(`l${i}`, '127.0.0.1'); // loopback: exempt by default
    expect(h.state.hostCounts.get('127.0.0.1')).toBe(5);
    h.disconnect('a1');
    expect(h.state.hostCounts.get('192.0.2.1')).toBe(1);
    h.register('a4', '192.0.2.1'); // a slot is free again
    expect(h.state.clients.has(h.id('a4'))).toBe(true);
    expect(checkInvariants(h.state)).toEqual([]);
  });
});

let server: RunningServer | null = null;
const clients: RawClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await server?.close();
  server = null;
});
const start = async (over: Partial<ServerConfig>, clock?: () => number): Promise<RunningServer> =>
  (server = await startServer({
    config: { ...defaultConfig, createdAt: 1_700_000_000_000, ...over },
    host: '127.0.0.1', port: 0, tickIntervalMs: 0, ...(clock ? { clock } : {}),
  }));
const connect = async (port: number): Promise<RawClient> => {
  const c = await RawClient.connect(port);
  clients.push(c);
  return c;
};

describe('connection limits (over TCP)', () => {
  it('refuses over the global maximum with ERROR and a reason', async () => {
    const s = await start({ limits: { ...defaultLimits, maxClients: 2 } });
    await connect(s.port);
    await connect(s.port);
    const third = await connect(s.port);
    expect(await third.waitLine('ERROR')).toBe('ERROR :Closing link: *@127.0.0.1 (Too many connections)');
    await third.closed;
    expect(s.state().clients.size).toBe(2);
  });

  it('refuses over the per-host maximum when loopback is not exempt', async () => {
    const s = await start({ limits: { ...defaultLimits, maxClientsPerHost: 2, exemptLoopback: false } });
    const a = await connect(s.port);
    await connect(s.port);
    const third = await connect(s.port);
    expect(await third.waitLine('ERROR')).toBe('ERROR :Closing link: *@127.0.0.1 (Too many connections from your host)');
    a.destroy();
    await new Promise((r) => setTimeout(r, 50));
    const again = await connect(s.port);
    await again.register('again'); // a freed slot is usable
  });

  it('closes an unregistered connection after the registration timeout (virtual clock)', async () => {
    let now = 1_700_000_000_000;
    const s = await start({ registrationTimeoutMs: 5000 }, () => now);
    const lazy = await connect(s.port);
    lazy.send('NICK lazy');
    const done = await connect(s.port);
    await done.register('done');
    now += 4999;
    s.tick();
    await s.settled();
    expect(lazy.ended).toBe(false);
    now += 1;
    s.tick();
    expect(await lazy.waitLine('ERROR')).toBe('ERROR :Closing link: *@127.0.0.1 (Registration timeout)');
    await lazy.closed;
    expect(done.ended).toBe(false);
  });
});
