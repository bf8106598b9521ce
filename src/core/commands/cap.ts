// CAP <subcommand> [:capabilities]   (IRCv3 capability negotiation, version 302)
// Offered (IRCv3): away-notify (away.ts); cap-notify (no capability ever comes or goes while the
// server runs, so it never sends CAP NEW or DEL; offered because 302 clients have it implicitly,
// and they cannot turn it off); echo-message (PRIVMSG and NOTICE come back to their sender,
// privmsg.ts); extended-join (JOIN with account `*` and realname, names.ts); invite-notify
// (invite.ts); message-tags (client-only tags relayed, and TAGMSG: privmsg.ts and the
// MessageTags effect); multi-prefix (every channel prefix of a member in NAMES, WHO and WHOIS);
// server-time (every line to the client carries `@time=`, added by whoever delivers it: the
// ServerTime effect); setname (setname.ts); userhost-in-names (NAMES lists nick!user@host).
// CAP REQ is all or nothing: if any capability named is unknown, the whole request gets NAK and
// nothing changes; otherwise ACK, and `-cap` disables. Negotiation started before registration
// holds registration until CAP END.
import { messageTags, serverTime } from '../effect.js';
import * as N from '../numerics.js';
import { tryRegister } from '../registration.js';
import { fromServer, numeric, target } from '../reply.js';
import { setClient, type Client, withClient } from '../state.js';
import type { VerbSpec } from '../verb.js';

export interface Cap {
  readonly _tag: 'Cap';
  readonly sub: string;
  readonly arg: string;
}

/** Capabilities offered, with their LS values (shown to CAP LS 302 clients when not empty). */
export const CAPABILITIES: Readonly<Record<string, string>> = {
  'away-notify': '',
  'cap-notify': '',
  'echo-message': '',
  'extended-join': '',
  'invite-notify': '',
  'message-tags': '',
  'multi-prefix': '',
  'server-time': '',
  'setname': '',
  'userhost-in-names': '',
};

/**
 * The client's capabilities after a REQ, or null if the request names an unknown one, or would
 * disable cap-notify after `CAP LS 302` (which enables it for good: IRCv3 says a server MUST NOT
 * disable it then).
 */
const requested = (caps: Client['caps'], capVersion: number, arg: string): Client['caps'] | null => {
  let next = caps;
  for (const token of arg.split(' ')) {
    if (token === '') continue;
    const off = token.startsWith('-');
    const name = off ? token.slice(1) : token;
    if (!Object.prototype.hasOwnProperty.call(CAPABILITIES, name)) return null;
    if (off && name === 'cap-notify' && capVersion >= 302) return null;
    next = off ? next.delete(name) : next.add(name);
  }
  return next;
};

export const cap: VerbSpec<Cap> = {
  verbs: ['CAP'],
  minParams: 1,
  beforeRegistration: true,
  operOnly: false,
  // ASCII-only upper case: String#toUpperCase turns latin1 bytes into wider chars (ÿ → Ÿ).
  decode: (m) => ({ _tag: 'Cap', sub: m.params[0]!.replace(/[a-z]+/g, (w) => w.toUpperCase()), arg: m.params[1] ?? '' }),
  handle: (state, c, cmd) => {
    const negotiating = (x: Client): Client => (x.registered ? x : withClient(x, { capNegotiating: true }));
    switch (cmd.sub) {
      case 'LS': {
        const version = Number.parseInt(cmd.arg, 10);
        const next = withClient(negotiating(c), { capVersion: Number.isFinite(version) ? Math.max(c.capVersion, version) : c.capVersion });
        const list = Object.keys(CAPABILITIES)
          .map((k) => (next.capVersion >= 302 && CAPABILITIES[k] ? `${k}=${CAPABILITIES[k]}` : k))
          .join(' ');
        return [setClient(state, next), [fromServer(state, [c.id], 'CAP', [target(c), 'LS', list], true)]];
      }
      case 'LIST':
        return [state, [fromServer(state, [c.id], 'CAP', [target(c), 'LIST', [...c.caps].join(' ')], true)]];
      case 'REQ': {
        const caps = requested(c.caps, c.capVersion, cmd.arg);
        const verdict = caps === null ? 'NAK' : 'ACK';
        const next = withClient(negotiating(c), { caps: caps ?? c.caps });
        const out = [fromServer(state, [c.id], 'CAP', [target(c), verdict, cmd.arg], true)];
        // After the ACK (itself untagged), the lines to this client carry the time, or stop to.
        const time = next.caps.has('server-time');
        if (time !== c.caps.has('server-time')) out.push(serverTime(c.id, time));
        const tags = next.caps.has('message-tags');
        if (tags !== c.caps.has('message-tags')) out.push(messageTags(c.id, tags));
        return [setClient(state, next), out];
      }
      case 'END':
        return c.registered ? [state, []] : tryRegister(state, withClient(c, { capNegotiating: false }));
      default:
        return [state, [numeric(state, c, N.ERR_INVALIDCAPCMD, [cmd.sub])]];
    }
  },
};
