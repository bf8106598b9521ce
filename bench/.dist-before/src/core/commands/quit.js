// QUIT [:<reason>]   (RFC 2812 §3.1.7) Peers see "Quit: <reason>"; the client gets ERROR.
import { removeClient } from '../lifecycle.js';
export const quit = {
    verbs: ['QUIT'],
    minParams: 0,
    beforeRegistration: true,
    operOnly: false,
    decode: (m) => ({ _tag: 'Quit', reason: m.params[0] ?? null }),
    handle: (state, c, cmd) => {
        const message = cmd.reason === null || cmd.reason === '' ? 'Client Quit' : `Quit: ${cmd.reason}`;
        return removeClient(state, c, message, message);
    },
};
//# sourceMappingURL=quit.js.map