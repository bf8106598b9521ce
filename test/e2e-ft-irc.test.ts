// The ft_irc evaluation path, end to end: the daemon started the ft_irc way (`pureircd 6667
// secret`: a port and a connection password) and driven over real TCP by irc-framework, a client
// library from npm. Three or four users register, share a channel, and the channel operator walks
// through o, KICK, INVITE/+i, TOPIC/+t, +k and +l; messages, a nick change and a QUIT must reach
// each other member exactly once.
//
// Assertions wait for specific events with a timeout, never for a fixed delay. "Exactly once" is
// checked after a PING/PONG barrier on the receiving connection: the server applies inputs one at
// a time and writes a step's effects before the next input's, so once a client has its PONG, every
// copy of an earlier broadcast it was ever going to get has arrived.
import { afterEach, describe, expect, it } from 'vitest';
import { channelByName, defaultConfig } from '../src/core/state.js';
import { startServer, type RunningServer } from '../src/shell/server.js';
import { Client, type IrcClient as Framework } from './irc-framework.js';

type IrcClient = Framework;

const PASSWORD = 'secret';
const TIMEOUT_MS = 3000;
/** The irc-framework events a user records (raw lines too, for numerics it does not name). */
const EVENTS = ['join', 'part', 'kick', 'quit', 'nick', 'mode', 'topic', 'topicsetby', 'userlist', 'invite', 'invited', 'privmsg', 'notice', 'irc error', 'raw'] as const;
type EventName = (typeof EVENTS)[number];
type Ev = Record<string, unknown>;
type Pred = (e: Ev) => boolean;

interface Waiter {
  event: EventName;
  pred: Pred;
  resolve: (e: Ev) => void;
}

/** One irc-framework connection and everything it has been told, in arrival order. */
class User {
  readonly client = new Client({ auto_reconnect: false, ping_interval: 0 });
  readonly log: Array<{ event: EventName; data: Ev }> = [];
  private readonly waiters: Waiter[] = [];
  private pings = 0;
  closed = false;

  constructor(readonly nick: string) {
    for (const event of EVENTS) {
      this.client.on(event, (received) => {
        // Outgoing lines are raw events too: keep only what the server sent, without its CR.
        if (event === 'raw' && received.from_server !== true) return;
        const data = event === 'raw' ? { ...received, line: String(received.line).replace(/\r?\n?$/, '') } : received;
        this.log.push({ event, data });
        for (let i = 0; i < this.waiters.length; i++) {
          const w = this.waiters[i]!;
          if (w.event === event && w.pred(data)) {
            this.waiters.splice(i, 1);
            w.resolve(data);
            break;
          }
        }
      });
    }
    this.client.on('close', () => {
      this.closed = true;
    });
  }

  /** All recorded `event`s matching `pred`. */
  all(event: EventName, pred: Pred = () => true): Ev[] {
    return this.log.filter((l) => l.event === event && pred(l.data)).map((l) => l.data);
  }

  count(event: EventName, pred: Pred = () => true): number {
    return this.all(event, pred).length;
  }

  /** The first `event` matching `pred`, already received or still to come. */
  waitFor(event: EventName, pred: Pred = () => true, what = `${event}`): Promise<Ev> {
    const seen = this.all(event, pred)[0];
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const recent = this.all('raw').slice(-15).map((r) => String(r.line));
        reject(new Error(`${this.nick}: no ${what} within ${TIMEOUT_MS} ms; last lines:\n${recent.join('\n')}`));
      }, TIMEOUT_MS);
      this.waiters.push({
        event,
        pred,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
    });
  }

  /** A numeric (or verb) in a raw line from the server, e.g. waitForRaw('473', '#c'). */
  waitForRaw(verb: string, ...params: string[]): Promise<Ev> {
    return this.waitFor('raw', (e) => rawMatches(String(e.line), verb, params), `${verb} ${params.join(' ')}`);
  }

  countRaw(verb: string, ...params: string[]): number {
    return this.count('raw', (e) => rawMatches(String(e.line), verb, params));
  }

  /** Resolves once the server has answered a PING sent now: everything sent before is here. */
  async sync(): Promise<void> {
    const token = `sync-${this.nick}-${++this.pings}`;
    this.client.raw(`PING ${token}`);
    await this.waitFor('raw', (e) => / PONG /.test(String(e.line)) && String(e.line).endsWith(token), `PONG ${token}`);
  }
}

/** Does `line` (":source VERB p1 p2 :trailing") have this verb and contain these params in order after it? */
const rawMatches = (line: string, verb: string, params: string[]): boolean => {
  const words = line.split(' ');
  const at = words.indexOf(verb);
  if (at < 0 || at > 2) return false;
  const rest = words.slice(at + 1).map((w) => w.replace(/^:/, ''));
  let i = 0;
  for (const p of params) {
    const found = rest.indexOf(p, i);
    if (found < 0) return false;
    i = found + 1;
  }
  return true;
};

let server: RunningServer | null = null;
const users: User[] = [];

afterEach(async () => {
  for (const u of users) if (!u.closed) u.client.quit('bye');
  users.length = 0;
  await server?.close();
  server = null;
});

/**
 * Start the daemon the ft_irc way: an ephemeral port and a connection password. Flood control is
 * off: a script sends far faster than the 1 line/s a typing human is held to, and with no ticks
 * (tickIntervalMs 0) held lines would wait forever; flood control has its own tests.
 */
const start = async (): Promise<RunningServer> =>
  (server = await startServer({
    config: { ...defaultConfig, createdAt: Date.now(), password: PASSWORD, flood: { ...defaultConfig.flood, enabled: false } },
    host: '127.0.0.1',
    port: 0,
    tickIntervalMs: 0,
  }));

/** Connect `nick` with `password` and resolve once registered (001 seen). */
const connect = async (port: number, nick: string, password: string = PASSWORD): Promise<User> => {
  const u = new User(nick);
  users.push(u);
  u.client.connect({ host: '127.0.0.1', port, nick, username: nick, gecos: `${nick} real`, password });
  await u.waitForRaw('001', nick);
  return u;
};

const isChan = (e: Ev): boolean => String(e.channel).toLowerCase() === '#c';
const members = (nickFold: string[]): string[] => [...nickFold].sort();
const channelMembers = (): string[] => {
  const s = server!.state();
  const ch = channelByName(s, '#c');
  if (!ch) return [];
  return members(ch.memberIds.map((id) => s.clients.get(id)?.nick ?? `?${id}`));
};

describe('ft_irc evaluation path with irc-framework over TCP', () => {
  it('refuses a wrong connection password with 464 and closes the connection', async () => {
    const srv = await start();
    const u = new User('mallory');
    users.push(u);
    const refused = u.waitFor('irc error', (e) => e.error === 'password_mismatch', '464 password_mismatch');
    u.client.connect({ host: '127.0.0.1', port: srv.port, nick: 'mallory', username: 'mallory', gecos: 'm', password: 'wrong' });
    await refused;
    expect(u.countRaw('001')).toBe(0);
    await srv.settled();
    expect([...srv.state().clients.values()].some((c) => c.registered)).toBe(false);
  });

  it('channel, operators, MODE o, KICK, INVITE +i, TOPIC +t, +k, +l, messages, NICK and QUIT', async () => {
    const srv = await start();
    const alice = await connect(srv.port, 'alice');
    const bob = await connect(srv.port, 'bob');
    const carol = await connect(srv.port, 'carol');

    // --- JOIN: the first member is the channel operator --------------------------------------
    alice.client.join('#c');
    const aliceNames = await alice.waitFor('userlist', isChan, 'NAMES #c');
    expect(aliceNames.users).toEqual([expect.objectContaining({ nick: 'alice', modes: ['o'], ident: 'alice', hostname: '127.0.0.1' })]);
    // irc-framework asks for userhost-in-names, so NAMES shows it nick!user@host.
    expect(await alice.waitForRaw('353', '#c')).toMatchObject({ line: expect.stringMatching(/ :@alice!alice@127\.0\.0\.1$/) });

    bob.client.join('#c');
    await alice.waitFor('join', (e) => isChan(e) && e.nick === 'bob', 'bob JOIN');
    const bobNames = await bob.waitFor('userlist', isChan, 'NAMES #c');
    expect(bobNames.users).toEqual(expect.arrayContaining([expect.objectContaining({ nick: 'alice', modes: ['o'] }), expect.objectContaining({ nick: 'bob', modes: [] })]));
    carol.client.join('#c');
    await Promise.all([alice, bob].map((u) => u.waitFor('join', (e) => isChan(e) && e.nick === 'carol', 'carol JOIN')));
    await carol.waitFor('userlist', isChan, 'NAMES #c');
    expect(channelMembers()).toEqual(['alice', 'bob', 'carol']);

    // --- MODE +o / -o: every member sees each change, once ---------------------------------
    const modeIs = (sign: '+' | '-', nick: string) => (e: Ev) =>
      String(e.target).toLowerCase() === '#c' && e.nick === 'alice' && JSON.stringify(e.modes) === JSON.stringify([{ mode: `${sign}o`, param: nick }]);
    alice.client.raw('MODE #c +o bob');
    await Promise.all([alice, bob, carol].map((u) => u.waitFor('mode', modeIs('+', 'bob'), 'MODE +o bob')));
    alice.client.raw('MODE #c -o bob');
    await Promise.all([alice, bob, carol].map((u) => u.waitFor('mode', modeIs('-', 'bob'), 'MODE -o bob')));
    for (const u of [alice, bob, carol]) {
      await u.sync();
      expect(u.count('mode', modeIs('+', 'bob'))).toBe(1);
      expect(u.count('mode', modeIs('-', 'bob'))).toBe(1);
    }
    // bob is no longer an operator: his MODE is refused with 482.
    bob.client.raw('MODE #c +o carol');
    await bob.waitFor('irc error', (e) => e.error === 'chanop_privs_needed' && isChan(e), '482');

    // --- PRIVMSG and NOTICE: every member but the sender, exactly once ----------------------
    alice.client.say('#c', 'hello channel');
    const fromAlice = (e: Ev) => e.nick === 'alice' && e.target === '#c' && e.message === 'hello channel';
    await Promise.all([bob, carol].map((u) => u.waitFor('privmsg', fromAlice, 'channel PRIVMSG')));
    bob.client.notice('#c', 'a channel notice');
    const noticeFromBob = (e: Ev) => e.nick === 'bob' && e.target === '#c' && e.message === 'a channel notice';
    await Promise.all([alice, carol].map((u) => u.waitFor('notice', noticeFromBob, 'channel NOTICE')));
    for (const u of [alice, bob, carol]) await u.sync();
    expect([alice, bob, carol].map((u) => u.count('privmsg', fromAlice))).toEqual([0, 1, 1]);
    expect([alice, bob, carol].map((u) => u.count('notice', noticeFromBob))).toEqual([1, 0, 1]);

    // --- TOPIC with +t: a non-operator gets 482, the operator sets it, all see it -----------
    // A new channel is +nt (as on InspIRCd and ngircd): 324 says so. Without t anyone may set the
    // topic; with it, only operators.
    alice.client.raw('MODE #c');
    expect(await alice.waitForRaw('324', '#c')).toMatchObject({ line: expect.stringMatching(/ 324 alice #c :?\+nt$/) });
    alice.client.raw('MODE #c -t');
    await Promise.all([alice, bob, carol].map((u) => u.waitFor('mode', (e) => e.nick === 'alice' && e.raw_modes === '-t', 'MODE -t')));
    bob.client.setTopic('#c', 'bob was here');
    await Promise.all([alice, bob, carol].map((u) => u.waitFor('topic', (e) => isChan(e) && e.nick === 'bob' && e.topic === 'bob was here', 'TOPIC by bob')));
    alice.client.raw('MODE #c +t');
    await Promise.all([alice, bob, carol].map((u) => u.waitFor('mode', (e) => e.nick === 'alice' && e.raw_modes === '+t', 'MODE +t')));
    bob.client.setTopic('#c', 'bob again');
    await bob.waitFor('irc error', (e) => e.error === 'chanop_privs_needed' && isChan(e) && bob.count('irc error', (x) => x.error === 'chanop_privs_needed') >= 2, '482 on TOPIC');
    alice.client.setTopic('#c', 'the ft_irc channel');
    const topicByAlice = (e: Ev) => isChan(e) && e.nick === 'alice' && e.topic === 'the ft_irc channel';
    await Promise.all([alice, bob, carol].map((u) => u.waitFor('topic', topicByAlice, 'TOPIC')));
    for (const u of [alice, bob, carol]) await u.sync();
    expect([alice, bob, carol].map((u) => u.count('topic', (e) => isChan(e) && e.topic === 'bob was here'))).toEqual([1, 1, 1]);
    expect([alice, bob, carol].map((u) => u.count('topic', (e) => isChan(e) && e.topic === 'bob again'))).toEqual([0, 0, 0]);
    expect([alice, bob, carol].map((u) => u.count('topic', topicByAlice))).toEqual([1, 1, 1]);

    // --- KICK with a reason: everyone sees it, the victim is out ----------------------------
    alice.client.raw('KICK #c carol :behave yourself');
    const kick = (e: Ev) => isChan(e) && e.nick === 'alice' && e.kicked === 'carol' && e.message === 'behave yourself';
    await Promise.all([alice, bob, carol].map((u) => u.waitFor('kick', kick, 'KICK carol')));
    await srv.settled();
    expect(channelMembers()).toEqual(['alice', 'bob']);
    // Out means out: NAMES no longer lists carol, and her messages do not reach the channel.
    bob.client.raw('NAMES #c');
    await bob.sync();
    const names = bob.all('raw', (e) => rawMatches(String(e.line), '353', ['#c'])).map((e) => String(e.line));
    expect(names).toHaveLength(2);
    expect(names[1]).toMatch(/ :@alice!alice@127\.0\.0\.1 bob!bob@127\.0\.0\.1$/);
    carol.client.say('#c', 'let me back in');
    for (const u of [carol, alice, bob]) await u.sync();
    expect(alice.count('privmsg', (e) => e.message === 'let me back in') + bob.count('privmsg', (e) => e.message === 'let me back in')).toBe(0);

    // --- INVITE with +i: uninvited 473, invited joins (with 332/333), admitted once only ----
    alice.client.raw('MODE #c +i');
    await alice.waitFor('mode', (e) => e.raw_modes === '+i', 'MODE +i');
    carol.client.join('#c');
    await carol.waitFor('irc error', (e) => e.error === 'invite_only_channel' && isChan(e), '473');
    alice.client.raw('INVITE carol #c');
    await alice.waitFor('invited', (e) => e.nick === 'carol' && isChan(e), '341');
    await carol.waitFor('invite', (e) => e.nick === 'alice' && e.invited === 'carol' && isChan(e), 'INVITE');
    carol.client.join('#c');
    await Promise.all([alice, bob, carol].map((u) => u.waitFor('join', (e) => isChan(e) && e.nick === 'carol' && u.count('join', (j) => isChan(j) && j.nick === 'carol') >= 2, 'carol re-JOIN')));
    // The later joiner is told the topic and who set it.
    await carol.waitFor('topic', (e) => isChan(e) && e.topic === 'the ft_irc channel' && e.nick === undefined, '332');
    const setBy = await carol.waitFor('topicsetby', isChan, '333');
    expect(setBy.nick).toBe('alice');
    expect(Number(setBy.when)).toBeGreaterThan(0);
    // The invitation is spent: leave and come back, refused again.
    carol.client.part('#c', 'brb');
    await alice.waitFor('part', (e) => isChan(e) && e.nick === 'carol', 'carol PART');
    carol.client.join('#c');
    await carol.sync();
    expect(carol.count('irc error', (e) => e.error === 'invite_only_channel' && isChan(e))).toBe(2);
    expect(channelMembers()).toEqual(['alice', 'bob']);
    alice.client.raw('MODE #c -i');
    await alice.waitFor('mode', (e) => e.raw_modes === '-i', 'MODE -i');

    // --- +k: the wrong key 475, the right key joins -----------------------------------------
    alice.client.raw('MODE #c +k sesame');
    await bob.waitFor('mode', (e) => e.raw_modes === '+k' && JSON.stringify(e.raw_params) === '["sesame"]', 'MODE +k');
    carol.client.join('#c', 'open');
    await carol.waitFor('irc error', (e) => e.error === 'bad_channel_key' && isChan(e), '475');
    carol.client.join('#c', 'sesame');
    await alice.waitFor('join', (e) => isChan(e) && e.nick === 'carol' && alice.count('join', (j) => isChan(j) && j.nick === 'carol') >= 3, 'carol JOIN with key');
    await srv.settled();
    expect(channelMembers()).toEqual(['alice', 'bob', 'carol']);

    // --- +l: over the limit 471 ----------------------------------------------------------------
    alice.client.raw('MODE #c +l 3');
    await carol.waitFor('mode', (e) => e.raw_modes === '+l' && JSON.stringify(e.raw_params) === '["3"]', 'MODE +l 3');
    const dave = await connect(srv.port, 'dave');
    dave.client.join('#c', 'sesame');
    await dave.waitFor('irc error', (e) => e.error === 'channel_is_full' && isChan(e), '471');
    expect(channelMembers()).toEqual(['alice', 'bob', 'carol']);

    // --- NICK: each member sees the change once ------------------------------------------------
    bob.client.changeNick('robert');
    const renamed = (e: Ev) => e.nick === 'bob' && e.new_nick === 'robert';
    await Promise.all([alice, bob, carol].map((u) => u.waitFor('nick', renamed, 'NICK robert')));
    for (const u of [alice, bob, carol, dave]) await u.sync();
    expect([alice, bob, carol, dave].map((u) => u.count('nick', renamed))).toEqual([1, 1, 1, 0]);

    // --- QUIT: each member sees it once ---------------------------------------------------------
    carol.client.quit('good night');
    const quit = (e: Ev) => e.nick === 'carol' && e.message === 'Quit: good night';
    await Promise.all([alice, bob].map((u) => u.waitFor('quit', (e) => e.nick === 'carol', 'carol QUIT')));
    for (const u of [alice, bob, dave]) await u.sync();
    expect([alice, bob, dave].map((u) => u.count('quit', (e) => e.nick === 'carol'))).toEqual([1, 1, 0]);
    expect(alice.all('quit', (e) => e.nick === 'carol')[0]).toSatisfy(quit);
    expect(channelMembers()).toEqual(['alice', 'robert']);
  }, 30_000);
});
