// MODE: channel modes (i t k l o v n m s p b e I), user modes (i w o), their numerics, the
// MODES limit, MAXLIST, mask normalisation and the single only-what-changed broadcast.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memberModesOf } from '../src/core/channel.js';
import { defaultLimits, foldName, type Channel } from '../src/core/state.js';
import { Harness, T0 } from './harness.js';
import { recipientsOf } from '../src/core/effect.js';

const SECS = String(T0 / 1000);

/** `name` joins `chan` (creating it as operator when new); everyone's inbox is then emptied. */
const enter = (h: Harness, name: string, chan: string): void => {
  h.send(name, `JOIN ${chan}`);
  expect(h.state.channels.get(foldName(h.state, chan))?.memberIds.includes(h.id(name))).toBe(true);
  for (const n of h.ids.keys()) h.take(n);
};

/** alice (op) and bob in #a, carol registered elsewhere. */
const setup = (config = {}): Harness => {
  const h = new Harness(config);
  h.register('alice');
  h.register('bob');
  h.register('carol');
  enter(h, 'alice', '#a');
  enter(h, 'bob', '#a');
  return h;
};

/** Forget what everyone received so far. */
const flush = (h: Harness): void => {
  for (const n of h.ids.keys()) h.take(n);
};

const chan = (h: Harness, name = '#a'): Channel => h.state.channels.get(foldName(h.state, name))!;

describe('MODE #channel query', () => {
  it('answers 324 with the modes and 329 with the creation time', () => {
    const h = setup();
    h.send('bob', 'MODE #a');
    expect(h.take('bob')).toEqual([`:irc.local 324 bob #a +nt`, `:irc.local 329 bob #a ${SECS}`]);
  });

  it('shows the key and limit to members, and hides the key from others', () => {
    const h = setup();
    h.send('alice', 'MODE #a +kl sesame 10');
    flush(h);
    h.send('bob', 'MODE #a');
    expect(h.take('bob')).toEqual([`:irc.local 324 bob #a +klnt sesame 10`, `:irc.local 329 bob #a ${SECS}`]);
    h.send('carol', 'mode #A');
    expect(h.take('carol')).toEqual([`:irc.local 324 carol #a +klnt * 10`, `:irc.local 329 carol #a ${SECS}`]);
  });

  it('403 for a channel that does not exist, 401 for an unknown nick', () => {
    const h = setup();
    h.send('alice', 'MODE #nope');
    h.send('alice', 'MODE #nope +o bob');
    h.send('alice', 'MODE nobody +i');
    expect(h.take('alice')).toEqual([
      ':irc.local 403 alice #nope :No such channel',
      ':irc.local 403 alice #nope :No such channel',
      ':irc.local 401 alice nobody :No such nick/channel',
    ]);
  });

  it('461 without a target', () => {
    const h = setup();
    h.send('alice', 'MODE');
    expect(h.take('alice')).toEqual([':irc.local 461 alice MODE :Not enough parameters']);
  });
});

describe('MODE #channel flags', () => {
  it('sets and clears i t n m s p, broadcasting one line to every member', () => {
    const h = setup();
    h.send('alice', 'MODE #a +imsp-nt');
    const line = ':alice!alice@127.0.0.1 MODE #a +imsp-nt';
    expect(h.take('alice')).toEqual([line]);
    expect(h.take('bob')).toEqual([line]);
    expect(h.take('carol')).toEqual([]);
    expect(chan(h).modes).toMatchObject({
      inviteOnly: true, moderated: true, secret: true, private: true, noExternal: false, topicLocked: false,
    });
    h.send('alice', 'MODE #a -imsp+nt');
    expect(h.take('bob')).toEqual([':alice!alice@127.0.0.1 MODE #a -imsp+nt']);
    expect(chan(h).modes).toMatchObject({ inviteOnly: false, moderated: false, secret: false, private: false, noExternal: true, topicLocked: true });
  });

  it('lists only what actually changed, and sends nothing when nothing did', () => {
    const h = setup();
    h.send('alice', 'MODE #a +nti');
    expect(h.take('bob')).toEqual([':alice!alice@127.0.0.1 MODE #a +i']);
    flush(h);
    h.send('alice', 'MODE #a +int');
    expect(h.take('alice')).toEqual([]);
    expect(h.take('bob')).toEqual([]);
  });

  it('a flag set and unset in one command cancels out', () => {
    const h = setup();
    h.send('alice', `MODE #a ${'+i-i'.repeat(100)}+m-t+t`);
    expect(h.take('bob')).toEqual([':alice!alice@127.0.0.1 MODE #a +m']);
    flush(h);
    h.send('alice', 'MODE #a -m+m');
    expect(h.take('alice')).toEqual([]);
  });

  it('a modestring without a sign adds', () => {
    const h = setup();
    h.send('alice', 'MODE #a m');
    expect(h.take('alice')).toEqual([':alice!alice@127.0.0.1 MODE #a +m']);
  });

  it('482 to a member who is not an operator, 442 to a non-member, once, and nothing changes', () => {
    const h = setup();
    h.send('bob', 'MODE #a +im-t');
    expect(h.take('bob')).toEqual([":irc.local 482 bob #a :You're not channel operator"]);
    h.send('carol', 'MODE #a +i');
    expect(h.take('carol')).toEqual([":irc.local 442 carol #a :You're not on that channel"]);
    expect(h.take('alice')).toEqual([]);
    expect(chan(h).modes).toMatchObject({ inviteOnly: false, moderated: false, topicLocked: true });
  });

  it('an IRC operator gets no override on a channel', () => {
    const h = setup({ opers: [{ name: 'root', password: 'pw' }] });
    h.send('carol', 'OPER root pw');
    expect(h.takeVerbs('carol')).toContain('381');
    h.send('carol', 'MODE #a +i');
    expect(h.take('carol')).toEqual([":irc.local 442 carol #a :You're not on that channel"]);
  });

  it('472 for an unknown letter (once per letter), the others still applied', () => {
    const h = setup();
    h.send('alice', 'MODE #a +iXmXZ');
    expect(h.take('alice')).toEqual([
      ':irc.local 472 alice X :is unknown mode char to me',
      ':irc.local 472 alice Z :is unknown mode char to me',
      ':alice!alice@127.0.0.1 MODE #a +im',
    ]);
  });
});

describe('MODE #channel +k', () => {
  it('sets, replaces and removes the key; -k takes any parameter and shows *', () => {
    const h = setup();
    h.send('alice', 'MODE #a +k sesame');
    expect(h.take('bob')).toEqual([':alice!alice@127.0.0.1 MODE #a +k sesame']);
    expect(chan(h).modes.key).toBe('sesame');
    h.send('alice', 'MODE #a +k sesame');
    expect(h.take('bob')).toEqual([]);
    h.send('alice', 'MODE #a +k other');
    expect(h.take('bob')).toEqual([':alice!alice@127.0.0.1 MODE #a +k other']);
    h.send('alice', 'MODE #a -k wrong');
    expect(h.take('bob')).toEqual([':alice!alice@127.0.0.1 MODE #a -k *']);
    expect(chan(h).modes.key).toBeNull();
    flush(h);
    h.send('alice', 'MODE #a -k');
    expect(h.take('alice')).toEqual([]);
  });

  it('-k without a parameter removes the key too', () => {
    const h = setup();
    h.send('alice', 'MODE #a +k sesame');
    h.send('alice', 'MODE #a -k');
    expect(h.take('alice')).toEqual([':alice!alice@127.0.0.1 MODE #a +k sesame', ':alice!alice@127.0.0.1 MODE #a -k *']);
  });

  it('an invalid key gets 696 and is not set; a missing one is skipped', () => {
    const h = setup();
    h.send('alice', 'MODE #a +k :has space');
    h.send('alice', 'MODE #a +k a,b');
    h.send('alice', `MODE #a +k ${'x'.repeat(24)}`);
    h.send('alice', 'MODE #a +k ::colon');
    h.send('alice', 'MODE #a +k');
    expect(h.take('alice')).toEqual([
      ':irc.local 696 alice #a k * :Invalid key: it must be 1-23 printable characters without spaces or commas',
      ':irc.local 696 alice #a k * :Invalid key: it must be 1-23 printable characters without spaces or commas',
      ':irc.local 696 alice #a k * :Invalid key: it must be 1-23 printable characters without spaces or commas',
      ':irc.local 696 alice #a k * :Invalid key: it must be 1-23 printable characters without spaces or commas',
    ]);
    expect(chan(h).modes.key).toBeNull();
  });
});

describe('MODE #channel +l', () => {
  it('sets a positive limit, normalised, and -l takes no parameter', () => {
    const h = setup();
    h.send('alice', 'MODE #a +l 010');
    expect(h.take('bob')).toEqual([':alice!alice@127.0.0.1 MODE #a +l 10']);
    expect(chan(h).modes.limit).toBe(10);
    // -l consumes nothing: the next parameter goes to +o.
    h.send('alice', 'MODE #a -l+o bob');
    expect(h.take('bob')).toEqual([':alice!alice@127.0.0.1 MODE #a -l+o bob']);
    expect(chan(h).modes.limit).toBeNull();
  });

  it('696 for 0, negative, non-numeric, empty or huge values', () => {
    const h = setup();
    for (const bad of ['0', '-1', 'abc', '', '99999999999', '1.5']) h.send('alice', `MODE #a +l :${bad}`);
    expect(h.take('alice')).toEqual(
      ['0', '-1', 'abc', '*', '99999999999', '1.5'].map((p) => `:irc.local 696 alice #a l ${p} :Invalid limit: it must be a positive number`),
    );
    expect(chan(h).modes.limit).toBeNull();
  });

  it('a missing parameter skips +l', () => {
    const h = setup();
    h.send('alice', 'MODE #a +li');
    expect(h.take('alice')).toEqual([':alice!alice@127.0.0.1 MODE #a +i']);
  });
});

describe('MODE #channel +o / +v', () => {
  it('gives and takes status, shown with the target nick as it is spelt', () => {
    const h = setup();
    h.send('alice', 'MODE #a +ov BOB bob');
    expect(h.take('bob')).toEqual([':alice!alice@127.0.0.1 MODE #a +ov bob bob']);
    expect(memberModesOf(chan(h), h.id('bob'))).toBe('ov');
    flush(h);
    h.send('bob', 'MODE #a -o+i bob');
    expect(h.take('alice')).toEqual([':bob!bob@127.0.0.1 MODE #a -o+i bob']);
    expect(memberModesOf(chan(h), h.id('bob'))).toBe('v');
    flush(h);
    h.send('bob', 'MODE #a -i');
    expect(h.take('bob')).toEqual([":irc.local 482 bob #a :You're not channel operator"]);
  });

  it('401 for an unknown nick, 441 for a non-member; only real changes are broadcast', () => {
    const h = setup();
    h.send('alice', 'MODE #a +ooo nobody carol alice');
    expect(h.take('alice')).toEqual([
      ':irc.local 401 alice nobody :No such nick/channel',
      ":irc.local 441 alice carol #a :They aren't on that channel",
    ]);
    expect(h.take('bob')).toEqual([]);
  });

  it('a missing nick is skipped', () => {
    const h = setup();
    h.send('alice', 'MODE #a +v');
    expect(h.take('alice')).toEqual([]);
  });
});

describe('MODE #channel list modes b e I', () => {
  it('adds normalised masks, ignores duplicates, removes, and lists with 367/368', () => {
    const h = setup();
    h.send('alice', 'MODE #a +bbb bad bad!*@* *!*@evil.example');
    expect(h.take('bob')).toEqual([':alice!alice@127.0.0.1 MODE #a +bb bad!*@* *!*@evil.example']);
    flush(h);
    h.advance(5000);
    h.send('alice', 'MODE #a +b BAD');
    expect(h.take('alice')).toEqual([]);
    h.send('bob', 'MODE #a b');
    expect(h.take('bob')).toEqual([
      `:irc.local 367 bob #a bad!*@* alice!alice@127.0.0.1 ${SECS}`,
      `:irc.local 367 bob #a *!*@evil.example alice!alice@127.0.0.1 ${SECS}`,
      ':irc.local 368 bob #a :End of channel ban list',
    ]);
    h.send('alice', 'MODE #a -b Bad!*@*');
    expect(h.take('bob')).toEqual([':alice!alice@127.0.0.1 MODE #a -b bad!*@*']);
    flush(h);
    h.send('alice', 'MODE #a -b nothere');
    expect(h.take('alice')).toEqual([]);
    expect(chan(h).bans.map((e) => e.mask).toArray()).toEqual(['*!*@evil.example']);
  });

  it('normalises user@host and nick!user forms', () => {
    const h = setup();
    h.send('alice', 'MODE #a +eI u@h n!u');
    expect(h.take('alice')).toEqual([':alice!alice@127.0.0.1 MODE #a +eI *!u@h n!u@*']);
    h.send('alice', 'MODE #a e');
    h.send('alice', 'MODE #a +I');
    expect(h.take('alice')).toEqual([
      `:irc.local 348 alice #a *!u@h alice!alice@127.0.0.1 ${SECS}`,
      ':irc.local 349 alice #a :End of channel exception list',
      `:irc.local 346 alice #a n!u@* alice!alice@127.0.0.1 ${SECS}`,
      ':irc.local 347 alice #a :End of channel invite list',
    ]);
  });

  it('a list is sent once per command, and non-operators and non-members may view it', () => {
    const h = setup();
    h.send('carol', 'MODE #a bb-b');
    expect(h.take('carol')).toEqual([':irc.local 368 carol #a :End of channel ban list']);
    h.send('bob', 'MODE #a +b-i x');
    expect(h.take('bob')).toEqual([":irc.local 482 bob #a :You're not channel operator"]);
    expect(chan(h).bans.size).toBe(0);
  });

  it('MAXLIST bounds b, e and I together: 478 past it', () => {
    const h = setup({ limits: { ...defaultLimits, maxList: 3 } });
    h.send('alice', 'MODE #a +beI a b c');
    flush(h);
    h.send('alice', 'MODE #a +b d');
    h.send('alice', 'MODE #a +I d');
    expect(h.take('alice')).toEqual([
      ':irc.local 478 alice #a b :Channel list is full',
      ':irc.local 478 alice #a I :Channel list is full',
    ]);
    h.send('alice', 'MODE #a -e+b b d');
    expect(h.take('bob')).toEqual([':alice!alice@127.0.0.1 MODE #a -e+b b!*@* d!*@*']);
  });

  it('refuses a mask that cannot be stored or sent (696)', () => {
    const h = setup();
    h.send('alice', 'MODE #a +b a!b!c@d');
    expect(h.take('alice')).toEqual([':irc.local 696 alice #a b a!b!c@d :Invalid mask']);
    expect(chan(h).bans.size).toBe(0);
  });

  it('bans stop speaking (404) and voice lets a banned member speak', () => {
    const h = setup();
    h.send('alice', 'MODE #a +b bob');
    h.take('alice');
    h.take('bob');
    h.send('bob', 'PRIVMSG #a :hi');
    expect(h.take('bob')).toEqual([':irc.local 404 bob #a :Cannot send to channel']);
    h.send('alice', 'MODE #a +e *!bob@*');
    h.take('bob');
    h.send('bob', 'PRIVMSG #a :hi');
    expect(h.take('alice')).toEqual([':alice!alice@127.0.0.1 MODE #a +e *!bob@*', ':bob!bob@127.0.0.1 PRIVMSG #a :hi']);
    h.send('alice', 'MODE #a -e+m *!bob@*');
    h.take('bob');
    h.send('bob', 'PRIVMSG #a :muted');
    expect(h.take('bob')).toEqual([':irc.local 404 bob #a :Cannot send to channel']);
    h.send('alice', 'MODE #a +v bob');
    h.take('bob');
    h.take('alice');
    h.send('bob', 'PRIVMSG #a :voiced');
    expect(h.take('alice')).toEqual([':bob!bob@127.0.0.1 PRIVMSG #a :voiced']);
  });

  it('-n lets outsiders speak', () => {
    const h = setup();
    h.send('carol', 'PRIVMSG #a :outside');
    expect(h.take('carol')).toEqual([':irc.local 404 carol #a :Cannot send to channel']);
    h.send('alice', 'MODE #a -n');
    h.take('alice');
    h.send('carol', 'PRIVMSG #a :outside');
    expect(h.take('alice')).toEqual([':carol!carol@127.0.0.1 PRIVMSG #a :outside']);
  });
});

describe('MODE #channel MODES limit', () => {
  it('processes at most MODES parameterised modes; flags are not counted', () => {
    const h = setup();
    h.register('dave');
    enter(h, 'dave', '#a');
    h.send('alice', 'MODE #a +vvvvi-v+v bob dave alice bob dave');
    // Four parameterised modes: +v bob, +v dave, +v alice, +v bob (no change); the rest ignored.
    expect(h.take('dave')).toEqual([':alice!alice@127.0.0.1 MODE #a +vvvi bob dave alice']);
    expect(memberModesOf(chan(h), h.id('dave'))).toBe('v');
  });

  it('follows the configured limit', () => {
    const h = setup({ limits: { ...defaultLimits, modesPerLine: 1 } });
    h.send('alice', 'MODE #a +lk 5 key');
    expect(h.take('alice')).toEqual([':alice!alice@127.0.0.1 MODE #a +l 5']);
    expect(chan(h).modes.key).toBeNull();
  });

  it('splits the broadcast only when long masks would pass 512 bytes', () => {
    const h = setup();
    const masks = ['a', 'b', 'c', 'd'].map((x) => x.repeat(118));
    h.send('alice', `MODE #a +bbbb ${masks.join(' ')}`);
    const lines = h.take('bob');
    expect(lines).toEqual([
      `:alice!alice@127.0.0.1 MODE #a +bbb ${masks.slice(0, 3).map((m) => `${m}!*@*`).join(' ')}`,
      `:alice!alice@127.0.0.1 MODE #a +b ${masks[3]}!*@*`,
    ]);
    for (const l of lines) expect(l.length + 2).toBeLessThanOrEqual(512);
    expect(chan(h).bans.size).toBe(4);
  });

  it('renders mixed signs grouped, parameters in order', () => {
    const h = setup();
    h.send('alice', 'MODE #a +k old');
    h.send('alice', 'MODE #a +ov-k+l bob bob x 3');
    expect(h.take('bob')).toEqual([
      ':alice!alice@127.0.0.1 MODE #a +k old',
      ':alice!alice@127.0.0.1 MODE #a +ov-k+l bob bob * 3',
    ]);
  });
});

describe('MODE nick (user modes)', () => {
  it('221 with the current modes', () => {
    const h = setup();
    h.send('alice', 'MODE alice');
    expect(h.take('alice')).toEqual([':irc.local 221 alice +']);
    h.send('alice', 'MODE alice +wi');
    h.take('alice');
    h.send('alice', 'MODE ALICE');
    expect(h.take('alice')).toEqual([':irc.local 221 alice +iw']);
  });

  it('sets and clears i and w, echoing only actual changes', () => {
    const h = setup();
    h.send('alice', 'MODE alice +i');
    expect(h.take('alice')).toEqual([':alice!alice@127.0.0.1 MODE alice :+i']);
    h.send('alice', 'MODE alice -i+w');
    expect(h.take('alice')).toEqual([':alice!alice@127.0.0.1 MODE alice :-i+w']);
    h.send('alice', 'MODE alice +i-i+i-i');
    expect(h.take('alice')).toEqual([]);
    expect(h.state.clients.get(h.id('alice'))!.modes).toBe('w');
    h.send('alice', 'MODE alice -i');
    expect(h.take('alice')).toEqual([]);
    expect(h.take('bob')).toEqual([]);
  });

  it('+o is silently ignored, -o drops operator status', () => {
    const h = setup({ opers: [{ name: 'root', password: 'pw' }] });
    h.send('alice', 'MODE alice +o');
    expect(h.take('alice')).toEqual([]);
    expect(h.state.clients.get(h.id('alice'))!.modes).toBe('');
    h.send('alice', 'OPER root pw');
    h.take('alice');
    expect(h.state.clients.get(h.id('alice'))!.modes).toBe('o');
    h.send('alice', 'MODE alice -o+i');
    expect(h.take('alice')).toEqual([':alice!alice@127.0.0.1 MODE alice :-o+i']);
    expect(h.state.clients.get(h.id('alice'))!.modes).toBe('i');
  });

  it('501 once for unknown flags, after applying the known ones', () => {
    const h = setup();
    h.send('alice', 'MODE alice +xiy');
    expect(h.take('alice')).toEqual([':alice!alice@127.0.0.1 MODE alice :+i', ':irc.local 501 alice :Unknown MODE flag']);
  });

  it('502 for another user, viewing or changing', () => {
    const h = setup();
    h.send('alice', 'MODE bob +i');
    h.send('alice', 'MODE bob');
    expect(h.take('alice')).toEqual([
      ":irc.local 502 alice :Can't change mode for other users",
      ":irc.local 502 alice :Can't view modes for other users",
    ]);
    expect(h.state.clients.get(h.id('bob'))!.modes).toBe('');
  });

  it('451 before registration', () => {
    const h = new Harness();
    h.connect('x');
    h.send('x', 'MODE x +i');
    expect(h.take('x')).toEqual([':irc.local 451 * :You have not registered']);
  });
});

describe('MODE under random input', () => {
  it('never throws, keeps every invariant, and each broadcast reaches exactly the members', () => {
    const who = fc.constantFrom('alice', 'bob', 'carol');
    const modestring = fc.string({ unit: fc.constantFrom(...'+-itklovnmspbeIXq:'.split('')), maxLength: 12 });
    const arg = fc.constantFrom('bob', 'alice', 'nobody', 'carol', '', 'a!b!c@d', ':x', '0', '5', 'k,y', 'x*', '*!*@*', 'BOB');
    const cmd = fc.tuple(who, fc.constantFrom('#a', '#A', '#b', 'alice', 'bob'), modestring, fc.array(arg, { maxLength: 6 }));
    fc.assert(
      fc.property(fc.array(cmd, { maxLength: 25 }), (cmds) => {
        const h = setup({ limits: { ...defaultLimits, maxList: 4 } });
        for (const [name, target, modes, args] of cmds) {
          const line = ['MODE', target, modes, ...args.map((a, i) => (i === args.length - 1 ? `:${a}` : a || '*'))].join(' ');
          const before = h.effects.length;
          h.send(name, line);
          const members = [...chan(h).memberIds].sort();
          for (const e of h.effects.slice(before)) {
            if (e._tag === 'Send' && / MODE #/.test(e.line)) expect([...recipientsOf(e)].sort()).toEqual(members);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
