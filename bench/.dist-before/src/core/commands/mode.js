// MODE <target> [<modestring> [<mode arguments>...]]   (RFC 2811 §4, RFC 2812 §3.1.5/§3.2.3,
// Modern IRC "MODE message"). A target starting with a CHANTYPES prefix is a channel (403 if
// it does not exist), anything else a nickname (401 if nobody has it). The logic lives in
// modes/channel.ts and modes/user.ts; this module decodes and dispatches.
import { isChannelName } from '../names.js';
import { channelMode, channelModeReply } from '../modes/channel.js';
import { userMode } from '../modes/user.js';
import * as N from '../numerics.js';
import { numeric } from '../reply.js';
import { clientByNick, foldName } from '../state.js';
export const mode = {
    verbs: ['MODE'],
    minParams: 1,
    beforeRegistration: false,
    operOnly: false,
    decode: (m) => ({
        _tag: 'Mode',
        target: m.params[0] ?? '',
        modestring: m.params[1] ?? null,
        args: m.params.slice(2),
    }),
    handle: (state, c, cmd) => {
        if (isChannelName(cmd.target)) {
            const key = foldName(state, cmd.target);
            const ch = state.channels.get(key);
            if (ch === undefined)
                return [state, [numeric(state, c, N.ERR_NOSUCHCHANNEL, [cmd.target])]];
            if (cmd.modestring === null)
                return [state, channelModeReply(state, c, ch)];
            return channelMode(state, c, key, cmd.modestring, cmd.args);
        }
        const target = clientByNick(state, cmd.target);
        if (target === undefined || !target.registered)
            return [state, [numeric(state, c, N.ERR_NOSUCHNICK, [cmd.target])]];
        return userMode(state, c, target, cmd.modestring);
    },
};
//# sourceMappingURL=mode.js.map