// Building replies: numerics addressed to a client, and messages from a client or the server.
import { send } from './effect.js';
import { serialize } from './message.js';
import { sourceOf } from './state.js';
/** The nick numerics are addressed to: `*` before a client has one. */
export const target = (c) => c.nick ?? '*';
/**
 * `:server CODE nick params... :text`. The trailing text is the numeric's own text unless
 * given; with neither, the last param is written as-is (trailing only when it must be).
 */
export const numericLine = (state, c, n, params, text) => {
    const t = text ?? n.text;
    return t === ''
        ? serialize({ source: state.config.serverName, verb: n.code, params: [target(c), ...params] })
        : serialize({ source: state.config.serverName, verb: n.code, params: [target(c), ...params, t] }, true);
};
export const numeric = (state, c, n, params = [], text) => send([c.id], numericLine(state, c, n, params, text));
/** A message whose source is the server: `:server VERB params`. */
export const fromServer = (state, to, verb, params, trailing = false) => send(to, serialize({ source: state.config.serverName, verb, params }, trailing));
/** A message whose source is a client: `:nick!user@host VERB params`. */
export const fromClient = (c, to, verb, params, trailing = false) => send(to, serialize({ source: sourceOf(c), verb, params }, trailing));
/** A line with no source (ERROR, PING sent by the server to a client). */
export const bare = (to, verb, params) => send(to, serialize({ verb, params }, true));
//# sourceMappingURL=reply.js.map