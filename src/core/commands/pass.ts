// PASS <password>   (RFC 2812 §3.1.1) Kept until registration completes, then checked.
import * as N from '../numerics.js';
import { numeric } from '../reply.js';
import { setClient, withClient } from '../state.js';
import type { VerbSpec } from '../verb.js';

export interface Pass {
  readonly _tag: 'Pass';
  readonly password: string;
}

export const pass: VerbSpec<Pass> = {
  verbs: ['PASS'],
  minParams: 1,
  beforeRegistration: true,
  operOnly: false,
  decode: (m) => ({ _tag: 'Pass', password: m.params[0]! }),
  handle: (state, c, cmd) =>
    c.registered
      ? [state, [numeric(state, c, N.ERR_ALREADYREGISTERED)]]
      : [setClient(state, withClient(c, { password: cmd.password })), []],
};
