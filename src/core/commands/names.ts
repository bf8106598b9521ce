// NAMES [<channel>{,<channel>}]   (RFC 2812 §3.2.5, Modern IRC "NAMES message")
// Per channel: 353 lines (`=` public, `*` private, `@` secret; each member with its highest
// prefix) then one 366. A missing, invalid or hidden (+s/+p, not a member) channel gets the
// 366 alone: NAMES has no error reply. Invisible users appear only to fellow members.
// Without a parameter (RFC 1459 §4.2.5): every visible channel's 353s, then the visible users
// in no visible channel under channel `*`, then a single `366 nick * :End of /NAMES list`.
import { channelNames, isHiddenFrom, nameFor, namReplies } from '../channel.js';
import type { Effect } from '../effect.js';
import * as N from '../numerics.js';
import { fromClient, numeric } from '../reply.js';
import { channelsInOrder, foldName, type Channel, type Client, type ClientId, type State } from '../state.js';
import { unixSeconds } from '../time.js';
import type { VerbSpec } from '../verb.js';

export interface Names {
  readonly _tag: 'Names';
  readonly channels: readonly string[] | null;
}

/**
 * The JOIN to every member, the joiner included: one Send to the channel's own member array,
 * or, when some member enabled IRCv3 extended-join, those get `JOIN <channel> <account>
 * :<realname>` (account `*`: there are no accounts) in a Send of their own.
 */
const joinLines = (state: State, c: Client, ch: Channel): Effect[] => {
  const ids = ch.memberIds;
  const wants = (id: ClientId): boolean => {
    const m = state.clients.get(id);
    return m !== undefined && m.caps.size !== 0 && m.caps.has('extended-join');
  };
  const first = ids.findIndex(wants);
  if (first < 0) return [fromClient(c, ids, 'JOIN', [ch.name])];
  const plain = ids.slice(0, first);
  const extended = [ids[first]!];
  for (let i = first + 1; i < ids.length; i++) (wants(ids[i]!) ? extended : plain).push(ids[i]!);
  const out = plain.length === 0 ? [] : [fromClient(c, plain, 'JOIN', [ch.name])];
  out.push(fromClient(c, extended, 'JOIN', [ch.name, '*', c.realname], true));
  return out;
};

/** What a joiner is sent: the JOIN echo to all members, then the topic and the names to it. */
export const joinReplies = (state: State, c: Client, ch: Channel): Effect[] => {
  const out: Effect[] = joinLines(state, c, ch);
  if (ch.topic !== null) {
    out.push(
      numeric(state, c, N.RPL_TOPIC, [ch.name], ch.topic.text),
      numeric(state, c, N.RPL_TOPICWHOTIME, [ch.name, ch.topic.setBy, unixSeconds(ch.topic.setAt)]),
    );
  }
  out.push(...channelNames(state, c, ch), numeric(state, c, N.RPL_ENDOFNAMES, [ch.name]));
  return out;
};

/** NAMES without a parameter: the one place NAMES looks at every channel and client. */
const namesAll = (state: State, c: Client): Effect[] => {
  const out: Effect[] = [];
  const placed = new Set<ClientId>();
  for (const ch of channelsInOrder(state)) {
    if (isHiddenFrom(ch, c.id)) continue;
    out.push(...channelNames(state, c, ch));
    for (const id of ch.memberIds) placed.add(id);
  }
  const rest: string[] = [];
  const name = nameFor(c);
  for (const x of state.clients.values()) {
    if (!x.registered || x.nick === null || placed.has(x.id)) continue;
    if (x.modes.includes('i') && x.id !== c.id) continue;
    rest.push(name(x));
  }
  out.push(...namReplies(state, c, '*', '*', rest), numeric(state, c, N.RPL_ENDOFNAMES, ['*']));
  return out;
};

export const names: VerbSpec<Names> = {
  verbs: ['NAMES'],
  minParams: 0,
  beforeRegistration: false,
  operOnly: false,
  decode: (m) => {
    const list = m.params[0]?.split(',').filter((x) => x !== '') ?? [];
    return { _tag: 'Names', channels: list.length === 0 ? null : list };
  },
  handle: (state, c, cmd) => {
    if (cmd.channels === null) return [state, namesAll(state, c)];
    const out: Effect[] = [];
    const seen = new Set<string>();
    for (const raw of cmd.channels) {
      const key = foldName(state, raw);
      if (seen.has(key)) continue;
      seen.add(key);
      const ch = state.channels.get(key);
      if (ch === undefined || isHiddenFrom(ch, c.id)) {
        out.push(numeric(state, c, N.RPL_ENDOFNAMES, [raw]));
        continue;
      }
      out.push(...channelNames(state, c, ch), numeric(state, c, N.RPL_ENDOFNAMES, [ch.name]));
    }
    return [state, out];
  },
};
