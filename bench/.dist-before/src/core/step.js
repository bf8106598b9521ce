// step(state, clientId, command) → [State, Effect[]]: the one function that holds all IRC logic.
// The shared checks (451, 461, 481, 421, 417) are applied here, once, before any handler.
import { specOf, specOfVerb } from './command.js';
import { connected, disconnected, shutdown, tick } from './lifecycle.js';
import * as N from './numerics.js';
import { numeric } from './reply.js';
/** Liveness and idle times are kept to this resolution. */
export const LIVENESS_RESOLUTION_MS = 1000;
export const step = (state, clientId, command) => {
    switch (command._tag) {
        case 'Connected':
            return connected(state, clientId, command.address, command.tls);
        case 'Disconnected':
            return disconnected(state, clientId, command.reason);
        case 'Tick':
            return tick(state);
        case 'Shutdown':
            return shutdown(state, command.reason);
        default:
            break;
    }
    const found = state.clients.get(clientId);
    if (found === undefined)
        return [state, []];
    // Any line proves the client alive: note it for keep-alive and clear a pending PING. Tracked to
    // the second (ping timeouts are minutes), so a busy client costs no state write per line.
    const c = found.pingSentAt === null && state.now - found.seenAt < LIVENESS_RESOLUTION_MS
        ? found
        : { ...found, seenAt: state.now, pingSentAt: null };
    const s = c === found ? state : { ...state, clients: state.clients.set(c.id, c) };
    switch (command._tag) {
        case 'Malformed':
            return command.error === 'too-long' ? [s, [numeric(s, c, N.ERR_INPUTTOOLONG)]] : [s, []];
        case 'Unknown':
            return [s, [numeric(s, c, c.registered ? N.ERR_UNKNOWNCOMMAND : N.ERR_NOTREGISTERED, c.registered ? [command.verb] : [])]];
        case 'Incomplete': {
            const spec = specOfVerb(command.verb);
            if (!c.registered && !spec?.beforeRegistration)
                return [s, [numeric(s, c, N.ERR_NOTREGISTERED)]];
            return [s, [numeric(s, c, N.ERR_NEEDMOREPARAMS, [command.verb])]];
        }
        default: {
            const spec = specOf(command);
            if (!c.registered && !spec.beforeRegistration)
                return [s, [numeric(s, c, N.ERR_NOTREGISTERED)]];
            if (spec.operOnly && !c.modes.includes('o'))
                return [s, [numeric(s, c, N.ERR_NOPRIVILEGES)]];
            return spec.handle(s, c, command);
        }
    }
};
//# sourceMappingURL=step.js.map