// CAP <subcommand> [:capabilities]   (IRCv3 capability negotiation, version 302)
// No capability is offered yet: LS and LIST answer an empty list, REQ is refused with NAK.
// Negotiation started before registration holds registration until CAP END.
import * as N from '../numerics.js';
import { tryRegister } from '../registration.js';
import { fromServer, numeric, target } from '../reply.js';
import { setClient } from '../state.js';
/** Capabilities offered, with their LS values. None yet. */
export const CAPABILITIES = {};
export const cap = {
    verbs: ['CAP'],
    minParams: 1,
    beforeRegistration: true,
    operOnly: false,
    // ASCII-only upper case: String#toUpperCase turns latin1 bytes into wider chars (ÿ → Ÿ).
    decode: (m) => ({ _tag: 'Cap', sub: m.params[0].replace(/[a-z]+/g, (w) => w.toUpperCase()), arg: m.params[1] ?? '' }),
    handle: (state, c, cmd) => {
        const negotiating = (x) => (x.registered ? x : { ...x, capNegotiating: true });
        switch (cmd.sub) {
            case 'LS': {
                const version = Number.parseInt(cmd.arg, 10);
                const next = { ...negotiating(c), capVersion: Number.isFinite(version) ? Math.max(c.capVersion, version) : c.capVersion };
                const list = Object.keys(CAPABILITIES)
                    .map((k) => (next.capVersion >= 302 && CAPABILITIES[k] ? `${k}=${CAPABILITIES[k]}` : k))
                    .join(' ');
                return [setClient(state, next), [fromServer(state, [c.id], 'CAP', [target(c), 'LS', list], true)]];
            }
            case 'LIST':
                return [state, [fromServer(state, [c.id], 'CAP', [target(c), 'LIST', [...c.caps].join(' ')], true)]];
            case 'REQ':
                return [setClient(state, negotiating(c)), [fromServer(state, [c.id], 'CAP', [target(c), 'NAK', cmd.arg], true)]];
            case 'END':
                return c.registered ? [state, []] : tryRegister(state, { ...c, capNegotiating: false });
            default:
                return [state, [numeric(state, c, N.ERR_INVALIDCAPCMD, [cmd.sub])]];
        }
    },
};
//# sourceMappingURL=cap.js.map