// The whole server state: immutable. Collections are Immutable.js persistent maps (O(log n)
// updates with structural sharing); entities are readonly plain objects replaced by spread,
// which is cheaper to read than Immutable Records and copies only a handful of references.
import { List, Map as IMap, OrderedMap, Set as ISet } from 'immutable';
import { fold } from './casemap.js';
export const defaultLimits = {
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
export const defaultConfig = {
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
export const initialState = (config = defaultConfig) => ({
    config,
    now: config.createdAt,
    clients: IMap(),
    nicks: IMap(),
    channels: OrderedMap(),
    hostCounts: IMap(),
    throttled: ISet(),
    whowas: List(),
    counters: { seq: 0, connections: 0, maxClients: 0 },
    census: { registered: 0, invisible: 0, opers: 0 },
});
export const foldName = (state, name) => fold(name, state.config.casemapping);
export const clientByNick = (state, nick) => {
    const id = state.nicks.get(foldName(state, nick));
    return id === undefined ? undefined : state.clients.get(id);
};
export const channelByName = (state, name) => state.channels.get(foldName(state, name));
export const setClient = (state, client) => ({
    ...state,
    clients: state.clients.set(client.id, client),
});
export const setChannel = (state, fold, channel) => ({
    ...state,
    channels: state.channels.set(fold, channel),
});
/** nick!user@host, the source of messages a client originates. */
export const sourceOf = (c) => `${c.nick ?? '*'}!${c.user ?? '*'}@${c.host}`;
export const hasMode = (c, mode) => c.modes.includes(mode);
export const isOper = (c) => c.modes.includes('o');
const censusOf = (c) => c.registered
    ? { registered: 1, invisible: c.modes.includes('i') ? 1 : 0, opers: c.modes.includes('o') ? 1 : 0 }
    : { registered: 0, invisible: 0, opers: 0 };
/** The census with `before` replaced by `after` (either may be absent). */
export const recount = (census, before, after) => {
    const b = before ? censusOf(before) : { registered: 0, invisible: 0, opers: 0 };
    const a = after ? censusOf(after) : { registered: 0, invisible: 0, opers: 0 };
    if (a.registered === b.registered && a.invisible === b.invisible && a.opers === b.opers)
        return census;
    return {
        registered: census.registered + a.registered - b.registered,
        invisible: census.invisible + a.invisible - b.invisible,
        opers: census.opers + a.opers - b.opers,
    };
};
/** Replace a client whose registration or user modes change, keeping the census right. */
export const replaceClient = (state, before, after) => ({
    ...state,
    clients: state.clients.set(after.id, after),
    census: recount(state.census, before, after),
});
//# sourceMappingURL=state.js.map