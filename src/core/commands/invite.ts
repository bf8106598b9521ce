// INVITE <nickname> <channel>   (RFC 2812 §3.2.7, Modern IRC "INVITE message")
// Checks in InspIRCd's order: 401 no such nick, 403 no such channel, 442 the inviter is not on
// it, 443 the target already is, 482 the channel is +i and the inviter no operator (no
// override for IRC operators). On success: 341 `inviter nick channel` to the inviter, INVITE
// to the target only, 301 to the inviter if the target is away. The invitation is recorded in
// the target's `invites` and admits it once past +i and +l. IRCv3 invite-notify: members that
// enabled it see the INVITE too (on a +i channel, operators only).
// INVITE without parameters lists one's pending invitations: 336 per channel, then 337
// (Modern IRC); with only a nick it is 461.
import { isMember, isOp } from '../channel.js';
import * as N from '../numerics.js';
import { fromClient, numeric } from '../reply.js';
import { channelByName, clientByNick, foldName, setClient, withClient } from '../state.js';
import type { VerbSpec } from '../verb.js';

export interface Invite {
  readonly _tag: 'Invite';
  /** Both null: list my invitations. */
  readonly nick: string | null;
  readonly channel: string | null;
}

export const invite: VerbSpec<Invite> = {
  verbs: ['INVITE'],
  minParams: 0,
  beforeRegistration: false,
  operOnly: false,
  decode: (m) => ({ _tag: 'Invite', nick: m.params[0] ?? null, channel: m.params[1] ?? null }),
  handle: (state, c, cmd) => {
    if (cmd.nick === null) {
      // Only invitations to the channel incarnation they were made for still count.
      const out = [];
      for (const [key, serial] of c.invites) {
        const ch = state.channels.get(key);
        if (ch !== undefined && ch.serial === serial) out.push(numeric(state, c, N.RPL_INVITELISTED, [ch.name]));
      }
      out.push(numeric(state, c, N.RPL_ENDOFINVITELISTED));
      return [state, out];
    }
    if (cmd.channel === null) return [state, [numeric(state, c, N.ERR_NEEDMOREPARAMS, ['INVITE'])]];
    const dest = clientByNick(state, cmd.nick);
    if (dest === undefined || !dest.registered) return [state, [numeric(state, c, N.ERR_NOSUCHNICK, [cmd.nick])]];
    const ch = channelByName(state, cmd.channel);
    if (ch === undefined) return [state, [numeric(state, c, N.ERR_NOSUCHCHANNEL, [cmd.channel])]];
    if (!isMember(ch, c.id)) return [state, [numeric(state, c, N.ERR_NOTONCHANNEL, [ch.name])]];
    if (isMember(ch, dest.id)) return [state, [numeric(state, c, N.ERR_USERONCHANNEL, [dest.nick!, ch.name])]];
    if (ch.modes.inviteOnly && !isOp(ch, c.id)) return [state, [numeric(state, c, N.ERR_CHANOPRIVSNEEDED, [ch.name])]];
    const invited = withClient(dest, { invites: dest.invites.set(foldName(state, ch.name), ch.serial) });
    // invite-notify: the same INVITE line to the members that enabled it (on a +i channel only
    // its operators, who could have invited too), in the target's own Send.
    const to = [dest.id];
    for (let i = 0; i < ch.memberIds.length; i++) {
      const id = ch.memberIds[i]!;
      if (id === c.id || (ch.modes.inviteOnly && !ch.memberModes[i]!.includes('o'))) continue;
      if (state.clients.get(id)?.caps.has('invite-notify') === true) to.push(id);
    }
    const out = [numeric(state, c, N.RPL_INVITING, [dest.nick!, ch.name]), fromClient(c, to, 'INVITE', [dest.nick!, ch.name])];
    if (dest.away !== null) out.push(numeric(state, c, N.RPL_AWAY, [dest.nick!], dest.away));
    return [setClient(state, invited), out];
  },
};
