// WHO [<mask> [o]]   (RFC 2812 §3.6.1, Modern IRC "WHO message", RPL_WHOREPLY / RPL_ENDOFWHO)
// <mask> a channel → its members (352 with that channel and the member's prefix); otherwise a
// nick glob matched against nick, user, host and realname → matching visible users (channel
// field `*`). No mask, `*` or `0` lists every visible user. The `o` flag keeps only operators.
// 315 always ends the reply, echoing the mask as sent.
// Visibility (Modern IRC "Invisible User Mode", "Secret Channel Mode"): a +i user is listed only
// to those sharing a channel with them (or when asked for by exact nick, as ngircd does); a +s
// or +p channel lists its members only to its members. IRC operators get no more than anyone:
// this server never lets them override privacy or channel restrictions.
import { isMember, prefixOf } from '../channel.js';
import type { Effect } from '../effect.js';
import { globMatch } from '../mask.js';
import { isChannelName } from '../names.js';
import * as N from '../numerics.js';
import { numeric } from '../reply.js';
import { channelByName, clientByNick, isOper, type Channel, type Client, type State } from '../state.js';
import type { VerbSpec } from '../verb.js';

export interface Who {
  readonly _tag: 'Who';
  readonly mask: string;
  readonly opersOnly: boolean;
}

/** Do two clients share a channel? O(channels²), at most CHANLIMIT². */
export const sharesChannel = (a: Client, b: Client): boolean => {
  if (a.id === b.id) return true;
  for (const key of a.channels) if (b.channels.includes(key)) return true;
  return false;
};

/** May `asker` see `target` in WHO and similar listings? (+i hides non-peers.) */
export const userVisible = (asker: Client, target: Client): boolean =>
  !target.modes.includes('i') || sharesChannel(asker, target);

/** May `asker` see that this channel exists and who is in it? (+s/+p hide it from non-members.) */
export const channelVisible = (ch: Channel, asker: Client): boolean =>
  isMember(ch, asker.id) || !(ch.modes.secret || ch.modes.private);

/** The 352 flags: H (here) or G (gone), `*` for an IRC operator, then the channel prefix. */
export const whoFlags = (target: Client, memberModes: string | null, allPrefixes = false): string =>
  (target.away === null ? 'H' : 'G') + (isOper(target) ? '*' : '') + (memberModes === null ? '' : prefixOf(memberModes, allPrefixes));

const whoReply = (state: State, asker: Client, channel: string, target: Client, memberModes: string | null): Effect =>
  numeric(
    state,
    asker,
    N.RPL_WHOREPLY,
    [channel, target.user ?? '*', target.host, state.config.serverName, target.nick ?? '*', whoFlags(target, memberModes, asker.caps.has('multi-prefix'))],
    `0 ${target.realname}`,
  );

const HAS_WILDCARD = /[*?]/;

const matchesMask = (state: State, mask: string, x: Client): boolean => {
  const cm = state.config.casemapping;
  return (
    globMatch(mask, x.nick ?? '', cm) ||
    globMatch(mask, x.user ?? '', cm) ||
    globMatch(mask, x.host, cm) ||
    globMatch(mask, x.realname, cm)
  );
};

export const who: VerbSpec<Who> = {
  verbs: ['WHO'],
  minParams: 0,
  beforeRegistration: false,
  operOnly: false,
  decode: (m) => ({
    _tag: 'Who',
    mask: m.params[0] ?? '*',
    opersOnly: (m.params[1] ?? '').includes('o'),
  }),
  handle: (state, c, cmd) => {
    const out: Effect[] = [];
    const wanted = (x: Client): boolean => x.registered && (!cmd.opersOnly || isOper(x));
    const mask = cmd.mask === '' || cmd.mask === '0' ? '*' : cmd.mask;
    if (isChannelName(mask)) {
      const ch = channelByName(state, mask);
      if (ch !== undefined && channelVisible(ch, c)) {
        const inside = isMember(ch, c.id);
        for (let i = 0; i < ch.memberIds.length; i++) {
          const modes = ch.memberModes[i]!;
          const x = state.clients.get(ch.memberIds[i]!);
          // Outside a channel one sees only its members who are not +i (or who share another).
          if (x !== undefined && wanted(x) && (inside || userVisible(c, x))) out.push(whoReply(state, c, ch.name, x, modes));
        }
      }
    } else if (!HAS_WILDCARD.test(mask)) {
      // An exact nickname: one index lookup, listed even when +i (the asker named them).
      const x = clientByNick(state, mask);
      if (x !== undefined && wanted(x)) out.push(whoReply(state, c, '*', x, null));
    } else {
      // A glob has to look at every client: fine for a query, kept off the hot paths.
      for (const x of state.clients.values()) {
        if (wanted(x) && userVisible(c, x) && matchesMask(state, mask, x)) out.push(whoReply(state, c, '*', x, null));
      }
    }
    out.push(numeric(state, c, N.RPL_ENDOFWHO, [cmd.mask === '' ? '*' : cmd.mask]));
    return [state, out];
  },
};
