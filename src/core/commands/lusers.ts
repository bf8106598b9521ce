// LUSERS [<mask> [<target>]]   (RFC 2812 §3.4.2, Modern IRC "LUSERS message")
// The same 251-266 block as the welcome burst (welcome.ts). A single server has nothing to
// filter by <mask>; a <target> naming another server → 402.
import type { VerbSpec } from '../verb.js';
import { lusers as lusersReplies } from '../welcome.js';
import { foreignServer } from './serverinfo.js';

export interface Lusers {
  readonly _tag: 'Lusers';
  readonly target: string | undefined;
}

export const lusers: VerbSpec<Lusers> = {
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
