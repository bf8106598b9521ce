// MOTD [<target>]   (RFC 2812 §3.4.1, Modern IRC "MOTD message")
// 375, 372 per line, 376 — or 422 when no MOTD is configured (welcome.ts builds both).
// A <target> naming another server → 402.
import type { VerbSpec } from '../verb.js';
import { motd as motdReplies } from '../welcome.js';
import { foreignServer } from './serverinfo.js';

export interface Motd {
  readonly _tag: 'Motd';
  readonly target: string | undefined;
}

export const motd: VerbSpec<Motd> = {
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
