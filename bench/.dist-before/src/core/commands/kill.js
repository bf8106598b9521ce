// KILL <nick> <reason>   (RFC 2812 §3.7.1, Modern IRC "KILL message"), IRC operators only (481
// from step's operOnly check). The victim is sent `:oper!u@h KILL victim :reason`, then removed
// like any departing client (removeClient): everyone sharing a channel sees, once,
// `QUIT :Killed (oper (reason))`, and the victim gets `ERROR :Closing link: ... (Killed (...))`
// and is closed. The server's own name → 483 ERR_CANTKILLSERVER; an unknown nick → 401.
import { log } from '../effect.js';
import { removeClient } from '../lifecycle.js';
import * as N from '../numerics.js';
import { fromClient, numeric } from '../reply.js';
import { clientByNick, foldName } from '../state.js';
export const kill = {
    verbs: ['KILL'],
    minParams: 2,
    beforeRegistration: false,
    operOnly: true,
    decode: (m) => ({ _tag: 'Kill', nick: m.params[0], reason: m.params[1] }),
    handle: (state, c, cmd) => {
        if (foldName(state, cmd.nick) === foldName(state, state.config.serverName))
            return [state, [numeric(state, c, N.ERR_CANTKILLSERVER)]];
        const victim = clientByNick(state, cmd.nick);
        if (victim === undefined || !victim.registered)
            return [state, [numeric(state, c, N.ERR_NOSUCHNICK, [cmd.nick])]];
        const why = `Killed (${c.nick} (${cmd.reason}))`;
        const [next, out] = removeClient(state, victim, why, why);
        return [
            next,
            [
                fromClient(c, [victim.id], 'KILL', [victim.nick, cmd.reason], true),
                ...out,
                log('info', `${c.nick} killed ${victim.nick}: ${cmd.reason}`),
            ],
        ];
    },
};
//# sourceMappingURL=kill.js.map