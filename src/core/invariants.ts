// Every invariant of State, in one place. Tests check them after every step; so does
// `pureircd replay --check`, through checkStep, which looks only at what a step changed.
import type { Census, Channel, Client, ClientId, State } from './state.js';
import { HEARD_MAX, LIVENESS_RESOLUTION_MS } from './liveness.js';
import { foldName, makeSource } from './state.js';
import { MONITOR_LIMIT } from './commands/monitor.js';

// ---- One entity at a time --------------------------------------------------------------------
// Each reads the rest of the state it needs; checkInvariants runs them on every entity,
// checkStep on the entities a step changed and on those whose checks read a changed entity.

/** A nick index entry: it points to a client of that nick, under case-mapping. */
const checkNick = (state: State, key: string, id: ClientId, bad: string[]): void => {
  const c = state.clients.get(id);
  if (c === undefined) bad.push(`nick ${key} points to missing client ${id}`);
  else if (c.nick === null || foldName(state, c.nick) !== key) bad.push(`nick ${key} points to client ${id} named ${c.nick}`);
};

const checkClient = (state: State, c: Client, bad: string[]): void => {
  const { nicks, channels } = state;
  if (c.nick !== null && nicks.get(foldName(state, c.nick)) !== c.id) bad.push(`client ${c.id} nick ${c.nick} not indexed`);
  if (c.registered && (c.nick === null || c.user === null)) bad.push(`client ${c.id} registered without nick/user`);
  if (c.source !== makeSource(c.nick, c.user, c.host)) bad.push(`client ${c.id} source ${c.source} is stale`);
  // Channel lists agree both ways.
  for (const key of c.channels) {
    const ch = channels.get(key);
    if (ch === undefined) bad.push(`client ${c.id} lists missing channel ${key}`);
    else if (!ch.memberIds.includes(c.id)) bad.push(`client ${c.id} lists ${key} but is not a member`);
  }
  if (new Set(c.channels).size !== c.channels.length) bad.push(`client ${c.id} lists a channel twice: ${c.channels.join(',')}`);
  if (!c.registered && c.channels.length > 0) bad.push(`unregistered client ${c.id} is in channels`);
  // Flood control's held lines agree with `throttled` (a tick visits only throttled clients, so
  // a client holding lines outside it would never be served). CHANLIMIT is checked of steps, in
  // checkProgress: a REHASH may lower it below what a client is in.
  if ((c.held.size > 0) !== state.throttled.has(c.id)) bad.push(`client ${c.id} holds ${c.held.size} lines but throttled=${state.throttled.has(c.id)}`);
  if (c.heldBytes !== c.held.reduce((n, l) => n + l.length, 0)) bad.push(`client ${c.id} heldBytes ${c.heldBytes} disagrees with its held lines`);
  // MONITOR: a list of distinct nicks (under the case-mapping), each indexed to this watcher.
  if (c.monitoring.length > 0) {
    const folds = c.monitoring.map((t) => foldName(state, t));
    if (new Set(folds).size !== folds.length) bad.push(`client ${c.id} monitors a nick twice: ${c.monitoring.join(',')}`);
    if (folds.length > MONITOR_LIMIT) bad.push(`client ${c.id} monitors ${folds.length} nicks`);
    for (const f of folds) if (!(state.watchers.get(f) ?? []).includes(c.id)) bad.push(`client ${c.id} monitors ${f} but is not indexed as its watcher`);
  }
  // Liveness (liveness.ts): a `seen` second for every client; an idle second and a pending PING
  // only for a registered one; none in the future.
  const second = Math.floor(state.now / LIVENESS_RESOLUTION_MS);
  const seen = state.liveness.seen.get(c.id);
  if (seen === undefined) bad.push(`client ${c.id} has no seen time`);
  else if (seen > second) bad.push(`client ${c.id} seen in the future`);
  const active = state.liveness.active.get(c.id);
  if (active !== undefined && (!c.registered || active > second)) bad.push(`client ${c.id} active at second ${active} (registered=${c.registered})`);
  const pinged = state.liveness.pinged.get(c.id);
  if (pinged !== undefined && (!c.registered || pinged > state.now)) bad.push(`client ${c.id} pinged at ${pinged} (registered=${c.registered})`);
};

const LIVENESS_MAPS = ['seen', 'active', 'pinged', 'flood'] as const;

/** No liveness entry outlives its client. */
const checkLivenessOf = (state: State, id: ClientId, bad: string[]): void => {
  if (state.clients.has(id)) return;
  for (const name of LIVENESS_MAPS) if (state.liveness[name].has(id)) bad.push(`${name} has an entry for missing client ${id}`);
};

/** A MONITOR reverse-index entry: distinct watchers, each a client whose list holds that nick. */
const checkWatched = (state: State, key: string, ids: readonly ClientId[], bad: string[]): void => {
  if (ids.length === 0) bad.push(`watchers of ${key} kept empty`);
  if (new Set(ids).size !== ids.length) bad.push(`watchers of ${key} list one twice: [${ids.join(',')}]`);
  for (const id of ids) {
    const c = state.clients.get(id);
    if (c === undefined) bad.push(`watchers of ${key} list missing client ${id}`);
    else if (!c.monitoring.some((t) => foldName(state, t) === key)) bad.push(`watchers of ${key} list client ${id}, which does not monitor it`);
  }
};

/** The member modes a channel may hold for one member (/^o?v?$/, without a regex per member). */
const memberModesValid = (m: string): boolean => m === '' || m === 'o' || m === 'v' || m === 'ov';

/** The member at `i` of a channel: its client exists, is registered and lists the channel. */
const checkMember = (state: State, key: string, ch: Channel, i: number, bad: string[]): void => {
  const id = ch.memberIds[i]!;
  const modes = ch.memberModes[i] ?? '';
  const c = state.clients.get(id);
  if (c === undefined) bad.push(`channel ${ch.name} has missing member ${id}`);
  else {
    if (!c.registered) bad.push(`channel ${ch.name} has unregistered member ${id}`);
    if (!c.channels.includes(key)) bad.push(`channel ${ch.name} member ${id} does not list it`);
  }
  if (!memberModesValid(modes)) bad.push(`channel ${ch.name} member ${id} has modes '${modes}'`);
};

const checkChannel = (state: State, key: string, ch: Channel, bad: string[]): void => {
  if (foldName(state, ch.name) !== key) bad.push(`channel ${ch.name} keyed as ${key}`);
  if (ch.memberIds.length === 0) bad.push(`channel ${ch.name} is empty`);
  if (!(ch.serial >= 1 && ch.serial <= state.counters.channels)) bad.push(`channel ${ch.name} has serial ${ch.serial} of ${state.counters.channels}`);
  if (new Set(ch.memberIds).size !== ch.memberIds.length) bad.push(`channel ${ch.name} lists a member twice: [${ch.memberIds.join(',')}]`);
  if (ch.memberModes.length !== ch.memberIds.length)
    bad.push(`channel ${ch.name} member modes [${ch.memberModes.join(',')}] disagree with its members [${ch.memberIds.join(',')}]`);
  for (let i = 0; i < ch.memberIds.length; i++) checkMember(state, key, ch, i, bad);
  if (ch.modes.limit !== null && !(Number.isInteger(ch.modes.limit) && ch.modes.limit > 0))
    bad.push(`channel ${ch.name} has limit ${ch.modes.limit}`);
  for (const list of [ch.bans, ch.excepts, ch.invex]) {
    if (list.size === 0) continue;
    for (const e of list) if (!/^[^!@\s]+![^!@\s]+@[^\s]+$/.test(e.mask)) bad.push(`channel ${ch.name} holds unnormalised mask ${e.mask}`);
  }
  // No topic is the null topic; its length (TOPICLEN) is checked of steps, in checkProgress.
  if (ch.topic !== null && ch.topic.text === '') bad.push(`channel ${ch.name} topic of length 0`);
};

// ---- Totals ------------------------------------------------------------------------------------

// What one client adds to the census, written here again rather than taken from state.ts's
// recount: a check that shared the code it checks would share its mistakes.
const censusOf = (c: Client): Census =>
  c.registered
    ? { registered: 1, invisible: c.modes.includes('i') ? 1 : 0, opers: c.modes.includes('o') ? 1 : 0 }
    : { registered: 0, invisible: 0, opers: 0 };

const plus = (a: Census, b: Census, sign = 1): Census => ({
  registered: a.registered + sign * b.registered,
  invisible: a.invisible + sign * b.invisible,
  opers: a.opers + sign * b.opers,
});

/** The checks on the whole, given the census and the per-host counts the clients add up to. */
const checkTotals = (state: State, census: Census, hostsAgree: boolean, bad: string[]): void => {
  if (state.counters.maxUsers < census.registered) bad.push(`maxUsers ${state.counters.maxUsers} < ${census.registered} registered clients`);
  const now = state.census;
  if (census.registered !== now.registered || census.invisible !== now.invisible || census.opers !== now.opers)
    bad.push(`census ${JSON.stringify(state.census)} should be ${JSON.stringify(census)}`);
  if (!hostsAgree) bad.push(`hostCounts ${JSON.stringify(state.hostCounts)} disagree with the clients' hosts`);
  if (state.whowas.size > state.config.limits.whowasLen) bad.push(`whowas holds ${state.whowas.size} entries`);
};

/** State.heard (liveness.ts): within HEARD_MAX, within its buffer, not of a second to come. */
const checkHeard = (state: State, bad: string[]): void => {
  const { notes, count, second } = state.heard;
  if (count > HEARD_MAX || count > notes.used || notes.used > notes.keys.length)
    bad.push(`heard holds ${count} notes (buffer used ${notes.used} of ${notes.keys.length}, at most ${HEARD_MAX})`);
  if (second > Math.floor(state.now / LIVENESS_RESOLUTION_MS)) bad.push(`heard notes second ${second}, after now (${state.now})`);
};

/** The size checks, after the per-entity ones (their messages come last). */
const checkSizes = (state: State, bad: string[]): void => {
  if (state.liveness.seen.size !== state.clients.size) bad.push(`seen has ${state.liveness.seen.size} entries for ${state.clients.size} clients`);
  if (state.counters.connections < state.clients.size) bad.push(`connections ${state.counters.connections} < ${state.clients.size} clients`);
};

// ---- The whole state ---------------------------------------------------------------------------

/** The invariants that do not hold, as readable sentences (empty when all hold). O(state). */
export const checkInvariants = (state: State): string[] => {
  const bad: string[] = [];
  const { clients, nicks, channels } = state;
  for (const [key, id] of nicks) checkNick(state, key, id, bad);
  for (const c of clients.values()) checkClient(state, c, bad);
  for (const [key, ch] of channels) checkChannel(state, key, ch, bad);
  for (const [key, ids] of state.watchers) checkWatched(state, key, ids, bad);
  let census: Census = { registered: 0, invisible: 0, opers: 0 };
  const hosts = new Map<string, number>();
  for (const c of clients.values()) {
    census = plus(census, censusOf(c));
    hosts.set(c.host, (hosts.get(c.host) ?? 0) + 1);
  }
  const hostsAgree = state.hostCounts.size === hosts.size && [...hosts].every(([h, n]) => state.hostCounts.get(h) === n);
  checkTotals(state, census, hostsAgree, bad);
  for (const id of state.throttled) if (!clients.has(id)) bad.push(`throttled lists missing client ${id}`);
  checkSizes(state, bad);
  const livenessIds = new Set<ClientId>();
  for (const name of LIVENESS_MAPS) for (const id of state.liveness[name].keys()) livenessIds.add(id);
  for (const id of livenessIds) checkLivenessOf(state, id, bad);
  checkHeard(state, bad);
  return bad;
};

/**
 * The invariants that do not hold in `after`, given that all hold in `before` and `after` came
 * from it by one step: the same sentences as checkInvariants(after) (in another order), found by
 * looking only at what changed (the maps' changesSince) and at the entities whose checks read
 * it. A step changes a few entries, so this costs about what the step did, where
 * checkInvariants costs the whole state: what lets `pureircd replay --check` check every step
 * of a long log. The entity checks read the configuration (the case-mapping names are keyed by):
 * a step that changes it (REHASH) is checked whole.
 */
export const checkStep = (before: State, after: State): string[] => {
  if (before.config !== after.config) return checkInvariants(after);
  const clientIds = new Set<ClientId>();
  const channelKeys = new Set<string>();
  const nickKeys = new Map<string, ClientId>();
  /** MONITOR entries to check again: those changed, and those of changed clients' lists. */
  const watchKeys = new Set<string>();
  // Channels whose record is unchanged but some of whose members' clients changed: only those
  // members' entries are read again (a NICK need not recheck its channels' other members).
  const memberKeys = new Map<string, ClientId[]>();
  // A client's checks read its nick entry, its channels, its liveness and `throttled`; a
  // channel member's entry reads its client; a nick entry's reads its client.
  const touchClient = (c: Client | undefined): void => {
    if (c === undefined) return;
    clientIds.add(c.id);
    for (const key of c.channels) {
      const ids = memberKeys.get(key);
      if (ids === undefined) memberKeys.set(key, [c.id]);
      else if (!ids.includes(c.id)) ids.push(c.id);
    }
    if (c.nick !== null) {
      const key = foldName(after, c.nick);
      const id = after.nicks.get(key);
      if (id !== undefined) nickKeys.set(key, id);
    }
  };
  // A channel's members that joined or left: their own checks read its member list.
  const touchChannel = (key: string, was: Channel | undefined, now: Channel | undefined): void => {
    channelKeys.add(key);
    const then = new Set(was?.memberIds ?? []);
    const members = new Set(now?.memberIds ?? []);
    for (const id of then) if (!members.has(id)) clientIds.add(id);
    for (const id of members) if (!then.has(id)) clientIds.add(id);
  };
  let census = before.census;
  const hostDelta = new Map<string, number>();
  for (const [id, was, now] of after.clients.changesSince(before.clients)) {
    clientIds.add(id);
    touchClient(was);
    touchClient(now);
    // A MONITOR entry reads its watchers' lists: recheck those of a list that changed.
    if (was?.monitoring !== now?.monitoring) {
      for (const t of was?.monitoring ?? []) watchKeys.add(foldName(after, t));
      for (const t of now?.monitoring ?? []) watchKeys.add(foldName(after, t));
    }
    if (was !== undefined) {
      census = plus(census, censusOf(was), -1);
      hostDelta.set(was.host, (hostDelta.get(was.host) ?? 0) - 1);
    }
    if (now !== undefined) {
      census = plus(census, censusOf(now));
      hostDelta.set(now.host, (hostDelta.get(now.host) ?? 0) + 1);
    }
  }
  for (const [key, was, now] of after.channels.changesSince(before.channels)) touchChannel(key, was, now);
  for (const [key, was, now] of after.nicks.changesSince(before.nicks)) {
    if (now !== undefined) nickKeys.set(key, now);
    if (was !== undefined) clientIds.add(was);
    if (now !== undefined) clientIds.add(now);
  }
  for (const name of LIVENESS_MAPS) for (const [id] of after.liveness[name].changesSince(before.liveness[name])) clientIds.add(id);
  for (const [key, was, now] of after.watchers.changesSince(before.watchers)) {
    watchKeys.add(key);
    for (const id of was ?? []) clientIds.add(id);
    for (const id of now ?? []) clientIds.add(id);
  }
  const throttledChanged = before.throttled !== after.throttled;
  if (throttledChanged) for (const id of new Set([...before.throttled, ...after.throttled])) clientIds.add(id);

  const bad: string[] = [];
  // Per entity, in checkInvariants' order; the touched sets can name entities now gone.
  for (const [key, id] of nickKeys) if (after.nicks.get(key) === id) checkNick(after, key, id, bad);
  for (const id of [...clientIds].sort((a, b) => a - b)) {
    const c = after.clients.get(id);
    if (c !== undefined) checkClient(after, c, bad);
  }
  for (const key of channelKeys) {
    const ch = after.channels.get(key);
    if (ch !== undefined) checkChannel(after, key, ch, bad);
  }
  for (const key of watchKeys) {
    const ids = after.watchers.get(key);
    if (ids !== undefined) checkWatched(after, key, ids, bad);
  }
  for (const [key, ids] of memberKeys) {
    const ch = channelKeys.has(key) ? undefined : after.channels.get(key);
    if (ch === undefined) continue;
    for (const id of ids) {
      const i = ch.memberIds.indexOf(id);
      if (i >= 0) checkMember(after, key, ch, i, bad);
    }
  }
  // The per-host counts agree if each host's count is what it was plus what its clients did
  // (absent = 0), for every host either changed, and no host is kept at 0.
  let hostsAgree = true;
  for (const [h, , now] of after.hostCounts.changesSince(before.hostCounts)) {
    if (now === 0) hostsAgree = false;
    if (!hostDelta.has(h)) hostDelta.set(h, 0);
  }
  for (const [h, d] of hostDelta) if ((after.hostCounts.get(h) ?? 0) !== (before.hostCounts.get(h) ?? 0) + d) hostsAgree = false;
  checkTotals(after, census, hostsAgree, bad);
  if (throttledChanged) for (const id of after.throttled) if (!after.clients.has(id)) bad.push(`throttled lists missing client ${id}`);
  checkSizes(after, bad);
  for (const id of clientIds) checkLivenessOf(after, id, bad);
  checkHeard(after, bad);
  return bad;
};

/** Counters that must never go backwards from one state to the next. */
export const checkProgress = (before: State, after: State): string[] => {
  const bad: string[] = [];
  for (const k of ['connections', 'maxUsers', 'channels'] as const)
    if (after.counters[k] < before.counters[k]) bad.push(`counter ${k} went back from ${before.counters[k]} to ${after.counters[k]}`);
  if (after.seq < before.seq) bad.push(`seq went back from ${before.seq} to ${after.seq}`);
  if (after.now < before.now) bad.push(`time went back from ${before.now} to ${after.now}`);
  // No client id is reused: a client present in both states is the same connection. Only the
  // clients whose records changed can differ.
  // Limits hold of what a step admits, not of the whole state: a REHASH that lowers CHANLIMIT or
  // TOPICLEN removes nobody from a channel and cuts no topic (commands/rehash.ts).
  const { maxChannels, topicLen } = after.config.limits;
  for (const [id, was, c] of after.clients.changesSince(before.clients)) {
    if (was !== undefined && c !== undefined && was.connectedAt !== c.connectedAt) bad.push(`client id ${id} reused`);
    if (c !== undefined && c.channels.length > maxChannels && c.channels.length > (was?.channels.length ?? 0))
      bad.push(`client ${id} joined a channel beyond CHANLIMIT ${maxChannels} (now in ${c.channels.length})`);
  }
  for (const [, was, ch] of after.channels.changesSince(before.channels))
    if (ch !== undefined && ch.topic !== null && ch.topic !== was?.topic && ch.topic.text.length > topicLen)
      bad.push(`channel ${ch.name} topic set with length ${ch.topic.text.length} (TOPICLEN ${topicLen})`);
  return bad;
};

export class InvariantError extends Error {}

export const assertInvariants = (state: State): void => {
  const bad = checkInvariants(state);
  if (bad.length > 0) throw new InvariantError(bad.join('; '));
};
