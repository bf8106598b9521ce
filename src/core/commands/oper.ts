// OPER <name> <password>   (RFC 2812 §3.1.4, Modern IRC "OPER message")
// Success: 381 RPL_YOUREOPER, then `:nick!user@host MODE nick :+o` (the new user mode).
// Failure: 464 ERR_PASSWDMISMATCH for a wrong password *and* for an unknown name, so the reply
// never tells which operator names exist (as ngircd and InspIRCd do); 491 ERR_NOOPERHOST when
// the server has no operator block at all, i.e. no host may become an operator (Modern IRC:
// "not connecting from a valid host for the given name"). Passwords are compared in constant
// time over every configured block, so timing reveals neither the name nor the password.
// Credentials hold plain text here; a hashed form must be checked by the shell.
import { log } from '../effect.js';
import * as N from '../numerics.js';
import { fromClient, numeric } from '../reply.js';
import { setClient } from '../state.js';
import type { VerbSpec } from '../verb.js';

export interface Oper {
  readonly _tag: 'Oper';
  readonly name: string;
  readonly password: string;
}

/**
 * Equality whose running time depends only on the lengths, not on where the strings differ:
 * every char position of the longer string is visited and differences are OR-ed together.
 */
export const constantTimeEqual = (a: string, b: string): boolean => {
  const n = Math.max(a.length, b.length);
  let diff = a.length ^ b.length;
  for (let i = 0; i < n; i++) diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  return diff === 0;
};

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
    let ok = false;
    for (const b of blocks) {
      // Both comparisons always run: no early exit on the name.
      const nameOk = constantTimeEqual(b.name, cmd.name);
      const passOk = constantTimeEqual(b.password, cmd.password);
      ok = ok || (nameOk && passOk);
    }
    if (!ok) {
      return [state, [numeric(state, c, N.ERR_PASSWDMISMATCH), log('warn', `failed OPER as ${cmd.name} by ${c.nick}`)]];
    }
    const next = { ...c, modes: withMode(c.modes, 'o') };
    const out = [numeric(state, c, N.RPL_YOUREOPER)];
    if (next.modes !== c.modes) out.push(fromClient(c, [c.id], 'MODE', [c.nick!, '+o'], true));
    out.push(log('info', `${c.nick} is now an IRC operator (${cmd.name})`));
    return [setClient(state, next), out];
  },
};
