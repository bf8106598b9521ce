import { lusers as lusersReplies } from '../welcome.js';
import { foreignServer } from './serverinfo.js';
export const lusers = {
    verbs: ['LUSERS'],
    minParams: 0,
    beforeRegistration: false,
    operOnly: false,
    decode: (m) => ({ _tag: 'Lusers', target: m.params[1] }),
    handle: (state, c, cmd) => {
        const err = foreignServer(state, c, cmd.target);
        return [state, err === null ? lusersReplies(state, c) : [err]];
    },
};
//# sourceMappingURL=lusers.js.map