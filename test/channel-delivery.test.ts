// Property: in random multi-client sessions (joins, parts, kicks, channel and member modes, bans,
// nick changes, quits and reconnects), a channel PRIVMSG/NOTICE reaches exactly the channel's
// members minus the sender, once each, in one Send; a refused one (404) reaches no one.
//
// "The channel's members" is not read from the server's state: each client keeps the membership
// it was told about (its own JOIN echoes, minus its PARTs, KICKs and QUIT), as a real client does,
// and that view is checked against the state after every step. Whether a message may be spoken
// is predicted from the channel's modes, the sender's status and the ban list (RFC 2812 §3.3.1,
// Modern IRC ERR_CANNOTSENDTOCHAN): +n stops non-members; +m and a matching ban stop members
// without voice or op (and non-members).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memberModesOf } from '../src/core/channel.js';
import { parse } from '../src/core/message.js';
import { channelByName, foldName } from '../src/core/state.js';
import { Harness } from './harness.js';
import { recipientsOf } from '../src/core/effect.js';

const USERS = ['u1', 'u2', 'u3', 'u4'] as const;
const CHANS = ['#a', '#b'] as const;
type Who = number; // index into USERS
/** Each user flips between two nicks, so bans on one spelling can match or not. */
const nickOf = (who: Who, alt: boolean): string => (alt ? `${USERS[who]}x` : USERS[who]!);

type Action =
  | { kind: 'join' | 'part'; who: Who; chan: number }
  | { kind: 'kick'; who: Who; victim: Who; chan: number }
  | { kind: 'cmode'; who: Who; chan: number; mode: '+m' | '-m' | '+n' | '-n' }
  | { kind: 'umode'; who: Who; chan: number; mode: '+v' | '-v' | '+o' | '-o'; target: Who }
  | { kind: 'ban'; who: Who; chan: number; sign: '+' | '-'; target: Who; alt: boolean }
  | { kind: 'nick'; who: Who }
  | { kind: 'quit'; who: Who; drop: boolean }
  | { kind: 'say'; who: Who; chan: number; verb: 'PRIVMSG' | 'NOTICE' };

const who = fc.nat(USERS.length - 1);
const chan = fc.nat(CHANS.length - 1);
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('join' as const), who, chan }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('part' as const), who, chan }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('kick' as const), who, victim: who, chan }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cmode' as const), who, chan, mode: fc.constantFrom('+m' as const, '-m' as const, '+n' as const, '-n' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('umode' as const), who, chan, mode: fc.constantFrom('+v' as const, '-v' as const, '+o' as const, '-o' as const), target: who }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('ban' as const), who, chan, sign: fc.constantFrom('+' as const, '-' as const), target: who, alt: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('nick' as const), who }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('quit' as const), who, drop: fc.boolean() }) },
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('say' as const), who, chan, verb: fc.constantFrom('PRIVMSG' as const, 'NOTICE' as const) }) },
);

/** One session: the harness plus what each client believes about itself. */
class Session {
  readonly h = new Harness();
  /** Client ids by user index (a reconnect gets a new id). */
  readonly ids: number[] = [];
  readonly alt: boolean[] = USERS.map(() => false);
  /** The channels (folded) each user believes it is in, from what it was sent. */
  readonly view: Array<Set<string>> = USERS.map(() => new Set());
  private said = 0;

  constructor() {
    USERS.forEach((u, i) => (this.ids[i] = this.h.register(u)));
  }

  nick(w: Who): string {
    return nickOf(w, this.alt[w]!);
  }

  fold(name: string): string {
    return foldName(this.h.state, name);
  }

  /** Feed a line from user `w` and fold every user's received lines into its view. */
  line(w: Who, text: string): void {
    this.h.send(USERS[w]!, text);
    this.absorb();
  }

  absorb(): void {
    USERS.forEach((u, i) => {
      for (const l of this.h.take(u)) {
        const p = parse(l);
        if (!p.ok) continue;
        const m = p.message;
        const srcNick = m.source?.split('!')[0];
        const me = this.fold(this.nick(i));
        if (m.verb === 'JOIN' && srcNick !== undefined && this.fold(srcNick) === me) this.view[i]!.add(this.fold(m.params[0]!));
        if (m.verb === 'PART' && srcNick !== undefined && this.fold(srcNick) === me) this.view[i]!.delete(this.fold(m.params[0]!));
        if (m.verb === 'KICK' && this.fold(m.params[1]!) === me) this.view[i]!.delete(this.fold(m.params[0]!));
      }
    });
  }

  run(a: Action): void {
    const c = CHANS[a.kind === 'nick' || a.kind === 'quit' ? 0 : a.chan]!;
    switch (a.kind) {
      case 'join':
        return this.line(a.who, `JOIN ${c}`);
      case 'part':
        return this.line(a.who, `PART ${c} :bye`);
      case 'kick':
        return this.line(a.who, `KICK ${c} ${this.nick(a.victim)} :out`);
      case 'cmode':
        return this.line(a.who, `MODE ${c} ${a.mode}`);
      case 'umode':
        return this.line(a.who, `MODE ${c} ${a.mode} ${this.nick(a.target)}`);
      case 'ban':
        return this.line(a.who, `MODE ${c} ${a.sign}b ${nickOf(a.target, a.alt)}!*@*`);
      case 'nick': {
        this.alt[a.who] = !this.alt[a.who];
        this.h.send(USERS[a.who]!, `NICK ${this.nick(a.who)}`);
        return this.absorb();
      }
      case 'quit': {
        if (a.drop) this.h.disconnect(USERS[a.who]!);
        else this.h.send(USERS[a.who]!, 'QUIT :later');
        this.absorb();
        this.view[a.who]!.clear();
        this.alt[a.who] = false;
        this.ids[a.who] = this.h.register(USERS[a.who]!);
        return this.absorb();
      }
      case 'say':
        return this.say(a.who, c, a.verb);
      default: {
        const never: never = a;
        return never;
      }
    }
  }

  /** May user `w` speak in `c`, by the rules of RFC 2812 §3.3.1 (+n, +m, bans)? */
  private maySpeak(w: Who, c: string): boolean {
    const ch = channelByName(this.h.state, c)!;
    const status = memberModesOf(ch, this.ids[w]!);
    const banned = ch.bans.some((b) => this.fold(b.mask) === this.fold(`${this.nick(w)}!*@*`));
    if (status === undefined) return !ch.modes.noExternal && !ch.modes.moderated && !banned;
    return status !== '' || (!ch.modes.moderated && !banned);
  }

  say(w: Who, c: string, verb: 'PRIVMSG' | 'NOTICE'): void {
    const text = `m${++this.said}`;
    const exists = channelByName(this.h.state, c) !== undefined;
    const allowed = exists && this.maySpeak(w, c);
    const effects = this.h.feed({ _tag: 'LineReceived', seq: ++this.h.seq, at: this.h.now, client: this.ids[w]!, line: `${verb} ${c} :${text}` });
    const carrying = effects.filter((e) => e._tag === 'Send' && e.line.endsWith(` :${text}`));
    const got = USERS.map((u) => this.h.take(u));
    const counts = got.map((ls) => ls.filter((l) => l === `:${this.nick(w)}!${USERS[w]}@127.0.0.1 ${verb} ${c} :${text}`).length);
    const expected = USERS.map((_, i) => (allowed && i !== w && this.view[i]!.has(this.fold(c)) ? 1 : 0));
    expect(counts, `${verb} ${c} from ${this.nick(w)}: views ${JSON.stringify(this.view.map((v) => [...v]))}`).toEqual(expected);
    expect(carrying.length).toBe(expected.some((n) => n === 1) ? 1 : 0);
    // The sender hears why a PRIVMSG was refused (404, or 401 for no such channel); NOTICE is silent.
    const errors = got[w]!.map((l) => l.split(' ')[1]);
    if (verb === 'PRIVMSG' && !allowed) expect(errors).toEqual([exists ? '404' : '401']);
    else expect(errors).toEqual([]);
  }

  /** Each user's view of its channels is what the server's state says. */
  checkViews(): void {
    USERS.forEach((_, i) => {
      const c = this.h.state.clients.get(this.ids[i]!)!;
      expect([...this.view[i]!].sort(), `${this.nick(i)}'s channels`).toEqual([...c.channels].sort());
    });
  }
}

describe('channel message delivery over random sessions', () => {
  it('reaches exactly the members minus the sender, once each; a refused one reaches no one', () => {
    let spoke = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.array(action, { minLength: 10, maxLength: 80, size: 'max' }), (actions) => {
        const s = new Session();
        for (const a of actions) {
          if (a.kind === 'say') {
            const before = s.h.effects.length;
            s.run(a);
            if (s.h.effects.slice(before).some((e) => e._tag === 'Send' && recipientsOf(e).length > 1)) spoke++;
            if (s.h.effects.slice(before).some((e) => e._tag === 'Send' && / 404 /.test(e.line))) refused++;
          } else s.run(a);
          s.checkViews();
        }
      }),
      { numRuns: process.env.PUREIRCD_DEEP ? 2000 : 200 },
    );
    // The generator must actually produce both outcomes, or the property says little.
    expect(spoke).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(5);
  });
});
