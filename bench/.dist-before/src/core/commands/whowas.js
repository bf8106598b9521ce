import * as N from '../numerics.js';
import { numeric } from '../reply.js';
import { foldName } from '../state.js';
import { httpDate } from '../time.js';
import { foreignServer, numericText } from './serverinfo.js';
export const whowas = {
    verbs: ['WHOWAS'],
    minParams: 1,
    beforeRegistration: false,
    operOnly: false,
    decode: (m) => {
        const n = /^\d+$/.test(m.params[1] ?? '') ? Number(m.params[1]) : 0;
        return { _tag: 'Whowas', nick: m.params[0], count: n, server: m.params[2] };
    },
    handle: (state, c, cmd) => {
        if (cmd.nick === '')
            return [state, [numeric(state, c, N.ERR_NONICKNAMEGIVEN)]];
        const err = foreignServer(state, c, cmd.server);
        if (err !== null)
            return [state, [err]];
        const key = foldName(state, cmd.nick);
        const out = [];
        let found = 0;
        // Bounded by whowasLen, so a linear walk is a constant cost.
        for (const e of state.whowas) {
            if (cmd.count > 0 && found >= cmd.count)
                break;
            if (foldName(state, e.nick) !== key)
                continue;
            found++;
            out.push(numericText(state, c, N.RPL_WHOWASUSER, [e.nick, e.user, e.host, '*'], e.realname), numeric(state, c, N.RPL_WHOISSERVER, [e.nick, state.config.serverName], httpDate(e.at)));
        }
        if (found === 0)
            out.push(numeric(state, c, N.ERR_WASNOSUCHNICK, [cmd.nick]));
        out.push(numeric(state, c, N.RPL_ENDOFWHOWAS, [cmd.nick]));
        return [state, out];
    },
};
//# sourceMappingURL=whowas.js.map