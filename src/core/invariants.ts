// Every invariant of State, in one place. Tests check them after every step; so does
// `pureircd replay --check`.
import { foldName, makeSource, type State } from './state.js';

/** The invariants that do not hold, as readable sentences (empty when all hold). */
export const checkInvariants = (state: State): string[] => {
  const bad: string[] = [];
  const { clients, nicks, channels } = state;
  // Nick index and clients agree under case-mapping.
  for (const [key, id] of nicks) {
    const c = clients.get(id);
    if (c === undefined) bad.push(`nick ${key} points to missing client ${id}`);
    else if (c.nick === null || foldName(state, c.nick) !== key) bad.push(`nick ${key} points to client ${id} named ${c.nick}`);
  }
  for (const c of clients.values()) {
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
  }
  for (const [key, ch] of channels) {
    if (foldName(state, ch.name) !== key) bad.push(`channel ${ch.name} keyed as ${key}`);
    if (ch.memberIds.length === 0) bad.push(`channel ${ch.name} is empty`);
    if (!(ch.serial >= 1 && ch.serial <= state.counters.channels)) bad.push(`channel ${ch.name} has serial ${ch.serial} of ${state.counters.channels}`);
    if (new Set(ch.memberIds).size !== ch.memberIds.length) bad.push(`channel ${ch.name} lists a member twice: [${ch.memberIds.join(',')}]`);
    if (ch.memberModes.length !== ch.memberIds.length)
      bad.push(`channel ${ch.name} member modes [${ch.memberModes.join(',')}] disagree with its members [${ch.memberIds.join(',')}]`);
    for (let i = 0; i < ch.memberIds.length; i++) {
      const id = ch.memberIds[i]!;
      const modes = ch.memberModes[i] ?? '';
      const c = clients.get(id);
      if (c === undefined) bad.push(`channel ${ch.name} has missing member ${id}`);
      else {
        if (!c.registered) bad.push(`channel ${ch.name} has unregistered member ${id}`);
        if (!c.channels.includes(key)) bad.push(`channel ${ch.name} member ${id} does not list it`);
      }
      if (!/^o?v?$/.test(modes)) bad.push(`channel ${ch.name} member ${id} has modes '${modes}'`);
    }
    if (ch.modes.limit !== null && !(Number.isInteger(ch.modes.limit) && ch.modes.limit > 0))
      bad.push(`channel ${ch.name} has limit ${ch.modes.limit}`);
    for (const list of [ch.bans, ch.excepts, ch.invex])
      for (const e of list) if (!/^[^!@\s]+![^!@\s]+@[^\s]+$/.test(e.mask)) bad.push(`channel ${ch.name} holds unnormalised mask ${e.mask}`);
  }
  if (state.counters.maxClients < clients.size) bad.push(`maxClients ${state.counters.maxClients} < ${clients.size} clients`);
  const census = { registered: 0, invisible: 0, opers: 0 };
  for (const c of clients.values())
    if (c.registered) {
      census.registered++;
      if (c.modes.includes('i')) census.invisible++;
      if (c.modes.includes('o')) census.opers++;
    }
  if (JSON.stringify(census) !== JSON.stringify(state.census)) bad.push(`census ${JSON.stringify(state.census)} should be ${JSON.stringify(census)}`);
  const hosts = new Map<string, number>();
  for (const c of clients.values()) hosts.set(c.host, (hosts.get(c.host) ?? 0) + 1);
  if (state.hostCounts.size !== hosts.size || [...hosts].some(([h, n]) => state.hostCounts.get(h) !== n)) bad.push(`hostCounts ${JSON.stringify(state.hostCounts)} disagree with the clients' hosts`);
  if (state.whowas.size > state.config.limits.whowasLen) bad.push(`whowas holds ${state.whowas.size} entries`);
  // Per client: CHANLIMIT holds, and flood control's held lines agree with `throttled` (a tick
  // visits only throttled clients, so a client holding lines outside it would never be served).
  const { maxChannels, topicLen } = state.config.limits;
  for (const c of clients.values()) {
    if (c.channels.length > maxChannels) bad.push(`client ${c.id} is in ${c.channels.length} channels (CHANLIMIT ${maxChannels})`);
    if ((c.held.size > 0) !== state.throttled.has(c.id)) bad.push(`client ${c.id} holds ${c.held.size} lines but throttled=${state.throttled.has(c.id)}`);
    if (c.heldBytes !== c.held.reduce((n, l) => n + l.length, 0)) bad.push(`client ${c.id} heldBytes ${c.heldBytes} disagrees with its held lines`);
    const l = state.liveness.get(c.id);
    if (l === undefined) bad.push(`client ${c.id} has no liveness`);
    else if (l.pingSentAt !== null && l.pingSentAt > state.now) bad.push(`client ${c.id} pinged in the future`);
  }
  for (const id of state.throttled) if (!clients.has(id)) bad.push(`throttled lists missing client ${id}`);
  if (state.liveness.size !== clients.size) bad.push(`liveness has ${state.liveness.size} entries for ${clients.size} clients`);
  for (const ch of channels.values())
    if (ch.topic !== null && (ch.topic.text === '' || ch.topic.text.length > topicLen)) bad.push(`channel ${ch.name} topic of length ${ch.topic.text.length}`);
  if (state.counters.connections < clients.size) bad.push(`connections ${state.counters.connections} < ${clients.size} clients`);
  return bad;
};

/** Counters that must never go backwards from one state to the next. */
export const checkProgress = (before: State, after: State): string[] => {
  const bad: string[] = [];
  for (const k of ['connections', 'maxClients', 'channels'] as const)
    if (after.counters[k] < before.counters[k]) bad.push(`counter ${k} went back from ${before.counters[k]} to ${after.counters[k]}`);
  if (after.seq < before.seq) bad.push(`seq went back from ${before.seq} to ${after.seq}`);
  if (after.now < before.now) bad.push(`time went back from ${before.now} to ${after.now}`);
  // No client id is reused: a client present in both states is the same connection.
  for (const [id, c] of after.clients) {
    const was = before.clients.get(id);
    if (was !== undefined && was.connectedAt !== c.connectedAt) bad.push(`client id ${id} reused`);
  }
  return bad;
};

export class InvariantError extends Error {}

export const assertInvariants = (state: State): void => {
  const bad = checkInvariants(state);
  if (bad.length > 0) throw new InvariantError(bad.join('; '));
};
