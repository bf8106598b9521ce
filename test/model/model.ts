// A small, independent model of an IRC server, written from RFC 1459/2812 and the Modern IRC
// document rather than from src/core: nicks → clients, channels → members with op/voice,
// channel modes (i t m k l b), invitations, the keep-alive clock. It decides WHETHER a command
// succeeds and who hears of it; the line formats are the server's (read from the handlers).
import { recipientsOf, type Effect } from '../../src/core/effect.js';

export const SERVER = 'irc.local';
export const HOST = '127.0.0.1';
export const PING_INTERVAL = 120_000;
export const PING_TIMEOUT = 60_000;
export const REGISTRATION_TIMEOUT = 60_000;
/** CHANLIMIT in the model's config: small, so that 405 is reachable. */
export const MAX_CHANNELS = 2;

export interface MClient {
  readonly id: number;
  nick: string | null;
  user: string | null;
  registered: boolean;
  readonly connectedAt: number;
  seenAt: number;
  pingSentAt: number | null;
  /** Folded channel names this client was invited to (each admits once past +i). */
  readonly invites: Set<string>;
}

export interface MMember {
  o: boolean;
  v: boolean;
}

export interface MChannel {
  readonly name: string;
  /** In join order. */
  readonly members: Map<number, MMember>;
  i: boolean;
  t: boolean;
  m: boolean;
  key: string | null;
  limit: number | null;
  /** Ban masks as set (`nick!*@*` or `*!*@*`). */
  readonly bans: string[];
  topic: { text: string; setBy: string; setAt: number } | null;
}

export interface Model {
  now: number;
  nextId: number;
  readonly clients: Map<number, MClient>;
  /** Keyed by folded name. */
  readonly channels: Map<string, MChannel>;
}

export const newModel = (now: number): Model => ({ now, nextId: 1, clients: new Map(), channels: new Map() });

/** RFC 1459 case-mapping: A-Z [ ] \ ~ are the upper case of a-z { } | ^. */
export const fold = (s: string): string =>
  s.replace(/[A-Z[\]\\~]/g, (ch) => ({ '[': '{', ']': '}', '\\': '|', '~': '^' })[ch] ?? ch.toLowerCase());

/** RFC 2812 §2.3.1 nickname, at most NICKLEN (30). */
export const validNick = (s: string): boolean => s.length <= 30 && /^[A-Za-z[\]\\`_^{|}][A-Za-z0-9[\]\\`_^{|}-]*$/.test(s);

export const source = (c: MClient): string => `${c.nick}!${c.user}@${HOST}`;
export const target = (c: MClient): string => c.nick ?? '*';

/** The holder of a nick (registered or not), under case-mapping. */
export const holder = (m: Model, nick: string): MClient | undefined => {
  const k = fold(nick);
  for (const c of m.clients.values()) if (c.nick !== null && fold(c.nick) === k) return c;
  return undefined;
};
/** A registered client with this nick: what commands may name. */
export const user = (m: Model, nick: string): MClient | undefined => {
  const c = holder(m, nick);
  return c?.registered ? c : undefined;
};
export const channel = (m: Model, name: string): MChannel | undefined => m.channels.get(fold(name));
export const channelsOf = (m: Model, id: number): MChannel[] => [...m.channels.values()].filter((ch) => ch.members.has(id));

export const banned = (ch: MChannel, c: MClient): boolean =>
  ch.bans.some((mask) => {
    const nick = mask.slice(0, mask.indexOf('!'));
    return nick === '*' || fold(nick) === fold(c.nick ?? '');
  });

/** Everyone sharing a channel with `id`, without `id`. */
export const peers = (m: Model, id: number): number[] => {
  const to = new Set<number>();
  for (const ch of channelsOf(m, id)) for (const x of ch.members.keys()) if (x !== id) to.add(x);
  return [...to];
};

// ---- expected effects ------------------------------------------------------------------------

/** What a step must do: lines to recipient sets, closes, and a welcome burst (001 ... 376/422). */
export type Exp = { readonly to: readonly number[]; readonly line: string } | { readonly close: number } | { readonly welcome: number; readonly line: string };

export const sendTo = (to: Iterable<number>, line: string): Exp => ({ to: [...to].sort((a, b) => a - b), line });

export const numeric = (c: MClient, code: string, params: readonly string[], text?: string): Exp =>
  sendTo([c.id], `:${SERVER} ${code} ${[target(c), ...params].join(' ')}${text === undefined ? '' : ' :' + text}`);

export const welcomeOf = (c: MClient): Exp => ({
  welcome: c.id,
  line: `:${SERVER} 001 ${c.nick} :Welcome to the pureircd IRC Network ${source(c)}`,
});

/**
 * Effects as comparable data: recipient lists sorted, Log (and other orders) dropped, and each welcome burst (a
 * run of lines to one client from 001 to the end of the MOTD) folded into one entry.
 */
export const normalise = (effects: readonly Effect[]): Exp[] => {
  const out: Exp[] = [];
  for (let i = 0; i < effects.length; i++) {
    const e = effects[i]!;
    if (e._tag === 'Close') {
      out.push({ close: e.client });
      continue;
    }
    if (e._tag !== 'Send') continue; // Log, and orders no command here gives
    const only = recipientsOf(e).length === 1 ? recipientsOf(e)[0]! : null;
    if (only !== null && e.line.startsWith(`:${SERVER} 001 `)) {
      let j = i;
      while (j < effects.length) {
        const x = effects[j]!;
        if (x._tag !== 'Send' || recipientsOf(x).length !== 1 || recipientsOf(x)[0] !== only) break;
        j++;
        if (/^\S+ (376|422) /.test(x.line)) break;
      }
      out.push({ welcome: only, line: e.line });
      i = j - 1;
      continue;
    }
    out.push(sendTo(recipientsOf(e), e.line));
  }
  return out;
};

// ---- model updates shared by several commands -------------------------------------------------

/** A client leaves a channel; an emptied channel ceases to exist. */
export const leave = (m: Model, ch: MChannel, id: number): void => {
  ch.members.delete(id);
  if (ch.members.size === 0) m.channels.delete(fold(ch.name));
};

/**
 * A client goes (QUIT, disconnect, timeout): QUIT to its peers if it was registered, ERROR to
 * it, Close. Returns the expected effects and updates the model.
 */
export const remove = (m: Model, c: MClient, reason: string): Exp[] => {
  const out: Exp[] = [];
  const to = peers(m, c.id);
  if (c.registered && to.length > 0) out.push(sendTo(to, `:${source(c)} QUIT :${reason}`));
  out.push(sendTo([c.id], `ERROR :Closing link: ${c.user ?? '*'}@${HOST} (${reason})`), { close: c.id });
  for (const ch of channelsOf(m, c.id)) leave(m, ch, c.id);
  m.clients.delete(c.id);
  return out;
};

/** A line arrived from `c`: it proves the client alive. */
export const seen = (m: Model, c: MClient): void => {
  c.seenAt = m.now;
  c.pingSentAt = null;
};

/** NAMES as a joiner sees it: highest prefix each, join order. */
export const namesOf = (m: Model, ch: MChannel): string =>
  [...ch.members].map(([id, p]) => (p.o ? '@' : p.v ? '+' : '') + (m.clients.get(id)?.nick ?? '?')).join(' ');
