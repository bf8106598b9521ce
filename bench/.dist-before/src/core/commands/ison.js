// ISON <nick>{ <nick>}   (RFC 2812 §4.9) → 303 :<the nicks that are online>
// Nicks may come as separate parameters or space-separated in one trailing parameter. The
// reply spells each nick as its owner does. Each lookup is one index access.
import * as N from '../numerics.js';
import { clientByNick } from '../state.js';
import { numericText } from './serverinfo.js';
export const ison = {
    verbs: ['ISON'],
    minParams: 1,
    beforeRegistration: false,
    operOnly: false,
    decode: (m) => ({ _tag: 'Ison', nicks: m.params.flatMap((p) => p.split(' ')).filter((n) => n !== '') }),
    handle: (state, c, cmd) => {
        const online = [];
        for (const n of cmd.nicks) {
            const x = clientByNick(state, n);
            if (x !== undefined && x.registered)
                online.push(x.nick);
        }
        return [state, [numericText(state, c, N.RPL_ISON, [], online.join(' '))]];
    },
};
//# sourceMappingURL=ison.js.map