// PASS <password>   (RFC 2812 §3.1.1) Kept until registration completes, then checked.
import * as N from '../numerics.js';
import { numeric } from '../reply.js';
import { setClient } from '../state.js';
export const pass = {
    verbs: ['PASS'],
    minParams: 1,
    beforeRegistration: true,
    operOnly: false,
    decode: (m) => ({ _tag: 'Pass', password: m.params[0] }),
    handle: (state, c, cmd) => c.registered
        ? [state, [numeric(state, c, N.ERR_ALREADYREGISTERED)]]
        : [setClient(state, { ...c, password: cmd.password }), []],
};
//# sourceMappingURL=pass.js.map