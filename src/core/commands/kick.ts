// KICK <channel> <user>{,<user>} [<comment>]   (RFC 2812 §3.2.8, Modern IRC "KICK message")
// 403 no such channel, 442 the kicker is not on it, 482 the kicker is no channel operator (no
// override for IRC operators, like InspIRCd without its override module); then per user: 401
// no such nick, 441 not on the channel. Each KICK names one user and is sent to every member,
// the victim included, before the victim is removed. The comment defaults to the kicker's nick
// and is cut to KICKLEN. Users beyond TARGMAX are silently dropped (Modern IRC).
import { isMember, isOp, leaveChannel } from '../channel.js';
import type { Effect } from '../effect.js';
import * as N from '../numerics.js';
import { fromClient, numeric } from '../reply.js';
import { clientByNick, foldName } from '../state.js';
import type { VerbSpec } from '../verb.js';

export interface Kick {
  readonly _tag: 'Kick';
  readonly channel: string;
  readonly users: readonly string[];
  readonly comment: string | null;
}

export const kick: VerbSpec<Kick> = {
  verbs: ['KICK'],
  minParams: 2,
  beforeRegistration: false,
  operOnly: false,
  decode: (m) => ({
    _tag: 'Kick',
    channel: m.params[0]!,
    users: m.params[1]!.split(',').filter((x) => x !== ''),
    comment: m.params[2] ?? null,
  }),
  handle: (state, c, cmd) => {
    const key = foldName(state, cmd.channel);
    const ch = state.channels.get(key);
    if (ch === undefined) return [state, [numeric(state, c, N.ERR_NOSUCHCHANNEL, [cmd.channel])]];
    if (!isMember(ch, c.id)) return [state, [numeric(state, c, N.ERR_NOTONCHANNEL, [ch.name])]];
    if (!isOp(ch, c.id)) return [state, [numeric(state, c, N.ERR_CHANOPRIVSNEEDED, [ch.name])]];
    const comment = (cmd.comment === null || cmd.comment === '' ? c.nick! : cmd.comment).slice(0, state.config.limits.kickLen);
    let s = state;
    const out: Effect[] = [];
    for (const nick of cmd.users.slice(0, state.config.limits.maxTargets)) {
      const victim = clientByNick(s, nick);
      if (victim === undefined || !victim.registered) {
        out.push(numeric(s, c, N.ERR_NOSUCHNICK, [nick]));
        continue;
      }
      const now = s.channels.get(key);
      if (now === undefined || !isMember(now, c.id)) break; // the kicker kicked itself out
      if (!isMember(now, victim.id)) {
        out.push(numeric(s, c, N.ERR_USERNOTINCHANNEL, [victim.nick!, now.name]));
        continue;
      }
      out.push(fromClient(c, now.memberIds, 'KICK', [now.name, victim.nick!, comment], true));
      s = leaveChannel(s, victim.id, key);
    }
    return [s, out];
  },
};
