// Channel helpers shared by the channel commands: membership, privileges, list-mode matching.
import { List, OrderedMap } from 'immutable';
import { globMatch } from './mask.js';
import { sourceOf, type Channel, type Client, type ClientId, type ListEntry, type State } from './state.js';

export const newChannel = (name: string, now: number): Channel => ({
  name,
  createdAt: now,
  topic: null,
  modes: {
    inviteOnly: false,
    topicLocked: true,
    noExternal: true,
    moderated: false,
    secret: false,
    private: false,
    key: null,
    limit: null,
  },
  members: OrderedMap(),
  bans: List(),
  excepts: List(),
  invex: List(),
});

export const isMember = (ch: Channel, id: ClientId): boolean => ch.members.has(id);
export const isOp = (ch: Channel, id: ClientId): boolean => (ch.members.get(id) ?? '').includes('o');
export const isVoiced = (ch: Channel, id: ClientId): boolean => (ch.members.get(id) ?? '').includes('v');

/** The highest prefix of a member ('@', '+' or ''); all prefixes with multi-prefix. */
export const prefixOf = (modes: string, all = false): string => {
  const p = (modes.includes('o') ? '@' : '') + (modes.includes('v') ? '+' : '');
  return all ? p : p.slice(0, 1);
};

/** Does any entry of a list mode match this client's nick!user@host? */
export const listMatches = (state: State, list: List<ListEntry>, c: Client): boolean => {
  if (list.size === 0) return false;
  const who = sourceOf(c);
  const cm = state.config.casemapping;
  return list.some((e) => globMatch(e.mask, who, cm) || globMatch(e.mask, `${c.nick}!${c.user}@${c.address}`, cm));
};

/** Banned: matched by a ban (+b) and by no exception (+e). */
export const isBanned = (state: State, ch: Channel, c: Client): boolean =>
  listMatches(state, ch.bans, c) && !listMatches(state, ch.excepts, c);

/**
 * Why a client may not speak in a channel, or null if it may: +n keeps outsiders out; +m and
 * bans silence all but voiced users and operators.
 */
export const cannotSpeak = (state: State, ch: Channel, c: Client): string | null => {
  const modes = ch.members.get(c.id);
  if (modes === undefined) {
    if (ch.modes.noExternal) return 'no external messages';
    if (ch.modes.moderated) return 'moderated';
    return isBanned(state, ch, c) ? 'banned' : null;
  }
  if (modes !== '') return null;
  if (ch.modes.moderated) return 'moderated';
  return isBanned(state, ch, c) ? 'banned' : null;
};

/** Member ids except one (the sender), optionally only those with a status of at least `min`. */
export const recipients = (ch: Channel, except: ClientId, min: '' | 'v' | 'o' = ''): ClientId[] => {
  const to: ClientId[] = [];
  if (min === '') {
    for (const id of ch.members.keys()) if (id !== except) to.push(id);
  } else {
    for (const [id, m] of ch.members) {
      if (id !== except && (m.includes('o') || (min === 'v' && m.includes('v')))) to.push(id);
    }
  }
  return to;
};
