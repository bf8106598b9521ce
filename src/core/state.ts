// The whole server state: immutable. Collections are persistent (O(log n) updates with
// structural sharing): IdMap for the client index, NameMap for the name indexes (nicks,
// channels, hosts), Whowas for the departed nicks, Immutable.js for the rest. Entities are
// readonly plain objects rebuilt by withState/withClient/withChannel below, which are cheaper
// to read than Immutable Records and copy only a handful of references.
import { List, Map as IMap, Set as ISet } from 'immutable';
import type { Casemapping } from './casemap.js';
import { fold } from './casemap.js';
import { IdMap } from './idmap.js';
import { NameMap } from './namemap.js';
import { Whowas } from './whowas.js';

export type ClientId = number;

export interface OperCredential {
  readonly name: string;
  /** Plain text, or `scrypt$N$r$p$salt$hash` (see credentials.ts). */
  readonly password: string;
}

export interface Limits {
  readonly nickLen: number;
  readonly userLen: number;
  readonly channelLen: number;
  readonly topicLen: number;
  readonly kickLen: number;
  readonly awayLen: number;
  readonly realnameLen: number;
  /** CHANLIMIT: channels one client may be in. */
  readonly maxChannels: number;
  /** MAXLIST: entries per list mode (b, e, I). */
  readonly maxList: number;
  /** MODES: parameterised mode changes per MODE command. */
  readonly modesPerLine: number;
  /** TARGMAX for PRIVMSG/NOTICE/JOIN/PART/KICK/WHOIS... */
  readonly maxTargets: number;
  /** Departed nicks remembered for WHOWAS. */
  readonly whowasLen: number;
  /** Connections at once (0 = no limit) and per remote address (0 = no limit). */
  readonly maxClients: number;
  readonly maxClientsPerHost: number;
  /**
   * Loopback addresses (127.0.0.0/8, ::1) are exempt from maxClientsPerHost: they are local
   * bouncers, tests and benchmarks, which open thousands of connections from 127.0.0.1.
   */
  readonly exemptLoopback: boolean;
  /** Bytes queued to one client before it is dropped with "SendQ exceeded" (enforced by the shell). */
  readonly sendQ: number;
  /** Bytes one client may send without a line end before "RecvQ exceeded" (enforced by the shell). */
  readonly recvQ: number;
}

/** What the core needs to know of the configuration: plain JSON, stored in record headers. */
export interface ServerConfig {
  readonly serverName: string;
  readonly serverInfo: string;
  readonly network: string;
  readonly version: string;
  /** When the server started (ms since epoch), shown in 003. */
  readonly createdAt: number;
  readonly password: string | null;
  readonly opers: readonly OperCredential[];
  readonly motd: readonly string[] | null;
  readonly casemapping: Casemapping;
  readonly limits: Limits;
  /** A registered client silent this long is sent a PING... */
  readonly pingIntervalMs: number;
  /** ...and closed if nothing arrives this long after it. */
  readonly pingTimeoutMs: number;
  /** An unregistered connection is closed after this long. */
  readonly registrationTimeoutMs: number;
  readonly flood: FloodConfig;
  /** The config file the server reads (REHASH shows its name in 382), or null if none. */
  readonly configFile: string | null;
}

/**
 * Flood control (RFC 1459 §8.10): each line moves the client's flood clock `penaltyMs` ahead
 * (at least to now). While it runs more than `burstMs` ahead, further lines are held in the
 * state and processed as the clock catches up; more than `maxHeldBytes` held is Excess Flood.
 */
export interface FloodConfig {
  readonly enabled: boolean;
  readonly penaltyMs: number;
  readonly burstMs: number;
  readonly maxHeldBytes: number;
  readonly exemptOpers: boolean;
}

export const defaultLimits: Limits = {
  nickLen: 30,
  userLen: 10,
  channelLen: 50,
  topicLen: 390,
  kickLen: 255,
  awayLen: 200,
  realnameLen: 150,
  maxChannels: 50,
  maxList: 100,
  modesPerLine: 4,
  maxTargets: 4,
  whowasLen: 200,
  // 10 000 at once: the benchmarks' largest scenario, and within a raised descriptor limit.
  // 10 per remote address: room for a household behind NAT, a little above ngircd's default
  // MaxConnectionsIP (5); loopback is exempt (see exemptLoopback).
  maxClients: 10_000,
  maxClientsPerHost: 10,
  exemptLoopback: true,
  // 1 MiB: a full NAMES/WHO of a big channel fits many times over; RecvQ 16 KiB = 32 max-length lines.
  sendQ: 1024 * 1024,
  recvQ: 16 * 1024,
};

export const defaultConfig: ServerConfig = {
  serverName: 'irc.local',
  serverInfo: 'pureircd',
  network: 'pureircd',
  version: 'pureircd-0.1.0',
  createdAt: 0,
  password: null,
  opers: [],
  motd: null,
  casemapping: 'rfc1459',
  limits: defaultLimits,
  pingIntervalMs: 120_000,
  pingTimeoutMs: 60_000,
  registrationTimeoutMs: 60_000,
  flood: { enabled: true, penaltyMs: 1000, burstMs: 10_000, maxHeldBytes: 16_384, exemptOpers: true },
  configFile: null,
};

export interface Client {
  readonly id: ClientId;
  /** Shown as the host part of the source; IPv6 addresses starting with ':' get a '0'. */
  readonly host: string;
  readonly address: string;
  readonly tls: boolean;
  readonly nick: string | null;
  readonly user: string | null;
  /** `nick!user@host`, rebuilt whenever nick or user changes (every message carries it). */
  readonly source: string;
  readonly realname: string;
  /** The PASS parameter given before registration. */
  readonly password: string | null;
  readonly registered: boolean;
  /** CAP negotiation started and not yet ended: registration waits for CAP END. */
  readonly capNegotiating: boolean;
  readonly capVersion: number;
  readonly caps: ISet<string>;
  /** User modes, as a sorted string of mode letters (e.g. "iow"). */
  readonly modes: string;
  readonly away: string | null;
  /**
   * Folds of the channels this client is in, in join order: a plain array, as a client is in
   * few channels (CHANLIMIT), and scanning a short array is cheaper than any persistent set.
   * Each is State.channels' own key string (NameMap.keyOf), shared by all the members: a NICK
   * or QUIT looking its channels up compares keys by identity.
   */
  readonly channels: readonly string[];
  /**
   * Invitations: channel fold → that channel's serial. An invitation admits once, and only into
   * the channel it was made for: one emptied and created again is another channel.
   */
  readonly invites: IMap<string, number>;
  readonly connectedAt: number;
  readonly signonAt: number;
  /** Lines received while over the flood budget, oldest first, and their total length. */
  readonly held: List<string>;
  readonly heldBytes: number;
  /** IRCv3 MONITOR: the nicks this client watches, as it gave them, distinct under the case-mapping. */
  readonly monitoring: readonly string[];
}

/**
 * How live a client is, as `livenessOf` (liveness.ts) reads it from State.liveness and
 * State.heard: seen and idle times to the second (never later than the client's last line
 * or message, at most a second earlier) and a pending PING. (The flood clock is flood.ts's.)
 */
export interface Liveness {
  /** Last line of any kind, for ping timeouts. */
  readonly seenAt: number;
  /** Last PRIVMSG, or registration: WHOIS idle. */
  readonly activeAt: number;
  /** When the server's keep-alive PING was sent, if unanswered. */
  readonly pingSentAt: number | null;
}

/**
 * Per-client liveness as written (read it with livenessOf, which adds State.heard). Kept apart
 * from State's other fields, which every input copies. Seconds are ms / 1000, rounded down.
 */
export interface LivenessMaps {
  /** Every client's second of its last line as written (or of its connection): the ids of `clients`. */
  readonly seen: IdMap<number>;
  /** The second of a client's last PRIVMSG as written; none since registering: no entry. */
  readonly active: IdMap<number>;
  /** The clients owing a PONG: when the keep-alive PING was sent (ms). */
  readonly pinged: IdMap<number>;
  /** Flood clocks (ms, see FloodConfig); a client without one is not ahead of now. */
  readonly flood: IdMap<number>;
}

export const NO_LIVENESS: LivenessMaps = { seen: IdMap.empty(), active: IdMap.empty(), pinged: IdMap.empty(), flood: IdMap.empty() };

/** The maps with some replaced (one literal, one hidden class, as withState). */
export const withLiveness = (l: LivenessMaps, p: Partial<LivenessMaps>): LivenessMaps => ({
  seen: p.seen ?? l.seen,
  active: p.active ?? l.active,
  pinged: p.pinged ?? l.pinged,
  flood: p.flood ?? l.flood,
});

/**
 * The lines heard in the second `second` and not yet written to State.liveness:
 * `count` notes, each `id * 2 + (1 if the line reset the idle time)`, in `notes.keys[0, count)`.
 * The buffer is shared by the states of one second, each reading only its own prefix, so noting
 * a line writes one number and copies nothing (liveness.ts); no note a state can see ever
 * changes. Written out in one batch when the second is over or the buffer is full.
 */
export class Heard {
  constructor(
    readonly notes: HeardBuffer,
    readonly count: number,
    /** ms / 1000, rounded down. */
    readonly second: number,
  ) {}

  /** The notes, as [id, active] pairs (replay --state prints the state as JSON). */
  toJSON(): { second: number; notes: [ClientId, boolean][] } {
    const notes: [ClientId, boolean][] = [];
    for (let i = 0; i < this.count; i++) notes.push([this.notes.keys[i]! >>> 1, (this.notes.keys[i]! & 1) === 1]);
    return { second: this.second, notes };
  }
}

/**
 * An append-only buffer of notes. `used` is how far some state has filled it: a state whose
 * count is `used` may write the next slot in place; any other (an older state noting a line in
 * its turn, as a test may) copies its prefix to a buffer of its own first.
 */
export class HeardBuffer {
  constructor(
    readonly keys: Uint32Array,
    public used: number,
  ) {}
}

export interface ListEntry {
  readonly mask: string;
  readonly setBy: string;
  readonly setAt: number;
}

export interface Topic {
  readonly text: string;
  readonly setBy: string;
  readonly setAt: number;
}

export interface ChannelModes {
  readonly inviteOnly: boolean; // i
  readonly topicLocked: boolean; // t
  readonly noExternal: boolean; // n
  readonly moderated: boolean; // m
  readonly secret: boolean; // s
  readonly private: boolean; // p
  readonly key: string | null; // k
  readonly limit: number | null; // l
}

/** A member's channel privileges as mode letters in PREFIX order: '', 'o', 'v' or 'ov'. */
export type MemberModes = string;

export interface Channel {
  readonly name: string;
  /** Which channel of this name: counters.channels when it was created. */
  readonly serial: number;
  readonly createdAt: number;
  readonly topic: Topic | null;
  readonly modes: ChannelModes;
  /**
   * The members, as a plain array in join order (NAMES lists them that way). Copied on join and
   * part, which already cost O(members) in output; a channel message addresses this array
   * itself, so its recipient list costs the core nothing. Membership is a scan of it (see
   * isMember): every command that asks is answered to, or broadcast to, O(members) anyway.
   */
  readonly memberIds: readonly ClientId[];
  /** Each member's channel privileges, at its index in memberIds. */
  readonly memberModes: readonly MemberModes[];
  readonly bans: List<ListEntry>;
  readonly excepts: List<ListEntry>;
  readonly invex: List<ListEntry>;
}

export interface WhowasEntry {
  readonly nick: string;
  readonly user: string;
  readonly host: string;
  readonly realname: string;
  readonly at: number;
}

export interface Counters {
  /** Connections ever accepted. */
  readonly connections: number;
  /** Highest number of registered clients at once (LUSERS 265/266 "max"). */
  readonly maxUsers: number;
  /** Channels ever created: the next channel's serial. */
  readonly channels: number;
}

/** Counts LUSERS reports, kept up to date so registering costs no scan of every client. */
export interface Census {
  readonly registered: number;
  readonly invisible: number;
  readonly opers: number;
}

export interface State {
  readonly config: ServerConfig;
  /** Time of the input being processed (ms), set by apply(). */
  readonly now: number;
  /** Sequence number of the input being processed, set by apply(). */
  readonly seq: number;
  readonly clients: IdMap<Client>;
  /** When clients were last heard from and active, pending PINGs, flood clocks (liveness.ts). */
  readonly liveness: LivenessMaps;
  /** Lines heard and not yet written to `liveness.seen` and `liveness.active`. */
  readonly heard: Heard;
  /** Folded nick → client id, for registered and unregistered nick holders alike. */
  readonly nicks: NameMap<ClientId>;
  /** Folded channel name → channel, unordered (see channelsInOrder). */
  readonly channels: NameMap<Channel>;
  /** MONITOR's reverse index: folded nick → the clients watching it (none: no entry). */
  readonly watchers: NameMap<readonly ClientId[]>;
  /** Connected clients per host (hostOf their address): the per-host limit in O(log n). */
  readonly hostCounts: NameMap<number>;
  /** Clients with held lines (flood control), so a tick need not scan every client. */
  readonly throttled: ISet<ClientId>;
  /** Departed nicks, newest first, bounded by limits.whowasLen. */
  readonly whowas: Whowas;
  readonly counters: Counters;
  readonly census: Census;
}

/** No lines heard yet, in the second of `now` (liveness.ts keeps times to 1000 ms). */
export const noHeard = (now: number): Heard => new Heard(new HeardBuffer(new Uint32Array(0), 0), 0, Math.floor(now / 1000));

export const initialState = (config: ServerConfig = defaultConfig): State => ({
  config,
  now: config.createdAt,
  seq: 0,
  clients: IdMap.empty(),
  liveness: NO_LIVENESS,
  heard: noHeard(config.createdAt),
  nicks: NameMap.empty(),
  channels: NameMap.empty(),
  watchers: NameMap.empty(),
  hostCounts: NameMap.empty(),
  throttled: ISet(),
  whowas: Whowas.empty(),
  counters: { connections: 0, maxUsers: 0, channels: 0 },
  census: { registered: 0, invisible: 0, opers: 0 },
});

// ---- Updating entities ------------------------------------------------------------------------
// A changed State, Client or Channel is built by these, never by object spread: every field is
// listed in one order, so all instances share one hidden class (reads stay monomorphic), and V8
// builds such a literal several times faster than `{ ...c, x }` (a measured 3x on a client write).
// A patch field left undefined keeps the old value; no field of these types is ever undefined.

const pick = <T>(p: T | undefined, old: T): T => (p === undefined ? old : p);

export const withState = (s: State, p: Partial<State>): State => ({
  config: pick(p.config, s.config),
  now: pick(p.now, s.now),
  seq: pick(p.seq, s.seq),
  clients: pick(p.clients, s.clients),
  liveness: pick(p.liveness, s.liveness),
  heard: pick(p.heard, s.heard),
  nicks: pick(p.nicks, s.nicks),
  channels: pick(p.channels, s.channels),
  watchers: pick(p.watchers, s.watchers),
  hostCounts: pick(p.hostCounts, s.hostCounts),
  throttled: pick(p.throttled, s.throttled),
  whowas: pick(p.whowas, s.whowas),
  counters: pick(p.counters, s.counters),
  census: pick(p.census, s.census),
});

export const withClient = (c: Client, p: Partial<Client>): Client => ({
  id: c.id,
  host: pick(p.host, c.host),
  address: pick(p.address, c.address),
  tls: pick(p.tls, c.tls),
  nick: pick(p.nick, c.nick),
  user: pick(p.user, c.user),
  source: pick(p.source, c.source),
  realname: pick(p.realname, c.realname),
  password: pick(p.password, c.password),
  registered: pick(p.registered, c.registered),
  capNegotiating: pick(p.capNegotiating, c.capNegotiating),
  capVersion: pick(p.capVersion, c.capVersion),
  caps: pick(p.caps, c.caps),
  modes: pick(p.modes, c.modes),
  away: pick(p.away, c.away),
  channels: pick(p.channels, c.channels),
  invites: pick(p.invites, c.invites),
  connectedAt: pick(p.connectedAt, c.connectedAt),
  signonAt: pick(p.signonAt, c.signonAt),
  held: pick(p.held, c.held),
  heldBytes: pick(p.heldBytes, c.heldBytes),
  monitoring: pick(p.monitoring, c.monitoring),
});

export const withChannel = (ch: Channel, p: Partial<Channel>): Channel => ({
  name: pick(p.name, ch.name),
  serial: pick(p.serial, ch.serial),
  createdAt: pick(p.createdAt, ch.createdAt),
  topic: pick(p.topic, ch.topic),
  modes: pick(p.modes, ch.modes),
  memberIds: pick(p.memberIds, ch.memberIds),
  memberModes: pick(p.memberModes, ch.memberModes),
  bans: pick(p.bans, ch.bans),
  excepts: pick(p.excepts, ch.excepts),
  invex: pick(p.invex, ch.invex),
});

/**
 * Channels in creation order (by serial), for the listings that show them all (LIST, NAMES).
 * The index itself is unordered: an ordered map costs a second lookup on every message.
 */
export const channelsInOrder = (state: State): Channel[] => [...state.channels.values()].sort((a, b) => a.serial - b.serial);

export const foldName = (state: State, name: string): string => fold(name, state.config.casemapping);

export const clientByNick = (state: State, nick: string): Client | undefined => {
  const id = state.nicks.get(foldName(state, nick));
  return id === undefined ? undefined : state.clients.get(id);
};

export const channelByName = (state: State, name: string): Channel | undefined =>
  state.channels.get(foldName(state, name));

export const setClient = (state: State, client: Client): State => withState(state, { clients: state.clients.set(client.id, client) });

export const setChannel = (state: State, fold: string, channel: Channel): State => withState(state, { channels: state.channels.set(fold, channel) });

/** WHOWAS remembers `c` as it was: newest first, at most limits.whowasLen entries. */
export const remembered = (state: State, c: Client): Whowas => {
  const len = state.config.limits.whowasLen;
  if (len <= 0 || c.nick === null) return state.whowas;
  return state.whowas.add({ nick: c.nick, user: c.user ?? '*', host: c.host, realname: c.realname, at: state.now }, len);
};

/** nick!user@host as it stands for these parts (kept in `Client.source`). */
export const makeSource = (nick: string | null, user: string | null, host: string): string =>
  `${nick ?? '*'}!${user ?? '*'}@${host}`;

/** The source of messages a client originates: computed once per nick or user change. */
export const sourceOf = (c: Client): string => c.source;

export const isOper = (c: Client): boolean => c.modes.includes('o');

const censusOf = (c: Client): Census =>
  c.registered
    ? { registered: 1, invisible: c.modes.includes('i') ? 1 : 0, opers: c.modes.includes('o') ? 1 : 0 }
    : { registered: 0, invisible: 0, opers: 0 };

/** The census with `before` replaced by `after` (either may be absent). */
export const recount = (census: Census, before: Client | undefined, after: Client | undefined): Census => {
  const b = before ? censusOf(before) : { registered: 0, invisible: 0, opers: 0 };
  const a = after ? censusOf(after) : { registered: 0, invisible: 0, opers: 0 };
  if (a.registered === b.registered && a.invisible === b.invisible && a.opers === b.opers) return census;
  return {
    registered: census.registered + a.registered - b.registered,
    invisible: census.invisible + a.invisible - b.invisible,
    opers: census.opers + a.opers - b.opers,
  };
};

/** Replace a client whose registration or user modes change, keeping the census right. */
export const replaceClient = (state: State, before: Client, after: Client): State =>
  withState(state, { clients: state.clients.set(after.id, after), census: recount(state.census, before, after) });
