// AWAY [:<text>]   (RFC 2812 §4.1, Modern IRC "AWAY message")
// With text: away, 306 RPL_NOWAWAY; the text is cut to AWAYLEN (advertised in 005). Without
// text (or empty): back, 305 RPL_UNAWAY. 301 RPL_AWAY to senders is privmsg.ts's and whois.ts's.
// IRCv3 away-notify: each change is also sent as `:nick!user@host AWAY [:text]` to the clients
// that share a channel with the user and enabled the capability, and a user who joins while
// away is announced that way to such members after its JOIN (join.ts).
import type { Effect } from '../effect.js';
import { peersOf } from '../channel.js';
import * as N from '../numerics.js';
import { fromClient, numeric } from '../reply.js';
import { setClient, type Client, type ClientId, type State, withClient } from '../state.js';
import type { VerbSpec } from '../verb.js';

export interface Away {
  readonly _tag: 'Away';
  readonly text: string;
}

/** `c`'s away status, as away-notify sends it, to those of `ids` (not `c`) that enabled it; none if no one did. */
export const awayNotice = (state: State, c: Client, ids: readonly ClientId[]): Effect[] => {
  const to = ids.filter((id) => id !== c.id && state.clients.get(id)?.caps.has('away-notify') === true);
  return to.length === 0 ? [] : [fromClient(c, to, 'AWAY', c.away === null ? [] : [c.away], true)];
};

export const away: VerbSpec<Away> = {
  verbs: ['AWAY'],
  minParams: 0,
  beforeRegistration: false,
  operOnly: false,
  decode: (m) => ({ _tag: 'Away', text: m.params[0] ?? '' }),
  handle: (state, c, cmd) => {
    const text = cmd.text === '' ? null : cmd.text.slice(0, state.config.limits.awayLen);
    const reply = numeric(state, c, text === null ? N.RPL_UNAWAY : N.RPL_NOWAWAY);
    if (text === c.away) return [state, [reply]];
    const now = withClient(c, { away: text });
    const s = setClient(state, now);
    return [s, [reply, ...awayNotice(s, now, peersOf(s, now, false))]];
  },
};
