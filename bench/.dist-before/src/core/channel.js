// Channel helpers shared by the channel commands: membership, privileges, list-mode matching.
import { List, OrderedMap } from 'immutable';
import { globMatch } from './mask.js';
import { MAX_LINE_BYTES } from './message.js';
import * as N from './numerics.js';
import { numeric, target } from './reply.js';
import { sourceOf } from './state.js';
export const newChannel = (name, now) => ({
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
export const isMember = (ch, id) => ch.members.has(id);
export const isOp = (ch, id) => (ch.members.get(id) ?? '').includes('o');
export const isVoiced = (ch, id) => (ch.members.get(id) ?? '').includes('v');
/** The highest prefix of a member ('@', '+' or ''); all prefixes with multi-prefix. */
export const prefixOf = (modes, all = false) => {
    const p = (modes.includes('o') ? '@' : '') + (modes.includes('v') ? '+' : '');
    return all ? p : p.slice(0, 1);
};
/** Does any entry of a list mode match this client's nick!user@host? */
export const listMatches = (state, list, c) => {
    if (list.size === 0)
        return false;
    const who = sourceOf(c);
    const cm = state.config.casemapping;
    return list.some((e) => globMatch(e.mask, who, cm) || globMatch(e.mask, `${c.nick}!${c.user}@${c.address}`, cm));
};
/** Banned: matched by a ban (+b) and by no exception (+e). */
export const isBanned = (state, ch, c) => listMatches(state, ch.bans, c) && !listMatches(state, ch.excepts, c);
/**
 * Why a client may not speak in a channel, or null if it may: +n keeps outsiders out; +m and
 * bans silence all but voiced users and operators.
 */
export const cannotSpeak = (state, ch, c) => {
    const modes = ch.members.get(c.id);
    if (modes === undefined) {
        if (ch.modes.noExternal)
            return 'no external messages';
        if (ch.modes.moderated)
            return 'moderated';
        return isBanned(state, ch, c) ? 'banned' : null;
    }
    if (modes !== '')
        return null;
    if (ch.modes.moderated)
        return 'moderated';
    return isBanned(state, ch, c) ? 'banned' : null;
};
/** Member ids except one (the sender), optionally only those with a status of at least `min`. */
export const recipients = (ch, except, min = '') => {
    const to = [];
    // forEach, not for-of: Immutable's iterator protocol allocates per step; this is the hot loop.
    if (min === '') {
        ch.members.forEach((_m, id) => {
            if (id !== except)
                to.push(id);
        });
    }
    else {
        ch.members.forEach((m, id) => {
            if (id !== except && (m.includes('o') || (min === 'v' && m.includes('v'))))
                to.push(id);
        });
    }
    return to;
};
// ---- Joining, leaving and NAMES lines (used by the channel commands) ----
/**
 * Put a client in a channel with the given member modes, keeping both sides in agreement
 * (channel.members and client.channels); an invitation to it is used up.
 */
export const joinChannel = (state, c, key, ch, modes) => ({
    ...state,
    channels: state.channels.set(key, { ...ch, members: ch.members.set(c.id, modes) }),
    clients: state.clients.set(c.id, { ...c, channels: c.channels.add(key), invites: c.invites.remove(key) }),
});
/** Take a client out of a channel (both sides); a channel left empty ceases to exist. */
export const leaveChannel = (state, id, key) => {
    let s = state;
    const ch = s.channels.get(key);
    if (ch !== undefined) {
        const members = ch.members.delete(id);
        s = { ...s, channels: members.size === 0 ? s.channels.delete(key) : s.channels.set(key, { ...ch, members }) };
    }
    const c = s.clients.get(id);
    if (c !== undefined && c.channels.has(key))
        s = { ...s, clients: s.clients.set(id, { ...c, channels: c.channels.delete(key) }) };
    return s;
};
/** Secret (+s) and private (+p) channels are hidden from non-members (RFC 2811 §4.2.6-7). */
export const isHiddenFrom = (ch, id) => (ch.modes.secret || ch.modes.private) && !ch.members.has(id);
/** The channel type symbol of RPL_NAMREPLY: `@` secret, `*` private, `=` public. */
export const namesSymbol = (ch) => (ch.modes.secret ? '@' : ch.modes.private ? '*' : '=');
/**
 * `353 nick <symbol> <channel> :<names>` lines, split so each line (CR LF included) fits
 * MAX_LINE_BYTES. Names are given already formatted (with their prefixes).
 */
export const namReplies = (state, to, symbol, channel, names) => {
    const head = `:${state.config.serverName} ${N.RPL_NAMREPLY.code} ${target(to)} ${symbol} ${channel} :`;
    const budget = MAX_LINE_BYTES - 2 - head.length;
    const out = [];
    let chunk = '';
    for (const name of names) {
        if (chunk !== '' && chunk.length + 1 + name.length > budget) {
            out.push(numeric(state, to, N.RPL_NAMREPLY, [symbol, channel], chunk));
            chunk = '';
        }
        chunk = chunk === '' ? name : chunk + ' ' + name;
    }
    if (chunk !== '')
        out.push(numeric(state, to, N.RPL_NAMREPLY, [symbol, channel], chunk));
    return out;
};
/**
 * The 353 lines of one channel as `to` sees it: each member with its highest prefix (all of
 * them with multi-prefix); invisible (+i) users are left out unless `to` is a member too.
 */
export const channelNames = (state, to, ch) => {
    const inside = ch.members.has(to.id);
    const all = to.caps.has('multi-prefix');
    const names = [];
    for (const [id, modes] of ch.members) {
        const m = state.clients.get(id);
        if (m === undefined || m.nick === null)
            continue;
        if (!inside && m.modes.includes('i'))
            continue;
        names.push(prefixOf(modes, all) + m.nick);
    }
    return namReplies(state, to, namesSymbol(ch), ch.name, names);
};
//# sourceMappingURL=channel.js.map