// NICK <nickname>   (RFC 2812 §3.1.2, Modern IRC)
// 431 none given, 432 invalid or too long (NICKLEN), 433 in use under the case-mapping.
// Registered clients see their change echoed, and so does everyone sharing a channel, once.
import { peersOf } from '../channel.js';
import { cameOnline, wentOffline } from './monitor.js';
import * as N from '../numerics.js';
import { decodeNick } from '../names.js';
import { tryRegister } from '../registration.js';
import { fromClient, numeric } from '../reply.js';
import { foldName, makeSource, remembered, withState, withClient } from '../state.js';
import type { VerbSpec } from '../verb.js';

export interface Nick {
  readonly _tag: 'Nick';
  readonly nick: string | null;
}

export const nick: VerbSpec<Nick> = {
  verbs: ['NICK'],
  minParams: 0,
  beforeRegistration: true,
  operOnly: false,
  decode: (m) => ({ _tag: 'Nick', nick: m.params[0] ?? null }),
  handle: (state, c, cmd) => {
    if (cmd.nick === null || cmd.nick === '') return [state, [numeric(state, c, N.ERR_NONICKNAMEGIVEN)]];
    const wanted = decodeNick(cmd.nick, state.config.limits.nickLen);
    if (wanted === null) return [state, [numeric(state, c, N.ERR_ERRONEUSNICKNAME, [cmd.nick])]];
    if (wanted === c.nick) return [state, []];
    const key = foldName(state, wanted);
    const holder = state.nicks.get(key);
    if (holder !== undefined && holder !== c.id) return [state, [numeric(state, c, N.ERR_NICKNAMEINUSE, [wanted])]];
    let nicks = state.nicks;
    if (c.nick !== null) nicks = nicks.delete(foldName(state, c.nick));
    nicks = nicks.set(key, c.id);
    const next = withClient(c, { nick: wanted, source: makeSource(wanted, c.user, c.host) });
    if (!c.registered) return tryRegister(withState(state, { nicks }), next);
    const whowas = remembered(state, c);
    const s = withState(state, { nicks, whowas, clients: state.clients.set(c.id, next) });
    const out = [fromClient(c, peersOf(state, c, true), 'NICK', [wanted], true)];
    // MONITOR: the old nick went offline and the new one came online (not for a change of case).
    if (key !== foldName(state, c.nick!)) out.push(...wentOffline(s, c.nick!), ...cameOnline(s, next));
    return [s, out];
  },
};
