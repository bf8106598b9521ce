// OPER <name> <password>   (RFC 2812 §3.1.4, Modern IRC "OPER message")
// Success: 381 RPL_YOUREOPER, then `:nick!user@host MODE nick :+o` (the new user mode).
// Failure: 464 ERR_PASSWDMISMATCH for a wrong password *and* for an unknown name, so the reply
// never tells which operator names exist (as ngircd and InspIRCd do); 491 ERR_NOOPERHOST when
// the server has no operator block at all, i.e. no host may become an operator (Modern IRC:
// "not connecting from a valid host for the given name"). The check (src/core/credentials.ts)
// scans every block's name in constant time, then verifies one password (plain text in constant
// time, or a scrypt hash), so timing reveals neither the name nor the password.
import { checkOper } from '../credentials.js';
import { log } from '../effect.js';
import * as N from '../numerics.js';
import { fromClient, numeric } from '../reply.js';
import { replaceClient, withClient } from '../state.js';
import type { VerbSpec } from '../verb.js';

export interface Oper {
  readonly _tag: 'Oper';
  readonly name: string;
  readonly password: string;
}

/** Kept here for older imports; the implementation lives with the other credential checks. */
export { constantTimeEqual } from '../credentials.js';

/** Add a mode letter to a sorted mode string. */
export const withMode = (modes: string, m: string): string =>
  modes.includes(m) ? modes : [...modes, m].sort().join('');

export const oper: VerbSpec<Oper> = {
  verbs: ['OPER'],
  minParams: 2,
  beforeRegistration: false,
  operOnly: false,
  decode: (m) => ({ _tag: 'Oper', name: m.params[0]!, password: m.params[1]! }),
  handle: (state, c, cmd) => {
    const blocks = state.config.opers;
    if (blocks.length === 0) return [state, [numeric(state, c, N.ERR_NOOPERHOST)]];
    if (!checkOper(blocks, cmd.name, cmd.password)) {
      return [state, [numeric(state, c, N.ERR_PASSWDMISMATCH), log('warn', `failed OPER as ${cmd.name} by ${c.nick}`)]];
    }
    const next = withClient(c, { modes: withMode(c.modes, 'o') });
    const out = [numeric(state, c, N.RPL_YOUREOPER)];
    if (next.modes !== c.modes) out.push(fromClient(c, [c.id], 'MODE', [c.nick!, '+o'], true));
    out.push(log('info', `${c.nick} is now an IRC operator (${cmd.name})`));
    return [replaceClient(state, c, next), out];
  },
};
