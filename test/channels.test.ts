// Channel commands: JOIN, PART, TOPIC, NAMES, LIST, INVITE, KICK, driven through the whole core
// with the Harness (invariants are checked after every input). Channel and user modes are set
// directly in the state here, so these tests do not depend on the MODE command.
import fc from 'fast-check';
import { List } from 'immutable';
import { describe, expect, it } from 'vitest';
import { isMember, memberModesOf } from '../src/core/channel.js';
import { globMatch } from '../src/core/mask.js';
import { parse } from '../src/core/message.js';
import { foldName, withChannel, setChannel, replaceClient, type Channel, type ChannelModes, type Client, type ServerConfig } from '../src/core/state.js';
import { defaultLimits } from '../src/core/state.js';
import { Harness, T0 } from './harness.js';

const SECS = String(T0 / 1000);

const patchChannel = (h: Harness, name: string, f: (ch: Channel) => Channel): void => {
  const key = foldName(h.state, name);
  const ch = h.state.channels.get(key);
  if (ch === undefined) throw new Error(`no channel ${name}`);
  h.state = setChannel(h.state, key, f(ch));
};
const setModes = (h: Harness, name: string, modes: Partial<ChannelModes>): void =>
  patchChannel(h, name, (ch) => ({ ...ch, modes: { ...ch.modes, ...modes } }));
const entry = (mask: string) => ({ mask, setBy: 'alice', setAt: T0 });
const patchClient = (h: Harness, name: string, f: (c: Client) => Client): void => {
  const c = h.state.clients.get(h.id(name));
  if (c === undefined) throw new Error(`no client ${name}`);
  h.state = replaceClient(h.state, c, f(c));
};
const setMember = (h: Harness, chan: string, name: string, modes: string): void =>
  patchChannel(h, chan, (ch) =>
    withChannel(ch, {
      memberModes: ch.memberModes.with(ch.memberIds.indexOf(h.id(name)), modes),
    }),
  );

const withLimits = (limits: Partial<ServerConfig['limits']>): Partial<ServerConfig> => ({ limits: { ...defaultLimits, ...limits } });

/** A server with the given users registered and their welcome bursts dropped. */
const server = (names: string[], config: Partial<ServerConfig> = {}): Harness => {
  const h = new Harness(config);
  for (const n of names) h.register(n);
  return h;
};

const src = (n: string) => `:${n}!${n}@127.0.0.1`;

describe('JOIN', () => {
  it('creates a channel whose first member is its operator, with names and no topic reply', () => {
    const h = server(['alice']);
    h.send('alice', 'JOIN #a');
    expect(h.take('alice')).toEqual([
      `${src('alice')} JOIN #a`,
      ':irc.local 353 alice = #a :@alice',
      ':irc.local 366 alice #a :End of /NAMES list',
    ]);
    const ch = h.state.channels.get('#a')!;
    expect(memberModesOf(ch, h.id('alice'))).toBe('o');
    expect(ch.modes.noExternal && ch.modes.topicLocked).toBe(true);
    expect(h.state.clients.get(h.id('alice'))!.channels.includes('#a')).toBe(true);
  });

  it('echoes a join to every member in ONE Send, then topic and names to the joiner', () => {
    const h = server(['alice', 'bob']);
    h.send('alice', 'JOIN #a');
    h.send('alice', 'TOPIC #a :the topic');
    h.take('alice');
    h.now += 5000;
    const effects = h.feed({ _tag: 'LineReceived', seq: ++h.seq, at: h.now, client: h.id('bob'), line: 'JOIN #a' });
    const joins = effects.filter((e) => e._tag === 'Send' && e.line.includes(' JOIN '));
    expect(joins).toEqual([{ _tag: 'Send', to: [h.id('alice'), h.id('bob')], line: `${src('bob')} JOIN #a` }]);
    expect(h.take('alice')).toEqual([`${src('bob')} JOIN #a`]);
    expect(h.take('bob')).toEqual([
      `${src('bob')} JOIN #a`,
      ':irc.local 332 bob #a :the topic',
      `:irc.local 333 bob #a alice!alice@127.0.0.1 ${SECS}`,
      ':irc.local 353 bob = #a :@alice bob',
      ':irc.local 366 bob #a :End of /NAMES list',
    ]);
  });

  it('folds channel names like nicks and keeps the first spelling', () => {
    const h = server(['alice', 'bob']);
    h.send('alice', 'JOIN #Foo[x]');
    h.send('bob', 'JOIN #fOO{X}');
    expect(h.take('bob')[0]).toBe(`${src('bob')} JOIN #Foo[x]`);
    expect([...h.state.channels.keys()]).toEqual(['#foo{x}']);
  });

  it('does nothing when already a member', () => {
    const h = server(['alice']);
    h.send('alice', 'JOIN #a');
    h.take('alice');
    h.send('alice', 'JOIN #A');
    expect(h.take('alice')).toEqual([]);
  });

  it('joins several channels, keys paired in order, extra keys ignored', () => {
    const h = server(['alice', 'bob']);
    h.send('alice', 'JOIN #a,#b');
    setModes(h, '#a', { key: 'k1' });
    setModes(h, '#b', { key: 'k2' });
    h.send('bob', 'JOIN #a,#b,#c k1,k2,k3,k4');
    expect(h.takeVerbs('bob')).toEqual(['JOIN', '353', '366', 'JOIN', '353', '366', 'JOIN', '353', '366']);
    expect([...h.state.clients.get(h.id('bob'))!.channels].sort()).toEqual(['#a', '#b', '#c']);
  });

  it('fewer keys than channels: the rest are tried without a key', () => {
    const h = server(['alice', 'bob']);
    h.send('alice', 'JOIN #a,#b');
    setModes(h, '#b', { key: 'kb' });
    h.send('bob', 'JOIN #a,#b x');
    expect(h.take('bob').slice(-1)).toEqual([':irc.local 475 bob #b :Cannot join channel (+k)']);
  });

  it('476 for a name without a channel prefix, 403 for an invalid or too long one', () => {
    const h = server(['alice'], withLimits({ channelLen: 10 }));
    h.send('alice', 'JOIN foo,#bad\x07name,#12345678901,#ok');
    expect(h.take('alice')).toEqual([
      ':irc.local 476 alice foo :Bad Channel Mask',
      ':irc.local 403 alice #bad\x07name :No such channel',
      ':irc.local 403 alice #12345678901 :No such channel',
      `${src('alice')} JOIN #ok`,
      ':irc.local 353 alice = #ok :@alice',
      ':irc.local 366 alice #ok :End of /NAMES list',
    ]);
    expect([...h.state.channels.keys()]).toEqual(['#ok']);
  });

  it('405 past CHANLIMIT', () => {
    const h = server(['alice'], withLimits({ maxChannels: 2 }));
    h.send('alice', 'JOIN #a,#b');
    h.take('alice');
    h.send('alice', 'JOIN #c');
    expect(h.take('alice')).toEqual([':irc.local 405 alice #c :You have joined too many channels']);
    expect(h.state.channels.has('#c')).toBe(false);
  });

  it('407 for channels beyond TARGMAX', () => {
    const h = server(['alice'], withLimits({ maxTargets: 2 }));
    h.send('alice', 'JOIN #a,#b,#c');
    expect(h.take('alice').slice(-1)).toEqual([':irc.local 407 alice #c :Too many targets']);
    expect(h.state.channels.has('#c')).toBe(false);
  });

  it('461 without a channel', () => {
    const h = server(['alice']);
    h.send('alice', 'JOIN');
    h.send('alice', 'JOIN ,');
    expect(h.take('alice')).toEqual([
      ':irc.local 461 alice JOIN :Not enough parameters',
      ':irc.local 461 alice JOIN :Not enough parameters',
    ]);
  });

  it('471 when +l is reached', () => {
    const h = server(['alice', 'bob', 'carol']);
    h.send('alice', 'JOIN #a');
    setModes(h, '#a', { limit: 2 });
    h.send('bob', 'JOIN #a');
    h.send('carol', 'JOIN #a');
    expect(h.takeVerbs('bob')).toEqual(['JOIN', '353', '366']);
    expect(h.take('carol')).toEqual([':irc.local 471 carol #a :Cannot join channel (+l)']);
  });

  it('473 on +i; an invitation admits once; +I admits', () => {
    const h = server(['alice', 'bob', 'carol']);
    h.send('alice', 'JOIN #a');
    setModes(h, '#a', { inviteOnly: true });
    h.send('bob', 'JOIN #a');
    expect(h.take('bob')).toEqual([':irc.local 473 bob #a :Cannot join channel (+i)']);
    h.send('alice', 'INVITE bob #a');
    h.take('bob');
    h.send('bob', 'JOIN #a');
    expect(h.takeVerbs('bob')).toEqual(['JOIN', '353', '366']);
    expect(h.state.clients.get(h.id('bob'))!.invites.size).toBe(0);
    h.send('bob', 'PART #a');
    h.take('bob');
    h.send('bob', 'JOIN #a');
    expect(h.take('bob')).toEqual([':irc.local 473 bob #a :Cannot join channel (+i)']);
    patchChannel(h, '#a', (ch) => ({ ...ch, invex: List([entry('carol!*@*')]) }));
    h.send('carol', 'JOIN #a');
    expect(h.takeVerbs('carol')).toEqual(['JOIN', '353', '366']);
  });

  it('an invitation does not pass +k, +l or a ban', () => {
    const h = server(['alice', 'bob']);
    h.send('alice', 'JOIN #a');
    setModes(h, '#a', { inviteOnly: true, key: 'sesame' });
    h.send('alice', 'INVITE bob #a');
    h.send('bob', 'JOIN #a');
    expect(h.take('bob').slice(-1)).toEqual([':irc.local 475 bob #a :Cannot join channel (+k)']);
  });

  it('474 when banned, unless an exception matches', () => {
    const h = server(['alice', 'bob', 'carol']);
    h.send('alice', 'JOIN #a');
    patchChannel(h, '#a', (ch) => ({ ...ch, bans: List([entry('*!*@127.0.0.*')]), excepts: List([entry('carol!*@*')]) }));
    h.send('bob', 'JOIN #a');
    expect(h.take('bob')).toEqual([':irc.local 474 bob #a :Cannot join channel (+b)']);
    h.send('carol', 'JOIN #a');
    expect(h.takeVerbs('carol')).toEqual(['JOIN', '353', '366']);
  });

  it('475 without the right key, then in with it', () => {
    const h = server(['alice', 'bob']);
    h.send('alice', 'JOIN #a');
    setModes(h, '#a', { key: 'sesame' });
    h.send('bob', 'JOIN #a');
    h.send('bob', 'JOIN #a wrong');
    expect(h.take('bob')).toEqual([
      ':irc.local 475 bob #a :Cannot join channel (+k)',
      ':irc.local 475 bob #a :Cannot join channel (+k)',
    ]);
    h.send('bob', 'JOIN #a sesame');
    expect(h.takeVerbs('bob')).toEqual(['JOIN', '353', '366']);
  });

  it('IRC operators get no override', () => {
    const h = server(['alice', 'bob']);
    h.send('alice', 'JOIN #a');
    setModes(h, '#a', { inviteOnly: true });
    patchClient(h, 'bob', (c) => ({ ...c, modes: 'o' }));
    h.send('bob', 'JOIN #a');
    expect(h.take('bob')).toEqual([':irc.local 473 bob #a :Cannot join channel (+i)']);
  });

  it('JOIN 0 parts every channel without a reason; emptied channels disappear', () => {
    const h = server(['alice', 'bob']);
    h.send('alice', 'JOIN #a,#b');
    h.send('bob', 'JOIN #b');
    h.take('alice');
    h.take('bob');
    h.send('alice', 'JOIN 0');
    expect(h.take('alice')).toEqual([`${src('alice')} PART #a`, `${src('alice')} PART #b`]);
    expect(h.take('bob')).toEqual([`${src('alice')} PART #b`]);
    expect([...h.state.channels.keys()]).toEqual(['#b']);
    expect(h.state.clients.get(h.id('alice'))!.channels.length).toBe(0);
  });

  it('needs registration', () => {
    const h = new Harness();
    h.connect('x');
    h.send('x', 'JOIN #a');
    expect(h.take('x')).toEqual([':irc.local 451 * :You have not registered']);
    expect(h.state.channels.size).toBe(0);
  });
});

describe('PART', () => {
  it('echoes to all members incl. the parter, with or without a reason, and removes empty channels', () => {
    const h = server(['alice', 'bob']);
    h.send('alice', 'JOIN #a');
    h.send('bob', 'JOIN #a');
    h.take('alice');
    h.take('bob');
    h.send('bob', 'PART #a :see you later');
    expect(h.take('alice')).toEqual([`${src('bob')} PART #a :see you later`]);
    expect(h.take('bob')).toEqual([`${src('bob')} PART #a :see you later`]);
    h.send('alice', 'PART #A');
    expect(h.take('alice')).toEqual([`${src('alice')} PART #a`]);
    expect(h.state.channels.size).toBe(0);
  });

  it('403 and 442, channel by channel', () => {
    const h = server(['alice', 'bob']);
    h.send('alice', 'JOIN #a');
    h.send('bob', 'JOIN #b');
    h.take('bob');
    h.send('bob', 'PART #nope,#a,#b :bye');
    expect(h.take('bob')).toEqual([
      ':irc.local 403 bob #nope :No such channel',
      ":irc.local 442 bob #a :You're not on that channel",
      `${src('bob')} PART #b :bye`,
    ]);
    h.send('bob', 'PART');
    expect(h.take('bob')).toEqual([':irc.local 461 bob PART :Not enough parameters']);
  });

  it('after KICK: 442', () => {
    const h = server(['alice', 'bob']);
    h.send('alice', 'JOIN #a');
    h.send('bob', 'JOIN #a');
    h.send('alice', 'KICK #a bob');
    h.take('bob');
    h.send('bob', 'PART #a');
    expect(h.take('bob')).toEqual([":irc.local 442 bob #a :You're not on that channel"]);
  });
});

describe('TOPIC', () => {
  it('query, set, query, clear', () => {
    const h = server(['alice', 'bob']);
    h.send('alice', 'JOIN #a');
    h.send('bob', 'JOIN #a');
    h.take('alice');
    h.take('bob');
    h.send('bob', 'TOPIC #a');
    expect(h.take('bob')).toEqual([':irc.local 331 bob #a :No topic is set']);
    h.now += 7000;
    h.send('alice', 'TOPIC #a :Welcome all');
    expect(h.take('alice')).toEqual([`${src('alice')} TOPIC #a :Welcome all`]);
    expect(h.take('bob')).toEqual([`${src('alice')} TOPIC #a :Welcome all`]);
    h.send('bob', 'TOPIC #a');
    expect(h.take('bob')).toEqual([
      ':irc.local 332 bob #a :Welcome all',
      `:irc.local 333 bob #a alice!alice@127.0.0.1 ${T0 / 1000 + 7}`,
    ]);
    h.send('alice', 'TOPIC #a :');
    expect(h.take('bob')).toEqual([`${src('alice')} TOPIC #a :`]);
    expect(h.state.channels.get('#a')!.topic).toBeNull();
    h.send('bob', 'TOPIC #a');
    expect(h.take('bob')).toEqual([':irc.local 331 bob #a :No topic is set']);
  });

  it('482 for a non-operator on +t; anyone may set it on -t', () => {
    const h = server(['alice', 'bob']);
    h.send('alice', 'JOIN #a');
    h.send('bob', 'JOIN #a');
    h.take('bob');
    h.send('bob', 'TOPIC #a :mine');
    expect(h.take('bob')).toEqual([":irc.local 482 bob #a :You're not channel operator"]);
    setModes(h, '#a', { topicLocked: false });
    h.send('bob', 'TOPIC #a :mine');
    expect(h.take('bob')).toEqual([`${src('bob')} TOPIC #a :mine`]);
  });

  it('403; 442 to set when not a member; a public topic is shown to anyone, a secret one is not', () => {
    const h = server(['alice', 'bob']);
    h.send('alice', 'JOIN #a');
    h.send('alice', 'TOPIC #a :hi');
    h.send('bob', 'TOPIC #nope');
    h.send('bob', 'TOPIC #a :mine');
    h.send('bob', 'TOPIC #a');
    setModes(h, '#a', { secret: true });
    h.send('bob', 'TOPIC #a');
    expect(h.take('bob')).toEqual([
      ':irc.local 403 bob #nope :No such channel',
      ":irc.local 442 bob #a :You're not on that channel",
      ':irc.local 332 bob #a :hi',
      `:irc.local 333 bob #a alice!alice@127.0.0.1 ${SECS}`,
      ":irc.local 442 bob #a :You're not on that channel",
    ]);
  });

  it('truncates to TOPICLEN', () => {
    const h = server(['alice'], withLimits({ topicLen: 5 }));
    h.send('alice', 'JOIN #a');
    h.take('alice');
    h.send('alice', 'TOPIC #a :abcdefgh');
    expect(h.take('alice')).toEqual([`${src('alice')} TOPIC #a :abcde`]);
    expect(h.state.channels.get('#a')!.topic!.text).toBe('abcde');
  });
});

describe('NAMES', () => {
  it('lists a channel with prefixes and symbols; 366 alone for a missing or hidden channel', () => {
    const h = server(['alice', 'bob', 'carol']);
    h.send('alice', 'JOIN #a');
    h.send('bob', 'JOIN #a');
    h.send('carol', 'JOIN #a');
    setMember(h, '#a', 'bob', 'v');
    setMember(h, '#a', 'alice', 'ov');
    h.take('alice');
    h.send('alice', 'NAMES #a,#nope');
    expect(h.take('alice')).toEqual([
      ':irc.local 353 alice = #a :@alice +bob carol',
      ':irc.local 366 alice #a :End of /NAMES list',
      ':irc.local 366 alice #nope :End of /NAMES list',
    ]);
    setModes(h, '#a', { private: true });
    h.send('alice', 'NAMES #a');
    expect(h.take('alice')[0]).toBe(':irc.local 353 alice * #a :@alice +bob carol');
    setModes(h, '#a', { private: false, secret: true });
    h.send('alice', 'NAMES #a');
    expect(h.take('alice')[0]).toBe(':irc.local 353 alice @ #a :@alice +bob carol');
    h.register('dave');
    h.send('dave', 'NAMES #a');
    expect(h.take('dave')).toEqual([':irc.local 366 dave #a :End of /NAMES list']);
    setModes(h, '#a', { secret: false, private: true });
    h.send('dave', 'NAMES #a');
    expect(h.take('dave')).toEqual([':irc.local 366 dave #a :End of /NAMES list']);
  });

  it('hides invisible users from non-members only', () => {
    const h = server(['alice', 'bob', 'dave']);
    h.send('alice', 'JOIN #a');
    h.send('bob', 'JOIN #a');
    patchClient(h, 'bob', (c) => ({ ...c, modes: 'i' }));
    h.take('alice');
    h.send('dave', 'NAMES #a');
    expect(h.take('dave')).toEqual([':irc.local 353 dave = #a :@alice', ':irc.local 366 dave #a :End of /NAMES list']);
    h.send('alice', 'NAMES #a');
    expect(h.take('alice')[0]).toBe(':irc.local 353 alice = #a :@alice bob');
  });

  it('without a parameter: visible channels, then users in none under *, then one 366', () => {
    const h = server(['alice', 'bob', 'carol', 'dave', 'eve']);
    h.send('alice', 'JOIN #pub');
    h.send('bob', 'JOIN #sec');
    setModes(h, '#sec', { secret: true });
    patchClient(h, 'eve', (c) => ({ ...c, modes: 'i' }));
    h.take('carol');
    h.send('carol', 'NAMES');
    expect(h.take('carol')).toEqual([
      ':irc.local 353 carol = #pub :@alice',
      ':irc.local 353 carol * * :bob carol dave',
      ':irc.local 366 carol * :End of /NAMES list',
    ]);
  });

  it('splits long member lists so every line fits in 512 bytes', () => {
    const h = server([]);
    const nicks: string[] = [];
    for (let i = 0; i < 60; i++) {
      const n = `user${String(i).padStart(2, '0')}${'x'.repeat(20)}`;
      nicks.push(n);
      h.register(n);
      h.send(n, 'JOIN #big');
    }
    h.take(nicks[0]!);
    h.send(nicks[0]!, 'NAMES #big');
    const lines = h.take(nicks[0]!);
    const names = lines.slice(0, -1);
    expect(names.length).toBeGreaterThan(1);
    for (const l of names) expect(l.length + 2).toBeLessThanOrEqual(512);
    const listed = names.flatMap((l) => {
      const p = parse(l);
      return p.ok ? p.message.params[3]!.split(' ') : [];
    });
    expect(listed).toEqual(['@' + nicks[0], ...nicks.slice(1)]);
    expect(lines.at(-1)).toBe(`:irc.local 366 ${nicks[0]} #big :End of /NAMES list`);
  });
});

describe('LIST', () => {
  const setup = (): Harness => {
    const h = server(['alice', 'bob', 'carol']);
    h.send('alice', 'JOIN #one,#two,#sec,#prv');
    h.send('bob', 'JOIN #two');
    h.send('alice', 'TOPIC #one :first channel');
    setModes(h, '#sec', { secret: true });
    setModes(h, '#prv', { private: true });
    h.take('carol');
    return h;
  };

  it('lists visible channels: +s hidden, +p as *', () => {
    const h = setup();
    h.send('carol', 'LIST');
    expect(h.take('carol')).toEqual([
      ':irc.local 321 carol Channel :Users  Name',
      ':irc.local 322 carol #one 1 :first channel',
      ':irc.local 322 carol #two 2 :',
      ':irc.local 322 carol * 1 :',
      ':irc.local 323 carol :End of /LIST',
    ]);
    h.take('alice');
    h.send('alice', 'LIST');
    expect(h.take('alice')).toContain(':irc.local 322 alice #sec 1 :');
  });

  it('named channels, counts and masks (ELIST MU)', () => {
    const h = setup();
    const body = (line: string): string[] => {
      h.send('carol', line);
      return h.take('carol').slice(1, -1);
    };
    expect(body('LIST #TWO,#nope,#sec')).toEqual([':irc.local 322 carol #two 2 :']);
    expect(body('LIST >1')).toEqual([':irc.local 322 carol #two 2 :']);
    expect(body('LIST <2')).toEqual([':irc.local 322 carol #one 1 :first channel', ':irc.local 322 carol * 1 :']);
    expect(body('LIST #o*')).toEqual([':irc.local 322 carol #one 1 :first channel']);
    expect(body('LIST #*,<2')).toEqual([':irc.local 322 carol #one 1 :first channel', ':irc.local 322 carol * 1 :']);
  });

  it('counts only the users a non-member can see', () => {
    const h = setup();
    patchClient(h, 'bob', (c) => ({ ...c, modes: 'i' }));
    h.take('bob');
    h.send('carol', 'LIST #two');
    h.send('bob', 'LIST #two');
    expect(h.take('carol')[1]).toBe(':irc.local 322 carol #two 1 :');
    expect(h.take('bob')[1]).toBe(':irc.local 322 bob #two 2 :');
  });
});

describe('INVITE', () => {
  it('341 to the inviter, INVITE to the target only, recorded', () => {
    const h = server(['alice', 'bob', 'carol']);
    h.send('alice', 'JOIN #a');
    h.send('carol', 'JOIN #a');
    h.take('alice');
    h.take('carol');
    h.send('alice', 'INVITE bob #A');
    expect(h.take('alice')).toEqual([':irc.local 341 alice bob #a']);
    expect(h.take('bob')).toEqual([`${src('alice')} INVITE bob #a`]);
    expect(h.take('carol')).toEqual([]);
    expect([...h.state.clients.get(h.id('bob'))!.invites.keys()]).toEqual(['#a']);
  });

  it('301 when the target is away', () => {
    const h = server(['alice', 'bob']);
    h.send('alice', 'JOIN #a');
    patchClient(h, 'bob', (c) => ({ ...c, away: 'lunch' }));
    h.take('alice');
    h.send('alice', 'INVITE bob #a');
    expect(h.take('alice')).toEqual([':irc.local 341 alice bob #a', ':irc.local 301 alice bob :lunch']);
  });

  it('401, 403, 442, 443, 482, 461', () => {
    const h = server(['alice', 'bob', 'carol']);
    h.send('alice', 'JOIN #a');
    h.send('carol', 'JOIN #a,#b');
    setModes(h, '#a', { inviteOnly: true });
    h.take('carol');
    h.send('carol', 'INVITE nobody #a');
    h.send('carol', 'INVITE bob #nope');
    h.send('bob', 'INVITE carol #a');
    h.send('carol', 'INVITE alice #a');
    h.send('carol', 'INVITE bob #a');
    h.send('carol', 'INVITE bob');
    expect(h.take('carol')).toEqual([
      ':irc.local 401 carol nobody :No such nick/channel',
      ':irc.local 403 carol #nope :No such channel',
      ':irc.local 443 carol alice #a :is already on channel',
      ":irc.local 482 carol #a :You're not channel operator",
      ':irc.local 461 carol INVITE :Not enough parameters',
    ]);
    expect(h.take('bob')).toEqual([":irc.local 442 bob #a :You're not on that channel"]);
    // On a channel without +i any member may invite.
    h.send('carol', 'INVITE bob #b');
    expect(h.take('carol')).toEqual([':irc.local 341 carol bob #b']);
  });
});

describe('KICK', () => {
  it('echoes to all members incl. the victim, removes it, reason defaults to the kicker', () => {
    const h = server(['alice', 'bob', 'carol']);
    for (const n of ['alice', 'bob', 'carol']) h.send(n, 'JOIN #a');
    for (const n of ['alice', 'bob', 'carol']) h.take(n);
    h.send('alice', 'KICK #a bob');
    for (const n of ['alice', 'bob', 'carol']) expect(h.take(n)).toEqual([`${src('alice')} KICK #a bob :alice`]);
    expect(isMember(h.state.channels.get('#a')!, h.id('bob'))).toBe(false);
    expect(h.state.clients.get(h.id('bob'))!.channels.length).toBe(0);
    h.send('alice', 'KICK #a carol :go away');
    expect(h.take('carol')).toEqual([`${src('alice')} KICK #a carol :go away`]);
  });

  it('several users, one KICK each; 401 and 441 per user', () => {
    const h = server(['alice', 'bob', 'carol', 'dave']);
    for (const n of ['alice', 'bob', 'carol']) h.send(n, 'JOIN #a');
    h.take('alice');
    h.send('alice', 'KICK #a bob,ghost,dave,carol :out');
    expect(h.take('alice')).toEqual([
      `${src('alice')} KICK #a bob :out`,
      ':irc.local 401 alice ghost :No such nick/channel',
      ":irc.local 441 alice dave #a :They aren't on that channel",
      `${src('alice')} KICK #a carol :out`,
    ]);
    expect(h.state.channels.get('#a')!.memberIds).toEqual([h.id('alice')]);
  });

  it('403, 442, 482, 461; KICKLEN', () => {
    const h = server(['alice', 'bob', 'carol'], withLimits({ kickLen: 4 }));
    h.send('alice', 'JOIN #a');
    h.send('bob', 'JOIN #a');
    h.take('bob');
    h.send('bob', 'KICK #nope alice');
    h.send('carol', 'KICK #a alice');
    h.send('bob', 'KICK #a alice');
    h.send('bob', 'KICK #a');
    expect(h.take('bob')).toEqual([
      ':irc.local 403 bob #nope :No such channel',
      ":irc.local 482 bob #a :You're not channel operator",
      ':irc.local 461 bob KICK :Not enough parameters',
    ]);
    expect(h.take('carol')).toEqual([":irc.local 442 carol #a :You're not on that channel"]);
    h.take('alice');
    h.send('alice', 'KICK #a bob :longer reason');
    expect(h.take('bob')).toEqual([`${src('alice')} KICK #a bob :long`]);
  });

  it('kicking the last member (oneself) removes the channel', () => {
    const h = server(['alice']);
    h.send('alice', 'JOIN #a');
    h.take('alice');
    h.send('alice', 'KICK #a alice,alice');
    expect(h.take('alice')).toEqual([`${src('alice')} KICK #a alice :alice`]);
    expect(h.state.channels.size).toBe(0);
  });
});

describe('peers sharing several channels', () => {
  it('see a nick change and a QUIT once', () => {
    const h = server(['alice', 'bob']);
    h.send('alice', 'JOIN #a,#b');
    h.send('bob', 'JOIN #a,#b');
    h.take('alice');
    h.send('bob', 'NICK robert');
    expect(h.take('alice')).toEqual([`${src('bob')} NICK :robert`]);
    h.send('bob', 'QUIT :later');
    expect(h.take('alice')).toEqual([':robert!bob@127.0.0.1 QUIT :Quit: later']);
    expect([...h.state.channels.keys()]).toEqual(['#a', '#b']);
    h.send('alice', 'QUIT');
    expect(h.state.channels.size).toBe(0);
  });
});

describe('property: channel commands among three users', () => {
  const users = ['ann', 'ben', 'cat'];
  const line = fc.oneof(
    fc.constantFrom('JOIN #a', 'JOIN #a k', 'JOIN #b', 'JOIN #a,#b k', 'JOIN 0', 'PART #a', 'PART #a,#b :x', 'TOPIC #a :t', 'TOPIC #a',
      'NAMES', 'NAMES #a', 'LIST', 'LIST >1', 'MODE #a +i', 'MODE #a -i', 'MODE #a +k k', 'MODE #a -k k', 'MODE #a +l 1',
      'MODE #a +l 2', 'MODE #a -l', 'MODE #a +t', 'MODE #a -t', 'MODE #a +s', 'MODE #a +p'),
    fc.tuple(fc.constantFrom('KICK #a', 'KICK #b', 'INVITE', 'MODE #a +o', 'MODE #a +b', 'MODE #a -b', 'MODE #a +e', 'NICK'), fc.constantFrom(...users, 'ann2', 'zed'))
      .map(([v, n]) => (v === 'INVITE' ? `INVITE ${n} #a` : `${v} ${n}`)),
  );
  // Gates and join attempts are weighted up so that refused and admitted joins both happen often.
  const gate = fc.constantFrom('JOIN #a', 'JOIN #a k', 'MODE #a +i', 'MODE #a +k k', 'MODE #a +l 1', 'MODE #a +l 2', 'MODE #a +b ben', 'MODE #a +b cat', 'MODE #a +e cat', 'INVITE ben #a', 'INVITE cat #a', 'PART #a', 'KICK #a ben', 'KICK #a cat');
  const steps = fc.array(fc.tuple(fc.nat(2), fc.oneof({ weight: 3, arbitrary: gate }, { weight: 2, arbitrary: line })), { minLength: 20, maxLength: 80 });

  it('never lets a JOIN past +k, past +l or +i without invitation, or past a ban without exception', () => {
    let refused = 0;
    let admitted = 0;
    fc.assert(
      fc.property(steps, (script) => {
        const h = server(users); // invariants are checked after every input
        for (const [who, l] of script) {
          const name = users[who]!;
          const id = h.id(name);
          const before = h.state;
          const me = before.clients.get(id)!;
          h.send(name, l);
          if (!l.startsWith('JOIN #a')) continue;
          const ch = before.channels.get('#a');
          if (ch === undefined || isMember(ch, id)) continue;
          if (!h.state.channels.get('#a')?.memberIds.includes(id)) {
            refused++;
            continue;
          }
          admitted++;
          // It got in: every gate must have been open.
          const given = l.endsWith(' k') ? 'k' : null;
          const who3 = `${me.nick}!${me.user}@${me.host}`;
          const matches = (xs: List<{ mask: string }>) => xs.some((e) => globMatch(e.mask, who3));
          // An invitation admits past +l as past +i (Modern IRC), never past +k or a ban.
          expect(ch.modes.limit === null || ch.memberIds.length < ch.modes.limit || me.invites.get('#a') === ch.serial).toBe(true);
          expect(ch.modes.key === null || ch.modes.key === given).toBe(true);
          expect(!ch.modes.inviteOnly || me.invites.has('#a') || matches(ch.invex)).toBe(true);
          expect(!matches(ch.bans) || matches(ch.excepts)).toBe(true);
          expect(h.state.clients.get(id)!.invites.has('#a')).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
    // The property saw both outcomes (else it proved nothing).
    expect(refused).toBeGreaterThan(50);
    expect(admitted).toBeGreaterThan(50);
  });
});
