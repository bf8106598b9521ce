// WHOWAS <nick> [<count> [<server>]]   (RFC 2812 §3.6.3, Modern IRC "WHOWAS message")
// Searches state.whowas (newest first, bounded by limits.whowasLen) for the nick under the
// case-mapping, no wildcards. Each entry: 314 <nick> <user> <host> * :<realname>, then
// 312 <nick> <server> :<when it left> (as InspIRCd does). Up to <count> entries when it is a
// positive number, else all. None → 406. 369 always ends the reply.
import type { Effect } from '../effect.js';
import * as N from '../numerics.js';
import { numeric } from '../reply.js';
import { foldName } from '../state.js';
import { httpDate } from '../time.js';
import type { VerbSpec } from '../verb.js';
import { foreignServer, numericText } from './serverinfo.js';

export interface Whowas {
  readonly _tag: 'Whowas';
  readonly nick: string;
  /** Entries wanted; 0 means all. */
  readonly count: number;
  readonly server: string | undefined;
}

export const whowas: VerbSpec<Whowas> = {
  verbs: ['WHOWAS'],
  minParams: 1,
  beforeRegistration: false,
  operOnly: false,
  decode: (m) => {
    const n = /^\d+$/.test(m.params[1] ?? '') ? Number(m.params[1]) : 0;
    return { _tag: 'Whowas', nick: m.params[0]!, count: n, server: m.params[2] };
  },
  handle: (state, c, cmd) => {
    if (cmd.nick === '') return [state, [numeric(state, c, N.ERR_NONICKNAMEGIVEN)]];
    const err = foreignServer(state, c, cmd.server);
    if (err !== null) return [state, [err]];
    const key = foldName(state, cmd.nick);
    const out: Effect[] = [];
    let found = 0;
    // Bounded by whowasLen, so a linear walk is a constant cost.
    for (const e of state.whowas) {
      if (cmd.count > 0 && found >= cmd.count) break;
      if (foldName(state, e.nick) !== key) continue;
      found++;
      out.push(
        numericText(state, c, N.RPL_WHOWASUSER, [e.nick, e.user, e.host, '*'], e.realname),
        numeric(state, c, N.RPL_WHOISSERVER, [e.nick, state.config.serverName], httpDate(e.at)),
      );
    }
    if (found === 0) out.push(numeric(state, c, N.ERR_WASNOSUCHNICK, [cmd.nick]));
    out.push(numeric(state, c, N.RPL_ENDOFWHOWAS, [cmd.nick]));
    return [state, out];
  },
};
