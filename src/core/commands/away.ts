// AWAY [:<text>]   (RFC 2812 §4.1, Modern IRC "AWAY message")
// With text: away, 306 RPL_NOWAWAY; the text is cut to AWAYLEN (advertised in 005). Without
// text (or empty): back, 305 RPL_UNAWAY. 301 RPL_AWAY to senders is privmsg.ts's and whois.ts's.
import * as N from '../numerics.js';
import { numeric } from '../reply.js';
import { setClient, withClient } from '../state.js';
import type { VerbSpec } from '../verb.js';

export interface Away {
  readonly _tag: 'Away';
  readonly text: string;
}

export const away: VerbSpec<Away> = {
  verbs: ['AWAY'],
  minParams: 0,
  beforeRegistration: false,
  operOnly: false,
  decode: (m) => ({ _tag: 'Away', text: m.params[0] ?? '' }),
  handle: (state, c, cmd) => {
    if (cmd.text === '') {
      const s = c.away === null ? state : setClient(state, withClient(c, { away: null }));
      return [s, [numeric(s, c, N.RPL_UNAWAY)]];
    }
    const text = cmd.text.slice(0, state.config.limits.awayLen);
    return [setClient(state, withClient(c, { away: text })), [numeric(state, c, N.RPL_NOWAWAY)]];
  },
};
