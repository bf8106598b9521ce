// PING <token>   → PONG <server> :<token>   (Modern IRC; allowed before registration)
// PONG [<server>] <token>: any line proves liveness, so PONG needs no handling of its own.
import { fromServer } from '../reply.js';
export const ping = {
    verbs: ['PING'],
    minParams: 1,
    beforeRegistration: true,
    operOnly: false,
    decode: (m) => ({ _tag: 'Ping', token: m.params[0] }),
    handle: (state, c, cmd) => [
        state,
        [fromServer(state, [c.id], 'PONG', [state.config.serverName, cmd.token], true)],
    ],
};
export const pong = {
    verbs: ['PONG'],
    minParams: 0,
    beforeRegistration: true,
    operOnly: false,
    decode: () => ({ _tag: 'Pong' }),
    handle: (state) => [state, []],
};
//# sourceMappingURL=ping.js.map