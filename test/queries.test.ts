// Query and operator commands: WHO, WHOIS, WHOWAS, AWAY, ISON, USERHOST, LUSERS, MOTD, VERSION,
// TIME, INFO, ADMIN, LINKS, HELP, OPER, KILL, WALLOPS — driven through the core by the Harness.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { knownVerbs } from '../src/core/command.js';
import { HELP_TEXT } from '../src/core/commands/help.js';
import { constantTimeEqual } from '../src/core/commands/oper.js';
import { defaultLimits, type ServerConfig } from '../src/core/state.js';
import { Harness, T0 } from './harness.js';

const S = ':irc.local';
const OPERS: Partial<ServerConfig> = { opers: [{ name: 'root', password: 'hunter2' }] };

/** Register with a USER mode bitmask (8 = +i, 4 = +w) and a realname, from an address, maybe TLS. */
const reg = (h: Harness, name: string, opts: { mode?: number; address?: string; tls?: boolean; real?: string } = {}): void => {
  h.connect(name, opts.address ?? '127.0.0.1', opts.tls ?? false);
  h.send(name, `NICK ${name}`);
  h.send(name, `USER ${name} ${opts.mode ?? 0} * :${opts.real ?? `${name} real`}`);
  expect(h.take(name)[0]).toContain(' 001 ');
};

const operUp = (h: Harness, name: string): void => {
  h.take(name);
  h.send(name, 'OPER root hunter2');
  expect(h.takeVerbs(name)).toEqual(['381', 'MODE']);
};

describe('WHO', () => {
  it('lists a channel with H/G, * and the highest prefix, and ends with 315', () => {
    const h = new Harness(OPERS);
    reg(h, 'alice');
    reg(h, 'bob');
    reg(h, 'carol');
    h.send('alice', 'JOIN #a');
    h.send('bob', 'JOIN #a');
    h.send('carol', 'JOIN #a');
    h.send('bob', 'AWAY :lunch');
    operUp(h, 'carol');
    h.take('alice');
    h.send('alice', 'WHO #A');
    expect(h.take('alice')).toEqual([
      `${S} 352 alice #a alice 127.0.0.1 irc.local alice H@ :0 alice real`,
      `${S} 352 alice #a bob 127.0.0.1 irc.local bob G :0 bob real`,
      `${S} 352 alice #a carol 127.0.0.1 irc.local carol H* :0 carol real`,
      `${S} 315 alice #A :End of WHO list`,
    ]);
    h.send('alice', 'WHO #a o');
    expect(h.take('alice')).toEqual([
      `${S} 352 alice #a carol 127.0.0.1 irc.local carol H* :0 carol real`,
      `${S} 315 alice #a :End of WHO list`,
    ]);
  });

  it('hides +i members from outsiders, and a secret channel entirely', () => {
    const h = new Harness();
    reg(h, 'alice');
    reg(h, 'ivy', { mode: 8 });
    reg(h, 'out');
    h.send('alice', 'JOIN #a');
    h.send('ivy', 'JOIN #a');
    h.take('alice');
    h.send('out', 'WHO #a');
    expect(h.take('out')).toEqual([
      `${S} 352 out #a alice 127.0.0.1 irc.local alice H@ :0 alice real`,
      `${S} 315 out #a :End of WHO list`,
    ]);
    h.send('alice', 'WHO #a');
    expect(h.takeVerbs('alice')).toEqual(['352', '352', '315']);
    h.send('alice', 'MODE #a +s');
    h.take('alice');
    h.send('out', 'WHO #a');
    expect(h.take('out')).toEqual([`${S} 315 out #a :End of WHO list`]);
    h.take('ivy');
    h.send('ivy', 'WHO #a');
    expect(h.takeVerbs('ivy')).toEqual(['352', '352', '315']);
  });

  it('matches a mask against visible users with channel *, and an exact nick even when +i', () => {
    const h = new Harness();
    reg(h, 'alice');
    reg(h, 'bob');
    reg(h, 'bill', { mode: 8 });
    reg(h, 'carl', { real: 'bob fan' });
    h.send('alice', 'WHO b*');
    expect(h.take('alice')).toEqual([
      `${S} 352 alice * bob 127.0.0.1 irc.local bob H :0 bob real`,
      `${S} 352 alice * carl 127.0.0.1 irc.local carl H :0 bob fan`,
      `${S} 315 alice b* :End of WHO list`,
    ]);
    h.send('alice', 'WHO BILL');
    expect(h.take('alice')).toEqual([
      `${S} 352 alice * bill 127.0.0.1 irc.local bill H :0 bill real`,
      `${S} 315 alice BILL :End of WHO list`,
    ]);
    // Sharing a channel makes +i users visible to mask queries too.
    h.send('alice', 'JOIN #x');
    h.send('bill', 'JOIN #x');
    h.take('alice');
    h.send('alice', 'WHO bi*');
    expect(h.take('alice')).toEqual([
      `${S} 352 alice * bill 127.0.0.1 irc.local bill H :0 bill real`,
      `${S} 315 alice bi* :End of WHO list`,
    ]);
  });

  it('answers 315 alone for unknown channels and nicks, and lists only operators with o', () => {
    const h = new Harness(OPERS);
    reg(h, 'alice');
    reg(h, 'bob');
    h.send('alice', 'WHO #nowhere');
    expect(h.take('alice')).toEqual([`${S} 315 alice #nowhere :End of WHO list`]);
    h.send('alice', 'WHO nobody');
    expect(h.take('alice')).toEqual([`${S} 315 alice nobody :End of WHO list`]);
    h.send('alice', 'WHO * o');
    expect(h.take('alice')).toEqual([`${S} 315 alice * :End of WHO list`]);
    operUp(h, 'bob');
    h.send('alice', 'WHO * o');
    expect(h.take('alice')).toEqual([
      `${S} 352 alice * bob 127.0.0.1 irc.local bob H* :0 bob real`,
      `${S} 315 alice * :End of WHO list`,
    ]);
    h.send('alice', 'WHO');
    expect(h.takeVerbs('alice')).toEqual(['352', '352', '315']);
  });
});

describe('WHOIS', () => {
  it('answers 311 319 312 301 313 671 317 318 in that order', () => {
    const h = new Harness(OPERS);
    reg(h, 'alice');
    reg(h, 'bob', { tls: true, address: '::1' });
    h.send('bob', 'JOIN #a');
    h.send('alice', 'JOIN #a');
    h.send('bob', 'JOIN #b');
    h.send('bob', 'AWAY :gone fishing');
    operUp(h, 'bob');
    h.now += 42_000;
    h.take('alice');
    h.send('alice', 'WHOIS Bob');
    expect(h.take('alice')).toEqual([
      `${S} 311 alice bob bob 0::1 * :bob real`,
      `${S} 319 alice bob :@#a @#b`,
      `${S} 312 alice bob irc.local :pureircd`,
      `${S} 301 alice bob :gone fishing`,
      `${S} 313 alice bob :is an IRC operator`,
      `${S} 671 alice bob :is using a secure connection`,
      `${S} 317 alice bob 42 ${T0 / 1000} :seconds idle, signon time`,
      `${S} 318 alice Bob :End of /WHOIS list`,
    ]);
  });

  it('resets idle time when the user speaks', () => {
    const h = new Harness();
    reg(h, 'alice');
    reg(h, 'bob');
    h.now += 100_000;
    h.send('bob', 'PRIVMSG alice :hi');
    h.now += 5_000;
    h.send('alice', 'WHOIS bob');
    expect(h.take('alice')).toContain(`${S} 317 alice bob 5 ${T0 / 1000} :seconds idle, signon time`);
  });

  it('answers 401 then 318 for an unknown nick, and 431 for an empty one', () => {
    const h = new Harness();
    reg(h, 'alice');
    h.send('alice', 'WHOIS ghost');
    expect(h.take('alice')).toEqual([`${S} 401 alice ghost :No such nick/channel`, `${S} 318 alice ghost :End of /WHOIS list`]);
    h.send('alice', 'WHOIS :');
    expect(h.take('alice')).toEqual([`${S} 431 alice :No nickname given`]);
    h.send('alice', 'WHOIS');
    expect(h.take('alice')).toEqual([`${S} 461 alice WHOIS :Not enough parameters`]);
  });

  it('answers only the first nick of a list (TARGMAX WHOIS:1) and echoes the list in 318', () => {
    const h = new Harness();
    reg(h, 'alice');
    reg(h, 'bob');
    reg(h, 'carol');
    h.send('alice', 'WHOIS bob,carol');
    const lines = h.take('alice');
    expect(lines.filter((l) => l.includes(' 311 '))).toEqual([`${S} 311 alice bob bob 127.0.0.1 * :bob real`]);
    expect(lines.at(-1)).toBe(`${S} 318 alice bob,carol :End of /WHOIS list`);
  });

  it('accepts this server or a local nick as <server>, and gives 402 for any other', () => {
    const h = new Harness();
    reg(h, 'alice');
    reg(h, 'bob');
    h.send('alice', 'WHOIS irc.local bob');
    expect(h.takeVerbs('alice')).toEqual(['311', '312', '317', '318']);
    h.send('alice', 'WHOIS bob bob');
    expect(h.takeVerbs('alice')).toEqual(['311', '312', '317', '318']);
    h.send('alice', 'WHOIS irc.example.org bob');
    expect(h.take('alice')).toEqual([`${S} 402 alice irc.example.org :No such server`]);
  });

  it('shows secret channels and the channels of +i users only when shared', () => {
    const h = new Harness();
    reg(h, 'alice');
    reg(h, 'bob');
    reg(h, 'ivy', { mode: 8 });
    h.send('bob', 'JOIN #open');
    h.send('bob', 'JOIN #hidden');
    h.send('bob', 'MODE #hidden +s');
    h.send('alice', 'WHOIS bob');
    expect(h.take('alice')).toContain(`${S} 319 alice bob :@#open`);
    h.send('alice', 'JOIN #hidden');
    h.take('alice');
    h.send('alice', 'WHOIS bob');
    expect(h.take('alice')).toContain(`${S} 319 alice bob :@#open @#hidden`);
    h.send('ivy', 'JOIN #i1');
    h.send('ivy', 'JOIN #i2');
    h.send('alice', 'WHOIS ivy');
    expect(h.takeVerbs('alice')).toEqual(['311', '312', '317', '318']);
    h.send('alice', 'JOIN #i2');
    h.take('alice');
    h.send('alice', 'WHOIS ivy');
    expect(h.take('alice')).toContain(`${S} 319 alice ivy :@#i2`);
    h.send('ivy', 'WHOIS ivy');
    expect(h.take('ivy')).toContain(`${S} 319 ivy ivy :@#i1 @#i2`);
  });
});

describe('WHOWAS', () => {
  it('lists departed nicks newest first, up to <count>, and 406 for unknown ones', () => {
    const h = new Harness();
    reg(h, 'alice');
    reg(h, 'bob', { address: '10.0.0.1' });
    h.send('bob', 'QUIT');
    h.now += 60_000;
    reg(h, 'bob2', { address: '10.0.0.2', real: 'second' });
    h.send('bob2', 'NICK bob');
    h.send('bob2', 'NICK robert');
    h.send('alice', 'WHOWAS BOB');
    expect(h.take('alice')).toEqual([
      `${S} 314 alice bob bob2 10.0.0.2 * :second`,
      `${S} 312 alice bob irc.local :Tue, 14 Nov 2023 22:14:20 GMT`,
      `${S} 314 alice bob bob 10.0.0.1 * :bob real`,
      `${S} 312 alice bob irc.local :Tue, 14 Nov 2023 22:13:20 GMT`,
      `${S} 369 alice BOB :End of WHOWAS`,
    ]);
    h.send('alice', 'WHOWAS bob 1');
    expect(h.takeVerbs('alice')).toEqual(['314', '312', '369']);
    h.send('alice', 'WHOWAS nobody');
    expect(h.take('alice')).toEqual([`${S} 406 alice nobody :There was no such nickname`, `${S} 369 alice nobody :End of WHOWAS`]);
    h.send('alice', 'WHOWAS');
    expect(h.take('alice')).toEqual([`${S} 461 alice WHOWAS :Not enough parameters`]);
  });
});

describe('AWAY', () => {
  it('sets (306) and clears (305) the away message, truncated to AWAYLEN', () => {
    const h = new Harness({ limits: { ...defaultLimits, awayLen: 5 } });
    reg(h, 'alice');
    reg(h, 'bob');
    h.send('bob', 'AWAY :out for lunch');
    expect(h.take('bob')).toEqual([`${S} 306 bob :You have been marked as being away`]);
    h.send('alice', 'PRIVMSG bob :hi');
    expect(h.take('alice')).toEqual([`${S} 301 alice bob :out f`]);
    h.take('bob');
    h.send('bob', 'AWAY');
    expect(h.take('bob')).toEqual([`${S} 305 bob :You are no longer marked as being away`]);
    h.send('alice', 'PRIVMSG bob :hi');
    expect(h.take('alice')).toEqual([]);
    h.take('bob');
    h.send('bob', 'AWAY :x');
    h.send('bob', 'AWAY :');
    expect(h.takeVerbs('bob')).toEqual(['306', '305']);
    expect(h.state.clients.get(h.id('bob'))!.away).toBeNull();
  });
});

describe('ISON and USERHOST', () => {
  it('ISON lists the online nicks as their owners spell them', () => {
    const h = new Harness();
    reg(h, 'alice');
    reg(h, 'Bob');
    h.send('alice', 'ISON bob ghost ALICE');
    expect(h.take('alice')).toEqual([`${S} 303 alice :Bob alice`]);
    h.send('alice', 'ISON :ghost bob');
    expect(h.take('alice')).toEqual([`${S} 303 alice :Bob`]);
    h.send('alice', 'ISON ghost');
    expect(h.take('alice')).toEqual([`${S} 303 alice :`]);
    h.send('alice', 'ISON');
    expect(h.take('alice')).toEqual([`${S} 461 alice ISON :Not enough parameters`]);
  });

  it('USERHOST answers up to five nicks with * for operators and -/+ for away', () => {
    const h = new Harness(OPERS);
    for (const n of ['alice', 'b1', 'b2', 'b3', 'b4', 'b5']) reg(h, n);
    operUp(h, 'b1');
    h.send('b2', 'AWAY :zzz');
    h.send('alice', 'USERHOST b1 b2 ghost b3 b4 b5');
    expect(h.take('alice')).toEqual([`${S} 302 alice :b1*=+b1@127.0.0.1 b2=-b2@127.0.0.1 b3=+b3@127.0.0.1 b4=+b4@127.0.0.1`]);
    h.send('alice', 'USERHOST ghost');
    expect(h.take('alice')).toEqual([`${S} 302 alice :`]);
    h.send('alice', 'USERHOST');
    expect(h.take('alice')).toEqual([`${S} 461 alice USERHOST :Not enough parameters`]);
  });
});

describe('LUSERS and MOTD', () => {
  it('LUSERS repeats the welcome statistics; a foreign server gets 402', () => {
    const h = new Harness();
    reg(h, 'alice');
    reg(h, 'ivy', { mode: 8 });
    h.connect('lurker');
    h.send('alice', 'JOIN #a');
    h.take('alice');
    h.send('alice', 'LUSERS');
    expect(h.take('alice')).toEqual([
      `${S} 251 alice :There are 1 users and 1 invisible on 1 servers`,
      `${S} 253 alice 1 :unknown connection(s)`,
      `${S} 254 alice 1 :channels formed`,
      // Registered clients only: the lurker still registering is 253's.
      `${S} 255 alice :I have 2 clients and 0 servers`,
      `${S} 265 alice 2 2 :Current local users 2, max 2`,
      `${S} 266 alice 2 2 :Current global users 2, max 2`,
    ]);
    h.send('alice', 'LUSERS * elsewhere.net');
    expect(h.take('alice')).toEqual([`${S} 402 alice elsewhere.net :No such server`]);
  });

  it('MOTD sends the configured lines, 422 without any, 402 for another server', () => {
    const h = new Harness({ motd: ['Be nice', 'Have fun'] });
    reg(h, 'alice');
    h.send('alice', 'MOTD');
    expect(h.take('alice')).toEqual([
      `${S} 375 alice :- irc.local Message of the day - `,
      `${S} 372 alice :- Be nice`,
      `${S} 372 alice :- Have fun`,
      `${S} 376 alice :End of /MOTD command.`,
    ]);
    h.send('alice', 'MOTD irc.local');
    expect(h.takeVerbs('alice')).toEqual(['375', '372', '372', '376']);
    h.send('alice', 'MOTD other.net');
    expect(h.take('alice')).toEqual([`${S} 402 alice other.net :No such server`]);
    const bare = new Harness();
    reg(bare, 'bob');
    bare.send('bob', 'MOTD');
    expect(bare.take('bob')).toEqual([`${S} 422 bob :MOTD File is missing`]);
  });
});

describe('server queries', () => {
  it('VERSION sends 351 then the same 005 lines as the welcome', () => {
    const h = new Harness();
    h.connect('alice');
    h.send('alice', 'NICK alice');
    h.send('alice', 'USER alice 0 * :a');
    const welcome005 = h.take('alice').filter((l) => l.includes(' 005 '));
    h.send('alice', 'VERSION');
    expect(h.take('alice')).toEqual([`${S} 351 alice pureircd-0.1.0 irc.local :pureircd`, ...welcome005]);
    h.send('alice', 'VERSION *.local');
    expect(h.takeVerbs('alice')[0]).toBe('351');
    h.send('alice', 'VERSION alice');
    expect(h.takeVerbs('alice')[0]).toBe('351');
    h.send('alice', 'VERSION irc.example.com');
    expect(h.take('alice')).toEqual([`${S} 402 alice irc.example.com :No such server`]);
  });

  it('TIME tells the time of the input being processed', () => {
    const h = new Harness();
    reg(h, 'alice');
    h.send('alice', 'TIME');
    expect(h.take('alice')).toEqual([`${S} 391 alice irc.local :Tue, 14 Nov 2023 22:13:20 GMT`]);
    h.now += 86_400_000 + 61_000;
    h.send('alice', 'TIME irc.local');
    expect(h.take('alice')).toEqual([`${S} 391 alice irc.local :Wed, 15 Nov 2023 22:14:21 GMT`]);
    h.send('alice', 'TIME far.away');
    expect(h.takeVerbs('alice')).toEqual(['402']);
  });

  it('INFO sends 371 lines then 374; ADMIN sends 256-259', () => {
    const h = new Harness();
    reg(h, 'alice');
    h.send('alice', 'INFO');
    const info = h.take('alice');
    expect(info[0]).toBe(`${S} 371 alice :pureircd-0.1.0 on irc.local`);
    expect(info.slice(0, -1).every((l) => l.startsWith(`${S} 371 alice :`))).toBe(true);
    expect(info.at(-1)).toBe(`${S} 374 alice :End of INFO list`);
    h.send('alice', 'ADMIN');
    expect(h.take('alice')).toEqual([
      `${S} 256 alice irc.local :Administrative info`,
      `${S} 257 alice :pureircd`,
      `${S} 258 alice :pureircd IRC network`,
      `${S} 259 alice :No administrator contact configured`,
    ]);
    h.send('alice', 'ADMIN nowhere.org');
    expect(h.takeVerbs('alice')).toEqual(['402']);
  });

  it('LINKS lists just this server when the mask matches', () => {
    const h = new Harness();
    reg(h, 'alice');
    h.send('alice', 'LINKS');
    expect(h.take('alice')).toEqual([`${S} 364 alice irc.local irc.local :0 pureircd`, `${S} 365 alice * :End of /LINKS list`]);
    h.send('alice', 'LINKS *.LOCAL');
    expect(h.take('alice')).toEqual([`${S} 364 alice irc.local irc.local :0 pureircd`, `${S} 365 alice *.LOCAL :End of /LINKS list`]);
    h.send('alice', 'LINKS *.org');
    expect(h.take('alice')).toEqual([`${S} 365 alice *.org :End of /LINKS list`]);
    h.send('alice', 'LINKS other.net *');
    expect(h.takeVerbs('alice')).toEqual(['402']);
  });

  it('the queries need registration', () => {
    const h = new Harness();
    h.connect('x');
    for (const v of ['WHO', 'WHOIS a', 'WHOWAS a', 'AWAY', 'ISON a', 'USERHOST a', 'LUSERS', 'MOTD', 'VERSION', 'TIME', 'INFO', 'ADMIN', 'LINKS', 'HELP', 'OPER a b', 'KILL a b', 'WALLOPS a']) {
      h.send('x', v);
      expect(h.take('x'), v).toEqual([`${S} 451 * :You have not registered`]);
    }
  });
});

describe('HELP', () => {
  it('lists every command of the table, and each has a help text', () => {
    const h = new Harness();
    reg(h, 'alice');
    h.send('alice', 'HELP');
    const lines = h.take('alice');
    expect(lines[0]).toBe(`${S} 704 alice * :** Help System **`);
    expect(lines[1]).toBe(`${S} 705 alice * :`);
    expect(lines.at(-1)).toBe(`${S} 706 alice * :End of /HELP`);
    const listed = lines.slice(3, -1).flatMap((l) => l.split(' :')[1]!.split(' '));
    const verbs = [...new Set(knownVerbs())].sort();
    expect(listed).toEqual(verbs);
    for (const v of verbs) if (v !== 'HELPOP') expect(HELP_TEXT[v], `help text for ${v}`).toBeDefined();
  });

  it('explains one command, case-insensitively; 524 for an unknown subject', () => {
    const h = new Harness();
    reg(h, 'alice');
    h.send('alice', 'HELP whois');
    expect(h.take('alice')).toEqual([
      `${S} 704 alice WHOIS :WHOIS [<server>] <nick>`,
      `${S} 705 alice WHOIS :`,
      `${S} 705 alice WHOIS :Shows information about a user.`,
      `${S} 706 alice WHOIS :End of /HELP`,
    ]);
    h.send('alice', 'HELP FROBNICATE');
    expect(h.take('alice')).toEqual([`${S} 524 alice FROBNICATE :No help available on this topic`]);
    h.send('alice', 'HELP :two words');
    expect(h.take('alice')).toEqual([`${S} 524 alice * :No help available on this topic`]);
    h.send('alice', 'HELPOP oper');
    expect(h.takeVerbs('alice')).toEqual(['704', '705', '705', '706']);
  });
});

describe('OPER', () => {
  it('grants +o with 381 and a MODE, once', () => {
    const h = new Harness(OPERS);
    reg(h, 'alice');
    h.send('alice', 'OPER root hunter2');
    expect(h.take('alice')).toEqual([`${S} 381 alice :You are now an IRC operator`, ':alice!alice@127.0.0.1 MODE alice :+o']);
    expect(h.state.clients.get(h.id('alice'))!.modes).toContain('o');
    h.send('alice', 'OPER root hunter2');
    expect(h.takeVerbs('alice')).toEqual(['381']);
  });

  it('keeps existing modes sorted when adding o', () => {
    const h = new Harness(OPERS);
    reg(h, 'alice', { mode: 12 });
    h.send('alice', 'OPER root hunter2');
    expect(h.state.clients.get(h.id('alice'))!.modes).toBe('iow');
  });

  it('answers 464 for a wrong password and an unknown name alike, 491 with no operator blocks', () => {
    const h = new Harness(OPERS);
    reg(h, 'alice');
    h.send('alice', 'OPER root hunter3');
    expect(h.take('alice')).toEqual([`${S} 464 alice :Password incorrect`]);
    h.send('alice', 'OPER admin hunter2');
    expect(h.take('alice')).toEqual([`${S} 464 alice :Password incorrect`]);
    h.send('alice', 'OPER root');
    expect(h.take('alice')).toEqual([`${S} 461 alice OPER :Not enough parameters`]);
    expect(h.state.clients.get(h.id('alice'))!.modes).not.toContain('o');
    const none = new Harness();
    reg(none, 'bob');
    none.send('bob', 'OPER root hunter2');
    expect(none.take('bob')).toEqual([`${S} 491 bob :No O-lines for your host`]);
  });

  it('compares in constant time and correctly', () => {
    expect(constantTimeEqual('hunter2', 'hunter2')).toBe(true);
    expect(constantTimeEqual('hunter2', 'hunter3')).toBe(false);
    expect(constantTimeEqual('hunter2', 'hunter')).toBe(false);
    expect(constantTimeEqual('', 'a')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('a\0', 'a')).toBe(false);
  });
});

describe('KILL', () => {
  it('is for operators only', () => {
    const h = new Harness(OPERS);
    reg(h, 'alice');
    reg(h, 'bob');
    h.send('alice', 'KILL bob :bye');
    expect(h.take('alice')).toEqual([`${S} 481 alice :Permission Denied- You're not an IRC operator`]);
    expect(h.state.clients.has(h.id('bob'))).toBe(true);
  });

  it('removes the victim: KILL and ERROR to it, one QUIT to each peer', () => {
    const h = new Harness(OPERS);
    reg(h, 'alice');
    reg(h, 'bob');
    reg(h, 'carol');
    for (const n of ['bob', 'carol']) {
      h.send(n, 'JOIN #a');
      h.send(n, 'JOIN #b');
    }
    operUp(h, 'alice');
    h.take('bob');
    h.take('carol');
    h.send('alice', 'KILL Bob :spamming');
    expect(h.take('bob')).toEqual([
      ':alice!alice@127.0.0.1 KILL bob :spamming',
      'ERROR :Closing link: bob@127.0.0.1 (Killed (alice (spamming)))',
    ]);
    expect(h.closed.has(h.id('bob'))).toBe(true);
    expect(h.take('carol')).toEqual([':bob!bob@127.0.0.1 QUIT :Killed (alice (spamming))']);
    expect(h.take('alice')).toEqual([]);
    expect(h.state.nicks.has('bob')).toBe(false);
    expect(h.state.whowas.first()?.nick).toBe('bob');
    h.send('carol', 'WHO #a');
    expect(h.takeVerbs('carol')).toEqual(['352', '315']);
  });

  it('answers 401 for an unknown nick, 483 for the server, 461 without a reason', () => {
    const h = new Harness(OPERS);
    reg(h, 'alice');
    operUp(h, 'alice');
    h.send('alice', 'KILL ghost :x');
    expect(h.take('alice')).toEqual([`${S} 401 alice ghost :No such nick/channel`]);
    h.send('alice', 'KILL IRC.local :x');
    expect(h.take('alice')).toEqual([`${S} 483 alice :You cant kill a server!`]);
    h.send('alice', 'KILL ghost');
    expect(h.take('alice')).toEqual([`${S} 461 alice KILL :Not enough parameters`]);
  });
});

describe('WALLOPS', () => {
  it('reaches every +w user in one Send effect; operators only', () => {
    const h = new Harness(OPERS);
    reg(h, 'alice');
    reg(h, 'w1', { mode: 4 });
    reg(h, 'w2', { mode: 12 });
    reg(h, 'plain');
    h.send('plain', 'WALLOPS :hello');
    expect(h.take('plain')).toEqual([`${S} 481 plain :Permission Denied- You're not an IRC operator`]);
    operUp(h, 'alice');
    const before = h.effects.length;
    h.send('alice', 'WALLOPS :server going down');
    const sends = h.effects.slice(before).filter((e) => e._tag === 'Send');
    expect(sends).toEqual([
      { _tag: 'Send', to: [h.id('w1'), h.id('w2')], line: ':alice!alice@127.0.0.1 WALLOPS :server going down' },
    ]);
    expect(h.take('plain')).toEqual([]);
    expect(h.take('alice')).toEqual([]);
    h.send('alice', 'WALLOPS :');
    expect(h.take('alice')).toEqual([`${S} 461 alice WALLOPS :Not enough parameters`]);
  });
});

describe('robustness', () => {
  it('never throws and keeps the invariants on random query and operator lines', () => {
    const verbs = ['WHO', 'WHOIS', 'WHOWAS', 'AWAY', 'ISON', 'USERHOST', 'LUSERS', 'MOTD', 'VERSION', 'TIME', 'INFO', 'ADMIN', 'LINKS', 'HELP', 'OPER', 'KILL', 'WALLOPS', 'JOIN', 'QUIT', 'NICK'];
    const words = ['alice', 'bob', 'root', 'hunter2', '#a', '*', '0', 'o', 'irc.local', ',', ':', ':x y', '', '5', '-1', 'b*', '?'];
    const line = fc.tuple(fc.constantFrom(...verbs), fc.array(fc.constantFrom(...words), { maxLength: 4 })).map(([v, ps]) => [v, ...ps].join(' '));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('alice', 'bob'), line), { maxLength: 30 }), (steps) => {
        const h = new Harness(OPERS);
        h.register('alice');
        h.register('bob');
        for (const [who, l] of steps) if (!h.closed.has(h.id(who))) h.send(who, l);
      }),
      { numRuns: 300 },
    );
  });
});
