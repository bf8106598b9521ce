// KICK <channel>{,<channel>} <user>{,<user>} [<comment>]   (RFC 2812 §3.2.8, Modern IRC "KICK message")
// One channel and several users, or as many channels as users, paired in order (RFC 2812: any
// other shape is 461, as Ergo does). Per pair, in InspIRCd's order: 403 no such channel, 442 the
// kicker is not on it, 482 the kicker is no channel operator (no override for IRC operators,
// like InspIRCd without its override module), 401 no such nick, 441 not on the channel. With
// one channel its refusal comes once, for all the users. Each KICK names one user and is sent
// to every member, the victim included, before the victim is removed. The comment defaults to
// the kicker's nick and is cut to KICKLEN. Pairs beyond TARGMAX are silently dropped (Modern IRC).
import { isMember, isOp, leaveChannel } from '../channel.js';
import type { Effect } from '../effect.js';
import * as N from '../numerics.js';
import { fromClient, numeric } from '../reply.js';
import { clientByNick, foldName } from '../state.js';
import type { VerbSpec } from '../verb.js';

export interface Kick {
  readonly _tag: 'Kick';
  readonly channels: readonly string[];
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
    channels: m.params[0]!.split(',').filter((x) => x !== ''),
    users: m.params[1]!.split(',').filter((x) => x !== ''),
    comment: m.params[2] ?? null,
  }),
  handle: (state, c, cmd) => {
    const { channels, users } = cmd;
    const oneChannel = channels.length === 1;
    if (users.length === 0 || (!oneChannel && channels.length !== users.length))
      return [state, [numeric(state, c, N.ERR_NEEDMOREPARAMS, ['KICK'])]];
    const comment = (cmd.comment === null || cmd.comment === '' ? c.nick! : cmd.comment).slice(0, state.config.limits.kickLen);
    let s = state;
    const out: Effect[] = [];
    const pairs = Math.min(users.length, state.config.limits.maxTargets);
    for (let i = 0; i < pairs; i++) {
      const raw = oneChannel ? channels[0]! : channels[i]!;
      const key = foldName(s, raw);
      const ch = s.channels.get(key);
      const refusal =
        ch === undefined
          ? numeric(s, c, N.ERR_NOSUCHCHANNEL, [raw])
          : !isMember(ch, c.id)
            ? numeric(s, c, N.ERR_NOTONCHANNEL, [ch.name])
            : !isOp(ch, c.id)
              ? numeric(s, c, N.ERR_CHANOPRIVSNEEDED, [ch.name])
              : null;
      if (ch === undefined || refusal !== null) {
        // With one channel it is refused once, for all the users; past the first pair only a
        // kicker that kicked itself out gets here, and it stops without a word.
        if (!oneChannel || i === 0) out.push(refusal!);
        if (oneChannel) break;
        continue;
      }
      const nick = users[i]!;
      const victim = clientByNick(s, nick);
      if (victim === undefined || !victim.registered) {
        out.push(numeric(s, c, N.ERR_NOSUCHNICK, [nick]));
        continue;
      }
      if (!isMember(ch, victim.id)) {
        out.push(numeric(s, c, N.ERR_USERNOTINCHANNEL, [victim.nick!, ch.name]));
        continue;
      }
      out.push(fromClient(c, ch.memberIds, 'KICK', [ch.name, victim.nick!, comment], true));
      s = leaveChannel(s, victim.id, key);
    }
    return [s, out];
  },
};
