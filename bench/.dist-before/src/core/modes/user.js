import * as N from '../numerics.js';
import { fromClient, numeric } from '../reply.js';
import { replaceClient } from '../state.js';
import { renderChanges, toggle } from './render.js';
const SETTABLE = 'iw';
export const userMode = (state, c, target, modestring) => {
    if (target.id !== c.id) {
        const text = modestring === null ? "Can't view modes for other users" : undefined;
        return [state, [numeric(state, c, N.ERR_USERSDONTMATCH, [], text)]];
    }
    if (modestring === null)
        return [state, [numeric(state, c, N.RPL_UMODEIS, ['+' + c.modes])]];
    let modes = c.modes;
    let add = true;
    let unknown = false;
    const changes = [];
    for (const m of modestring) {
        if (m === '+' || m === '-')
            add = m === '+';
        else if (SETTABLE.includes(m) || (m === 'o' && !add)) {
            if (modes.includes(m) === add)
                continue;
            modes = add ? [...modes, m].sort().join('') : modes.replace(m, '');
            toggle(changes, { add, mode: m, param: null });
        }
        else if (m !== 'o')
            unknown = true;
    }
    const out = [];
    if (changes.length > 0)
        out.push(fromClient(c, [c.id], 'MODE', [c.nick, ...renderChanges(changes)], true));
    if (unknown)
        out.push(numeric(state, c, N.ERR_UMODEUNKNOWNFLAG));
    return [changes.length > 0 ? replaceClient(state, c, { ...c, modes }) : state, out];
};
//# sourceMappingURL=user.js.map