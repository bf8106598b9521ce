// USER <username> <mode> <unused> :<realname>   (RFC 2812 §3.1.3, Modern IRC "USER message")
// <mode> is a bitmask: 4 sets +w, 8 sets +i. An empty realname is refused with 461, as InspIRCd,
// Solanum and Ergo do. The username keeps only the characters an ident may have; one that keeps
// none (all emoji, say) becomes DEFAULT_USERNAME rather than leaving the client unable to
// register (Ergo does the same for a username that is the nick).
import * as N from '../numerics.js';
import { tryRegister } from '../registration.js';
import { numeric } from '../reply.js';
import { makeSource, withClient } from '../state.js';
import type { VerbSpec } from '../verb.js';

export interface User {
  readonly _tag: 'User';
  readonly user: string;
  readonly mode: string;
  readonly realname: string;
}

// Characters a username may keep; the rest are dropped (as ident-less servers do).
const USER_CHARS = /[^A-Za-z0-9_.\-~[\]\\`^{}|]/g;

/** The username of a client whose given one has no character a username may keep. */
export const DEFAULT_USERNAME = 'user';

export const user: VerbSpec<User> = {
  verbs: ['USER'],
  minParams: 4,
  beforeRegistration: true,
  operOnly: false,
  decode: (m) => ({ _tag: 'User', user: m.params[0]!, mode: m.params[1]!, realname: m.params[3]! }),
  handle: (state, c, cmd) => {
    if (c.registered || c.user !== null) return [state, [numeric(state, c, N.ERR_ALREADYREGISTERED)]];
    const { userLen, realnameLen } = state.config.limits;
    if (cmd.user === '' || cmd.realname === '') return [state, [numeric(state, c, N.ERR_NEEDMOREPARAMS, ['USER'])]];
    const name = (cmd.user.replace(USER_CHARS, '') || DEFAULT_USERNAME).slice(0, userLen);
    const bits = /^\d+$/.test(cmd.mode) ? Number(cmd.mode) : 0;
    const modes = (bits & 8 ? 'i' : '') + (bits & 4 ? 'w' : '');
    return tryRegister(state, withClient(c, { user: name, source: makeSource(c.nick, name, c.host), realname: cmd.realname.slice(0, realnameLen), modes }));
  },
};
