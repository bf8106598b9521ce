// USERHOST <nick>{ <nick>}   (RFC 2812 §4.8, Modern IRC "USERHOST message")
// Up to five nicks → 302 :nick[*]=+|-user@host ... ('*' an IRC operator, '+' here, '-' away).
// Unknown nicks are left out; nicks past the fifth are ignored.
import * as N from '../numerics.js';
import { clientByNick, isOper } from '../state.js';
import { numericText } from './serverinfo.js';
export const USERHOST_MAX = 5;
export const userhost = {
    verbs: ['USERHOST'],
    minParams: 1,
    beforeRegistration: false,
    operOnly: false,
    decode: (m) => ({ _tag: 'Userhost', nicks: m.params.flatMap((p) => p.split(' ')).filter((n) => n !== '') }),
    handle: (state, c, cmd) => {
        const replies = [];
        for (const n of cmd.nicks.slice(0, USERHOST_MAX)) {
            const x = clientByNick(state, n);
            if (x === undefined || !x.registered)
                continue;
            replies.push(`${x.nick}${isOper(x) ? '*' : ''}=${x.away === null ? '+' : '-'}${x.user}@${x.host}`);
        }
        return [state, [numericText(state, c, N.RPL_USERHOST, [], replies.join(' '))]];
    },
};
//# sourceMappingURL=userhost.js.map