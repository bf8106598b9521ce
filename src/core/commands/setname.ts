// SETNAME :<realname>   (IRCv3 setname)
// Changes the client's realname (WHOIS 311, WHO 352). An empty realname, or one longer than
// limits.realnameLen (USER's limit), is refused with `FAIL SETNAME INVALID_REALNAME` and
// changes nothing. A change is confirmed with `:nick!user@host SETNAME :<realname>` to the
// client and its channel peers, but only to those that enabled the setname capability: the
// spec forbids sending it to the others.
import { peersOf } from '../channel.js';
import { fromClient, fromServer } from '../reply.js';
import { setClient, withClient } from '../state.js';
import type { VerbSpec } from '../verb.js';

export interface Setname {
  readonly _tag: 'Setname';
  readonly realname: string;
}

export const setname: VerbSpec<Setname> = {
  verbs: ['SETNAME'],
  minParams: 1,
  beforeRegistration: false,
  operOnly: false,
  decode: (m) => ({ _tag: 'Setname', realname: m.params[0]! }),
  handle: (state, c, cmd) => {
    const { realname } = cmd;
    if (realname === '' || realname.length > state.config.limits.realnameLen)
      return [state, [fromServer(state, [c.id], 'FAIL', ['SETNAME', 'INVALID_REALNAME', 'Realname is not valid'], true)]];
    const now = withClient(c, { realname });
    const s = setClient(state, now);
    const to = peersOf(s, now, true).filter((id) => s.clients.get(id)?.caps.has('setname') === true);
    return [s, to.length === 0 ? [] : [fromClient(now, to, 'SETNAME', [realname], true)]];
  },
};
