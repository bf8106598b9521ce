// WALLOPS <text>   (RFC 2812 §4.7, Modern IRC "WALLOPS message"), IRC operators only.
// Delivered as `:nick!user@host WALLOPS :text` to every user with mode +w (the sender too, if
// +w), as ONE Send effect. Finding the +w users walks all clients: an operator command, far from
// the hot paths. Empty text → 461 (the text "SHOULD be non-empty").
import * as N from '../numerics.js';
import { fromClient, numeric } from '../reply.js';
export const wallops = {
    verbs: ['WALLOPS'],
    minParams: 1,
    beforeRegistration: false,
    operOnly: true,
    decode: (m) => ({ _tag: 'Wallops', text: m.params[0] }),
    handle: (state, c, cmd) => {
        if (cmd.text === '')
            return [state, [numeric(state, c, N.ERR_NEEDMOREPARAMS, ['WALLOPS'])]];
        const to = [];
        for (const x of state.clients.values())
            if (x.registered && x.modes.includes('w'))
                to.push(x.id);
        return [state, to.length === 0 ? [] : [fromClient(c, to, 'WALLOPS', [cmd.text], true)]];
    },
};
//# sourceMappingURL=wallops.js.map