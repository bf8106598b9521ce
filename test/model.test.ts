// Model-based test (fc.commands + fc.modelRun): 1..N clients connect, register, change nicks,
// join, part, set channel modes, kick, invite, set topics, talk, quit, drop and let time pass,
// against the small independent model in model/model.ts. Every command's effects are compared
// with what the model expects — exact lines, exact recipient sets, the numeric that refuses it —
// and the invariants are checked after every input. A failure is written out as a replay log
// and a transcript (failures.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Effect } from '../src/core/effect.js';
import { apply, type Input } from '../src/core/input.js';
import { checkInvariants, checkProgress } from '../src/core/invariants.js';
import { defaultConfig, initialState, type ServerConfig, type State } from '../src/core/state.js';
import { assertRecorded, type Record } from './failures.js';
import * as M from './model/model.js';
import { runs } from './runs.js';

const T0 = 1_700_000_000_000;
const config: ServerConfig = {
  ...defaultConfig,
  createdAt: T0,
  motd: null,
  flood: { ...defaultConfig.flood, enabled: false },
  limits: { ...defaultConfig.limits, maxChannels: M.MAX_CHANNELS },
  pingIntervalMs: M.PING_INTERVAL,
  pingTimeoutMs: M.PING_TIMEOUT,
  registrationTimeoutMs: M.REGISTRATION_TIMEOUT,
};

/** The system under test: the pure core, fed one recorded input at a time. */
class Real {
  state: State = initialState(config);
  seq = 0;
  constructor(private readonly record: Record) {}

  feed(input: Input): Effect[] {
    this.record(input);
    const [next, effects] = apply(this.state, input);
    const bad = [...checkInvariants(next), ...checkProgress(this.state, next)];
    if (bad.length > 0) throw new Error(`invariants broken after ${JSON.stringify(input)}: ${bad.join('; ')}`);
    this.state = next;
    return effects;
  }
  connect(client: number, at: number): Effect[] {
    return this.feed({ _tag: 'ClientConnected', seq: ++this.seq, at, client, address: M.HOST, tls: false });
  }
  line(client: number, at: number, line: string): Effect[] {
    return this.feed({ _tag: 'LineReceived', seq: ++this.seq, at, client, line });
  }
  drop(client: number, at: number): Effect[] {
    return this.feed({ _tag: 'ClientDisconnected', seq: ++this.seq, at, client, reason: 'Connection closed' });
  }
  tick(at: number): Effect[] {
    return this.feed({ _tag: 'TimeAdvanced', seq: ++this.seq, at });
  }
}

type Cmd = fc.Command<M.Model, Real>;

/** Verbs and numerics the model expected, for the coverage test. */
const covered = new Set<string>();

const check = (what: string, effects: readonly Effect[], expected: readonly M.Exp[]): void => {
  expect(M.normalise(effects), what).toEqual(expected);
  for (const e of expected) covered.add('close' in e ? 'Close' : 'welcome' in e ? '001' : (e.line.split(' ')[e.line.startsWith(':') ? 1 : 0] ?? ''));
};

/**
 * The client acting: by index `who` among the registered clients (in id order), so that most
 * commands reach their handler; an index past 7 picks among all clients, unregistered ones
 * included (451).
 */
const pick = (m: M.Model, who: number): M.MClient => {
  const all = [...m.clients.values()].sort((a, b) => a.id - b.id);
  const registered = all.filter((c) => c.registered);
  const from = who > 7 || registered.length === 0 ? all : registered;
  return from[who % from.length]!;
};

/** A command acted by one client: `expect` computes the expected effects AND updates the model. */
class Act implements Cmd {
  constructor(
    readonly label: string,
    readonly who: number,
    readonly line: (m: M.Model, c: M.MClient) => string,
    readonly expect: (m: M.Model, c: M.MClient) => M.Exp[],
  ) {}
  check(m: Readonly<M.Model>): boolean {
    return m.clients.size > 0;
  }
  run(m: M.Model, r: Real): void {
    const c = pick(m, this.who);
    const line = this.line(m, c);
    const effects = r.line(c.id, m.now, line);
    const notRegistered = !c.registered && !/^(NICK|USER|QUIT)\b/.test(line);
    M.seen(m, c);
    const expected = notRegistered ? [M.numeric(c, '451', [], 'You have not registered')] : this.expect(m, c);
    check(`client ${c.id} (${c.nick}): ${line}`, effects, expected);
  }
  toString(): string {
    return `${this.label}@${this.who}`;
  }
}

// ---- the commands ------------------------------------------------------------------------------

const NICKS = ['alice', 'Alice', 'bob', 'c[1]', 'C{1}', 'dave', 'erin', 'frank', '9lives'];
// Mostly two channels (so clients meet, and modes get tested by joiners); a third reaches 405.
const CHANS = ['#a', '#A', '#b', '#a', '#b', '#B', '&c'];
const KEYS = ['sesame', 'other'];
const nickArb = fc.constantFrom(...NICKS);
const chanArb = fc.constantFrom(...CHANS);
const who = fc.nat(9);

class Connect implements Cmd {
  check(m: Readonly<M.Model>): boolean {
    return m.clients.size < 5;
  }
  run(m: M.Model, r: Real): void {
    const id = m.nextId++;
    check(`connect ${id}`, r.connect(id, m.now), []);
    m.clients.set(id, { id, nick: null, user: null, registered: false, connectedAt: m.now, seenAt: m.now, pingSentAt: null, invites: new Set() });
  }
  toString(): string {
    return 'Connect';
  }
}

class Tick implements Cmd {
  constructor(readonly ms: number) {}
  check(): boolean {
    return true;
  }
  run(m: M.Model, r: Real): void {
    m.now += this.ms;
    const effects = r.tick(m.now);
    // Who must go, and who must be pinged, by the keep-alive rules.
    const due = new Map<number, string>();
    const ping: number[] = [];
    for (const c of m.clients.values()) {
      if (!c.registered) {
        if (m.now - c.connectedAt >= M.REGISTRATION_TIMEOUT) due.set(c.id, 'Registration timeout');
      } else if (c.pingSentAt !== null) {
        if (m.now - c.pingSentAt >= M.PING_TIMEOUT) due.set(c.id, `Ping timeout: ${Math.floor((m.now - c.seenAt) / 1000)} seconds`);
      } else if (m.now - c.seenAt >= M.PING_INTERVAL) ping.push(c.id);
    }
    // Removals may come in any order; each one's QUIT goes to whoever is still there.
    const order = effects.flatMap((e) => (e._tag === 'Close' ? [e.client] : []));
    expect(new Set(order), `clients timed out at +${m.now - T0}ms`).toEqual(new Set(due.keys()));
    const expected: M.Exp[] = [];
    for (const id of order) expected.push(...M.remove(m, m.clients.get(id)!, due.get(id)!));
    if (ping.length > 0) expected.push(M.sendTo(ping, `PING :${M.SERVER}`));
    for (const id of ping) m.clients.get(id)!.pingSentAt = m.now;
    check(`tick +${this.ms}ms`, effects, expected);
  }
  toString(): string {
    return `Tick(${this.ms})`;
  }
}

class Drop implements Cmd {
  constructor(readonly who: number) {}
  check(m: Readonly<M.Model>): boolean {
    return m.clients.size > 0;
  }
  run(m: M.Model, r: Real): void {
    const c = pick(m, this.who);
    check(`drop ${c.id}`, r.drop(c.id, m.now), M.remove(m, c, 'Connection closed'));
  }
  toString(): string {
    return `Drop@${this.who}`;
  }
}

/** NICK, before or after registration. */
const nickExpect =
  (nick: string) =>
  (m: M.Model, c: M.MClient): M.Exp[] => {
    if (!M.validNick(nick)) return [M.numeric(c, '432', [nick], 'Erroneous nickname')];
    if (nick === c.nick) return [];
    const h = M.holder(m, nick);
    if (h !== undefined && h.id !== c.id) return [M.numeric(c, '433', [nick], 'Nickname is already in use')];
    if (!c.registered) {
      c.nick = nick;
      return register(c);
    }
    const line = `:${M.source(c)} NICK :${nick}`;
    const to = [c.id, ...M.peers(m, c.id)];
    c.nick = nick;
    return [M.sendTo(to, line)];
  };

const register = (c: M.MClient): M.Exp[] => {
  if (c.registered || c.nick === null || c.user === null) return [];
  c.registered = true;
  return [M.welcomeOf(c)];
};

/** NICK then (if not given yet) USER: a registration attempt. */
class Register implements Cmd {
  constructor(readonly who: number, readonly nick: string) {}
  check(m: Readonly<M.Model>): boolean {
    return [...m.clients.values()].some((c) => !c.registered);
  }
  run(m: M.Model, r: Real): void {
    const c = [...m.clients.values()].filter((x) => !x.registered)[this.who % [...m.clients.values()].filter((x) => !x.registered).length]!;
    M.seen(m, c);
    check(`client ${c.id}: NICK ${this.nick}`, r.line(c.id, m.now, `NICK ${this.nick}`), nickExpect(this.nick)(m, c));
    if (c.user !== null) return;
    const line = `USER u${c.id} 0 * :User ${c.id}`;
    c.user = `u${c.id}`;
    check(`client ${c.id}: ${line}`, r.line(c.id, m.now, line), register(c));
  }
  toString(): string {
    return `Register@${this.who}(${this.nick})`;
  }
}

const nick = (w: number, n: string): Cmd => new Act(`Nick(${n})`, w, () => `NICK ${n}`, nickExpect(n));

const join = (w: number, name: string, key: string | null): Cmd =>
  new Act(`Join(${name},${key})`, w, () => `JOIN ${name}${key === null ? '' : ' ' + key}`, (m, c) => {
    let ch = M.channel(m, name);
    if (ch?.members.has(c.id)) return [];
    if (M.channelsOf(m, c.id).length >= M.MAX_CHANNELS) return [M.numeric(c, '405', [ch?.name ?? name], 'You have joined too many channels')];
    if (ch === undefined) {
      ch = { name, members: new Map([[c.id, { o: true, v: false }]]), i: false, t: true, m: false, key: null, limit: null, bans: [], topic: null };
      m.channels.set(M.fold(name), ch);
    } else {
      if (ch.key !== null && key !== ch.key) return [M.numeric(c, '475', [ch.name], 'Cannot join channel (+k)')];
      if (ch.i && !c.invites.has(M.fold(name))) return [M.numeric(c, '473', [ch.name], 'Cannot join channel (+i)')];
      // An invitation admits past +l as past +i (Modern IRC).
      if (ch.limit !== null && ch.members.size >= ch.limit && !c.invites.has(M.fold(name))) return [M.numeric(c, '471', [ch.name], 'Cannot join channel (+l)')];
      if (M.banned(ch, c)) return [M.numeric(c, '474', [ch.name], 'Cannot join channel (+b)')];
      ch.members.set(c.id, { o: false, v: false });
    }
    c.invites.delete(M.fold(name));
    const out: M.Exp[] = [M.sendTo(ch.members.keys(), `:${M.source(c)} JOIN ${ch.name}`)];
    if (ch.topic !== null)
      out.push(M.numeric(c, '332', [ch.name], ch.topic.text), M.numeric(c, '333', [ch.name, ch.topic.setBy, String(Math.floor(ch.topic.setAt / 1000))]));
    out.push(M.numeric(c, '353', ['=', ch.name], M.namesOf(m, ch)), M.numeric(c, '366', [ch.name], 'End of /NAMES list'));
    return out;
  });

const part = (w: number, name: string): Cmd =>
  new Act(`Part(${name})`, w, () => `PART ${name}`, (m, c) => {
    const ch = M.channel(m, name);
    if (ch === undefined) return [M.numeric(c, '403', [name], 'No such channel')];
    if (!ch.members.has(c.id)) return [M.numeric(c, '442', [ch.name], "You're not on that channel")];
    const out = [M.sendTo(ch.members.keys(), `:${M.source(c)} PART ${ch.name}`)];
    M.leave(m, ch, c.id);
    return out;
  });

/** Checks every channel-operator command shares: 403, 442, 482. */
const opCheck = (m: M.Model, c: M.MClient, name: string): M.MChannel | M.Exp[] => {
  const ch = M.channel(m, name);
  if (ch === undefined) return [M.numeric(c, '403', [name], 'No such channel')];
  if (!ch.members.has(c.id)) return [M.numeric(c, '442', [ch.name], "You're not on that channel")];
  if (!ch.members.get(c.id)!.o) return [M.numeric(c, '482', [ch.name], "You're not channel operator")];
  return ch;
};

type ModeChange = { readonly letter: string; readonly add: boolean; readonly arg: string | null };
const MODE_CHANGES: readonly ModeChange[] = [
  ...['i', 't', 'm'].flatMap((l) => [true, false].map((add) => ({ letter: l, add, arg: null }))),
  { letter: 'k', add: true, arg: 'sesame' },
  { letter: 'k', add: true, arg: 'other' },
  { letter: 'k', add: false, arg: null },
  { letter: 'l', add: true, arg: '1' },
  { letter: 'l', add: true, arg: '2' },
  { letter: 'l', add: false, arg: null },
  { letter: 'b', add: true, arg: '*!*@*' },
  { letter: 'b', add: false, arg: '*!*@*' },
];
/** Changes naming a nick: o, v (the nick) and b (`nick!*@*`). */
const NICK_CHANGES = ['o', 'v', 'b'].flatMap((letter) => [true, false].map((add) => ({ letter, add })));

const mode = (w: number, name: string, change: ModeChange): Cmd => {
  const text = `${change.add ? '+' : '-'}${change.letter}${change.arg === null ? '' : ' ' + change.arg}`;
  return new Act(`Mode(${name} ${text})`, w, () => `MODE ${name} ${text}`, (m, c) => {
    const ch = opCheck(m, c, name);
    if (Array.isArray(ch)) return ch;
    const changed = (shown: string): M.Exp[] => [M.sendTo(ch.members.keys(), `:${M.source(c)} MODE ${ch.name} ${shown}`)];
    const sign = change.add ? '+' : '-';
    switch (change.letter) {
      case 'i':
      case 't':
      case 'm': {
        const l = change.letter;
        if (ch[l] === change.add) return [];
        ch[l] = change.add;
        return changed(sign + l);
      }
      case 'k':
        if (!change.add) {
          if (ch.key === null) return [];
          ch.key = null;
          return changed('-k *');
        }
        if (ch.key === change.arg) return [];
        ch.key = change.arg;
        return changed(`+k ${change.arg}`);
      case 'l': {
        const n = change.arg === null ? null : Number(change.arg);
        if (ch.limit === n) return [];
        ch.limit = n;
        return changed(n === null ? '-l' : `+l ${n}`);
      }
      default: {
        const mask = change.arg!;
        const at = ch.bans.findIndex((b) => M.fold(b) === M.fold(mask));
        if (change.add === at >= 0) return [];
        if (change.add) ch.bans.push(mask);
        else ch.bans.splice(at, 1);
        return changed(`${sign}b ${mask}`);
      }
    }
  });
};

const nickMode = (w: number, name: string, letter: string, add: boolean, nick: string): Cmd => {
  const arg = letter === 'b' ? `${nick}!*@*` : nick;
  const text = `${add ? '+' : '-'}${letter} ${arg}`;
  return new Act(`Mode(${name} ${text})`, w, () => `MODE ${name} ${text}`, (m, c) => {
    const ch = opCheck(m, c, name);
    if (Array.isArray(ch)) return ch;
    const changed = (shown: string): M.Exp[] => [M.sendTo(ch.members.keys(), `:${M.source(c)} MODE ${ch.name} ${shown}`)];
    if (letter === 'b') {
      const at = ch.bans.findIndex((b) => M.fold(b) === M.fold(arg));
      if (add === at >= 0) return [];
      const shown = add ? arg : ch.bans[at]!;
      if (add) ch.bans.push(arg);
      else ch.bans.splice(at, 1);
      return changed(`${add ? '+' : '-'}b ${shown}`);
    }
    const t = M.user(m, nick);
    if (t === undefined) return [M.numeric(c, '401', [nick], 'No such nick/channel')];
    const p = ch.members.get(t.id);
    if (p === undefined) return [M.numeric(c, '441', [t.nick!, ch.name], "They aren't on that channel")];
    const l = letter as 'o' | 'v';
    if (p[l] === add) return [];
    p[l] = add;
    return changed(`${add ? '+' : '-'}${l} ${t.nick}`);
  });
};

const kick = (w: number, name: string, nick: string): Cmd =>
  new Act(`Kick(${name} ${nick})`, w, () => `KICK ${name} ${nick} :bye`, (m, c) => {
    const ch = opCheck(m, c, name);
    if (Array.isArray(ch)) return ch;
    const t = M.user(m, nick);
    if (t === undefined) return [M.numeric(c, '401', [nick], 'No such nick/channel')];
    if (!ch.members.has(t.id)) return [M.numeric(c, '441', [t.nick!, ch.name], "They aren't on that channel")];
    const out = [M.sendTo(ch.members.keys(), `:${M.source(c)} KICK ${ch.name} ${t.nick} :bye`)];
    M.leave(m, ch, t.id);
    return out;
  });

const invite = (w: number, nick: string, name: string): Cmd =>
  new Act(`Invite(${nick} ${name})`, w, () => `INVITE ${nick} ${name}`, (m, c) => {
    const t = M.user(m, nick);
    if (t === undefined) return [M.numeric(c, '401', [nick], 'No such nick/channel')];
    const ch = M.channel(m, name);
    if (ch === undefined) return [M.numeric(c, '403', [name], 'No such channel')];
    if (!ch.members.has(c.id)) return [M.numeric(c, '442', [ch.name], "You're not on that channel")];
    if (ch.members.has(t.id)) return [M.numeric(c, '443', [t.nick!, ch.name], 'is already on channel')];
    if (ch.i && !ch.members.get(c.id)!.o) return [M.numeric(c, '482', [ch.name], "You're not channel operator")];
    t.invites.add(M.fold(ch.name));
    return [M.numeric(c, '341', [t.nick!, ch.name]), M.sendTo([t.id], `:${M.source(c)} INVITE ${t.nick} ${ch.name}`)];
  });

const topic = (w: number, name: string, text: string): Cmd =>
  new Act(`Topic(${name} ${JSON.stringify(text)})`, w, () => `TOPIC ${name} :${text}`, (m, c) => {
    const ch = M.channel(m, name);
    if (ch === undefined) return [M.numeric(c, '403', [name], 'No such channel')];
    if (!ch.members.has(c.id)) return [M.numeric(c, '442', [ch.name], "You're not on that channel")];
    if (ch.t && !ch.members.get(c.id)!.o) return [M.numeric(c, '482', [ch.name], "You're not channel operator")];
    ch.topic = text === '' ? null : { text, setBy: M.source(c), setAt: m.now };
    return [M.sendTo(ch.members.keys(), `:${M.source(c)} TOPIC ${ch.name} :${text}`)];
  });

const privmsg = (w: number, to: string): Cmd =>
  new Act(`Privmsg(${to})`, w, () => `PRIVMSG ${to} :hi there`, (m, c) => {
    if (to.startsWith('#') || to.startsWith('&')) {
      const ch = M.channel(m, to);
      if (ch === undefined) return [M.numeric(c, '401', [to], 'No such nick/channel')];
      const p = ch.members.get(c.id);
      // +n (always on here) keeps outsiders out; +m and bans silence members without o/v.
      const silenced = p === undefined || (!p.o && !p.v && (ch.m || M.banned(ch, c)));
      if (silenced) return [M.numeric(c, '404', [ch.name], 'Cannot send to channel')];
      const rest = [...ch.members.keys()].filter((id) => id !== c.id);
      return rest.length === 0 ? [] : [M.sendTo(rest, `:${M.source(c)} PRIVMSG ${ch.name} :hi there`)];
    }
    const t = M.user(m, to);
    if (t === undefined) return [M.numeric(c, '401', [to], 'No such nick/channel')];
    return [M.sendTo([t.id], `:${M.source(c)} PRIVMSG ${t.nick} :hi there`)];
  });

/** Two commands run back to back: makes likely what needs a setup (a mode, then a joiner). */
class Then implements Cmd {
  constructor(readonly first: Cmd, readonly second: Cmd) {}
  check(m: Readonly<M.Model>): boolean {
    return this.first.check(m);
  }
  run(m: M.Model, r: Real): void {
    this.first.run(m, r);
    if (this.second.check(m)) this.second.run(m, r);
  }
  toString(): string {
    return `${this.first}; ${this.second}`;
  }
}

const quit = (w: number): Cmd => new Act('Quit', w, () => 'QUIT :bye', (m, c) => M.remove(m, c, 'Quit: bye'));

/** Repeating an arbitrary in the list weights it: fc.commands picks uniformly. */
const weighted = (n: number, arb: fc.Arbitrary<Cmd>): fc.Arbitrary<Cmd>[] => Array.from({ length: n }, () => arb);

const commandArbs: fc.Arbitrary<Cmd>[] = [
  ...weighted(3, fc.constant(new Connect())),
  ...weighted(4, fc.tuple(who, nickArb).map(([w, n]) => new Register(w, n))),
  fc.tuple(who, nickArb).map(([w, n]) => nick(w, n)),
  ...weighted(4, fc.tuple(who, chanArb, fc.option(fc.constantFrom(...KEYS), { freq: 3 })).map(([w, c, k]) => join(w, c, k))),
  ...weighted(3, fc.tuple(who, chanArb).map(([w, c]) => part(w, c))),
  ...weighted(4, fc.tuple(who, chanArb, fc.constantFrom(...MODE_CHANGES)).map(([w, c, ch]) => mode(w, c, ch))),
  ...weighted(2, fc.tuple(who, chanArb, fc.constantFrom(...NICK_CHANGES), nickArb).map(([w, c, ch, n]) => nickMode(w, c, ch.letter, ch.add, n))),
  ...weighted(2, fc.tuple(who, chanArb, nickArb).map(([w, c, n]) => kick(w, c, n))),
  ...weighted(2, fc.tuple(who, nickArb, chanArb).map(([w, n, c]) => invite(w, n, c))),
  ...weighted(2, fc.tuple(who, chanArb, fc.constantFrom('hello', 'new topic', '')).map(([w, c, t]) => topic(w, c, t))),
  ...weighted(2, fc.tuple(who, fc.constantFrom(...CHANS, ...NICKS)).map(([w, t]) => privmsg(w, t))),
  ...weighted(2, fc.tuple(who, who, chanArb, fc.constantFrom(...MODE_CHANGES), fc.option(fc.constantFrom(...KEYS))).map(([a, b, c, ch, k]) => new Then(mode(a, c, ch), join(b, c, k)))),
  fc.tuple(who, who, chanArb, fc.boolean()).map(([a, b, c, inv]) =>
    new Then(mode(a, c, { letter: 'i', add: true, arg: null }), inv ? new Then(invite(a, NICKS[b % NICKS.length]!, c), join(b, c, null)) : join(b, c, null)),
  ),
  fc.tuple(who, who, chanArb, fc.constantFrom('hello', 'new topic')).map(([a, b, c, t]) => new Then(topic(a, c, t), join(b, c, null))),
  who.map(quit),
  who.map((w) => new Drop(w)),
  fc.constantFrom(1000, 30_000, 61_000, 130_000).map((ms) => new Tick(ms)),
];

const sessions = fc.commands(commandArbs, { maxCommands: 80, size: 'large' });

describe('the core against an independent model', () => {
  it('agrees with the model on every command: recipients, lines and refusals', () => {
    assertRecorded(
      sessions,
      (cmds, record) => fc.modelRun(() => ({ model: M.newModel(T0), real: new Real(record) }), cmds),
      { name: 'model', config, numRuns: runs(150) },
    );
  });

  it('reaches every outcome the model knows (a fixed sample, so this never flakes)', () => {
    covered.clear();
    for (const cmds of fc.sample(sessions, { numRuns: 400, seed: 4242 }))
      fc.modelRun(() => ({ model: M.newModel(T0), real: new Real(() => {}) }), cmds);
    const wanted = ['001', 'NICK', 'JOIN', 'PART', 'KICK', 'MODE', 'TOPIC', 'INVITE', 'PRIVMSG', 'QUIT', 'ERROR', 'PING', 'Close', '332', '341', '401', '403', '404', '405', '432', '433', '441', '442', '443', '451', '471', '473', '474', '475', '482'];
    expect(wanted.filter((w) => !covered.has(w))).toEqual([]);
  });
});
