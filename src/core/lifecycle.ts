// Connections arriving and leaving, and the passing of time (keep-alive PINGs, timeouts).
import { unwatchAll, wentOffline } from './commands/monitor.js';
import { List, Map as IMap, Set as ISet } from 'immutable';
import { close, log, send, type Effect } from './effect.js';
import { peersOf, withoutMember } from './channel.js';
import { bare, fromClient } from './reply.js';
import { LIVENESS_RESOLUTION_MS, writeHeard } from './liveness.js';
import { foldName, makeSource, NO_LIVENESS, noHeard, withLiveness, recount, remembered, type Client, type ClientId, type State, withState } from './state.js';
import type { Result } from './verb.js';

/** IPv6 addresses like ::1 would start a parameter with ':'; servers write them as 0::1. */
export const hostOf = (address: string): string => {
  const a = address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
  return a.startsWith(':') ? '0' + a : a;
};

/** `ERROR :Closing link: user@host (reason)`, the last line a departing client is sent. */
export const errorLine = (user: string | null, host: string, reason: string): string =>
  `ERROR :Closing link: ${user ?? '*'}@${host} (${reason})`;

/** 127.0.0.0/8 and ::1 (as hostOf writes them): exempt from the per-host limit when configured. */
export const isLoopback = (host: string): boolean => host.startsWith('127.') || host === '0::1';

/** hostCounts with one more (+1) or one fewer (-1) client from `host`; a zero count is removed. */
const countHost = (counts: State['hostCounts'], host: string, delta: 1 | -1): State['hostCounts'] => {
  const n = (counts.get(host) ?? 0) + delta;
  return n > 0 ? counts.set(host, n) : counts.delete(host);
};

export const connected = (state: State, id: ClientId, address: string, tls: boolean): Result => {
  const host = hostOf(address);
  const { maxClients, maxClientsPerHost, exemptLoopback } = state.config.limits;
  // Refused before it exists: the client is told why, and the state does not change.
  const refuse = (why: string): Result => [
    state,
    [send([id], errorLine(null, host, why)), close(id, why), log('warn', `refused connection from ${host}: ${why}`)],
  ];
  if (state.clients.has(id)) return [state, [log('error', `client id ${id} reused`)]];
  if (maxClients > 0 && state.clients.size >= maxClients) return refuse('Too many connections');
  if (maxClientsPerHost > 0 && !(exemptLoopback && isLoopback(host)) && (state.hostCounts.get(host) ?? 0) >= maxClientsPerHost)
    return refuse('Too many connections from your host');
  const client: Client = {
    id,
    host,
    address,
    tls,
    nick: null,
    user: null,
    source: makeSource(null, null, host),
    realname: '',
    password: null,
    registered: false,
    capNegotiating: false,
    capVersion: 0,
    caps: ISet(),
    modes: '',
    away: null,
    channels: [],
    invites: IMap(),
    connectedAt: state.now,
    signonAt: state.now,
    held: List(),
    heldBytes: 0,
    monitoring: [],
  };
  const clients = state.clients.set(id, client);
  const liveness = withLiveness(state.liveness, { seen: state.liveness.seen.set(id, Math.floor(state.now / LIVENESS_RESOLUTION_MS)) });
  const counters = { ...state.counters, connections: state.counters.connections + 1 };
  const hostCounts = countHost(state.hostCounts, host, 1);
  return [withState(state, { clients, liveness, hostCounts, counters }), [log('debug', `client ${id} connected from ${host}${tls ? ' (TLS)' : ''}`)]];
};

/**
 * Remove a client: QUIT once to every client sharing a channel with it, leave its channels
 * (an emptied channel ceases to exist), free its nick, remember it for WHOWAS, then send it
 * ERROR and close. `error` null skips the ERROR line (the client is already gone).
 */
export const removeClient = (state: State, c: Client, quitMessage: string, error: string | null): Result => {
  const effects: Effect[] = [];
  let channels = state.channels;
  // Peers first: the QUIT goes to everyone who shared a channel, before the channels change.
  const peers = c.registered ? peersOf(state, c, false) : [];
  for (const key of c.channels) {
    const ch = channels.get(key);
    if (ch !== undefined) channels = withoutMember(channels, key, ch, c.id);
  }
  if (peers.length > 0) effects.push(fromClient(c, peers, 'QUIT', [quitMessage], true));
  let { nicks, whowas } = state;
  if (c.nick !== null) {
    const key = foldName(state, c.nick);
    if (nicks.get(key) === c.id) nicks = nicks.delete(key);
    if (c.registered) whowas = remembered(state, c);
  }
  if (error !== null) effects.push(send([c.id], errorLine(c.user, c.host, error)));
  effects.push(close(c.id, quitMessage), log('debug', `client ${c.id} (${c.nick ?? '*'}@${c.host}) left: ${quitMessage}`));
  const throttled = state.throttled.delete(c.id);
  const hostCounts = countHost(state.hostCounts, c.host, -1);
  const census = recount(state.census, state.clients.get(c.id), undefined);
  const watchers = c.monitoring.length === 0 ? state.watchers : unwatchAll(state, c);
  const clients = state.clients.delete(c.id);
  const { seen, active, pinged, flood } = state.liveness;
  // Lines noted of a client gone are skipped when written; once every client is gone, the state
  // holds nothing of any.
  const heard = clients.size === 0 && state.heard.count > 0 ? noHeard(state.now) : state.heard;
  const s = withState(state, {
    clients,
    liveness: { seen: seen.delete(c.id), active: active.delete(c.id), pinged: pinged.delete(c.id), flood: flood.delete(c.id) },
    heard,
    nicks,
    channels,
    watchers,
    whowas,
    throttled,
    hostCounts,
    census,
  });
  // MONITOR: its nick went offline (told to the watchers still here).
  if (c.registered && c.nick !== null) for (const e of wentOffline(s, c.nick)) effects.push(e);
  return [s, effects];
};

export const disconnected = (state: State, id: ClientId, reason: string): Result => {
  const c = state.clients.get(id);
  return c === undefined ? [state, []] : removeClient(state, c, reason, reason);
};

/** A tick: registration timeouts, keep-alive PINGs and ping timeouts. */
export const tick = (tickedAt: State): Result => {
  // The lines noted since the last write are written first: the walk reads only State.liveness.
  const state = writeHeard(tickedAt);
  const { pingIntervalMs, pingTimeoutMs, registrationTimeoutMs, serverName } = state.config;
  const now = state.now;
  let s = state;
  const effects: Effect[] = [];
  const ping: ClientId[] = [];
  // Every client has a `seen` entry (an invariant), walked here in id order. When every client
  // is registered, one heard from within pingIntervalMs that owes no PONG needs nothing, and
  // `seen` and `pinged` say so: a tick then reads no client record but those (3.9 -> 0.7 ms a
  // tick at 10 000 clients, bench/README.md). An unregistered client's timeout runs from its
  // connection, whatever it sent since, so while there are any every client is looked at.
  const anyUnregistered = state.clients.size > state.census.registered;
  const anyPinged = state.liveness.pinged.size > 0;
  state.liveness.seen.forEach((second, id) => {
    const seenAt = second * LIVENESS_RESOLUTION_MS;
    const pingSentAt = anyPinged ? state.liveness.pinged.get(id) : undefined;
    if (!anyUnregistered && pingSentAt === undefined && now - seenAt < pingIntervalMs) return;
    const c = state.clients.get(id);
    if (c === undefined) return;
    if (!c.registered) {
      if (now - c.connectedAt >= registrationTimeoutMs) {
        const [next, out] = removeClient(s, c, 'Registration timeout', 'Registration timeout');
        s = next;
        effects.push(...out);
      }
    } else if (pingSentAt !== undefined) {
      if (now - pingSentAt >= pingTimeoutMs) {
        const why = `Ping timeout: ${Math.floor((now - seenAt) / 1000)} seconds`;
        const [next, out] = removeClient(s, c, why, why);
        s = next;
        effects.push(...out);
      }
    } else if (now - seenAt >= pingIntervalMs) {
      ping.push(c.id);
      s = withState(s, { liveness: withLiveness(s.liveness, { pinged: s.liveness.pinged.set(c.id, now) }) });
    }
  });
  if (ping.length > 0) effects.push(bare(ping, 'PING', [serverName]));
  return [s, effects];
};

/** The server stops: each client is sent ERROR and closed; nobody is sent anyone's QUIT. */
export const shutdown = (state: State, reason: string): Result => {
  const effects: Effect[] = [];
  for (const c of state.clients.values()) effects.push(send([c.id], errorLine(c.user, c.host, reason)), close(c.id, reason));
  const cleared = { clients: state.clients.clear(), liveness: NO_LIVENESS, heard: noHeard(state.now), nicks: state.nicks.clear(), channels: state.channels.clear(), watchers: state.watchers.clear(), throttled: state.throttled.clear(), hostCounts: state.hostCounts.clear(), census: { registered: 0, invisible: 0, opers: 0 } };
  return [withState(state, cleared), effects];
};
