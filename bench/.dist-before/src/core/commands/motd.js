import { motd as motdReplies } from '../welcome.js';
import { foreignServer } from './serverinfo.js';
export const motd = {
    verbs: ['MOTD'],
    minParams: 0,
    beforeRegistration: false,
    operOnly: false,
    decode: (m) => ({ _tag: 'Motd', target: m.params[0] }),
    handle: (state, c, cmd) => {
        const err = foreignServer(state, c, cmd.target);
        return [state, err === null ? motdReplies(state, c) : [err]];
    },
};
//# sourceMappingURL=motd.js.map