// USER <username> <mode> <unused> :<realname>   (RFC 2812 §3.1.3)
// <mode> is a bitmask: 4 sets +w, 8 sets +i.
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

export const user: VerbSpec<User> = {
  verbs: ['USER'],
  minParams: 4,
  beforeRegistration: true,
  operOnly: false,
  decode: (m) => ({ _tag: 'User', user: m.params[0]!, mode: m.params[1]!, realname: m.params[3]! }),
  handle: (state, c, cmd) => {
    if (c.registered || c.user !== null) return [state, [numeric(state, c, N.ERR_ALREADYREGISTERED)]];
    const { userLen, realnameLen } = state.config.limits;
    const name = cmd.user.replace(USER_CHARS, '').slice(0, userLen);
    if (name === '') return [state, [numeric(state, c, N.ERR_NEEDMOREPARAMS, ['USER'])]];
    const bits = /^\d+$/.test(cmd.mode) ? Number(cmd.mode) : 0;
    const modes = (bits & 8 ? 'i' : '') + (bits & 4 ? 'w' : '');
    return tryRegister(state, withClient(c, { user: name, source: makeSource(c.nick, name, c.host), realname: cmd.realname.slice(0, realnameLen), modes }));
  },
};
