// PRIVMSG <target>{,<target>} :<text>   NOTICE likewise   (RFC 2812 §3.3, Modern IRC)
// Targets: nicknames, channels, and status-prefixed channels (@#chan, +#chan: STATUSMSG).
// Errors: 411 no recipient, 412 no text, 401 no such nick/channel, 404 cannot send, 407 too
// many targets (the first TARGMAX are served). NOTICE never triggers an automatic reply.
import { cannotSpeak, recipients } from '../channel.js';
import type { Effect } from '../effect.js';
import { isChannelName } from '../names.js';
import * as N from '../numerics.js';
import { fromClient, numeric } from '../reply.js';
import { channelByName, clientByNick, foldName } from '../state.js';
import type { VerbSpec } from '../verb.js';

export interface Privmsg {
  readonly _tag: 'Privmsg';
  readonly verb: 'PRIVMSG' | 'NOTICE';
  readonly targets: readonly string[];
  readonly text: string | null;
}

export const privmsg: VerbSpec<Privmsg> = {
  verbs: ['PRIVMSG', 'NOTICE'],
  minParams: 0,
  beforeRegistration: false,
  operOnly: false,
  resetsIdle: (cmd) => cmd.verb === 'PRIVMSG',
  decode: (m) => ({
    _tag: 'Privmsg',
    verb: m.verb === 'NOTICE' ? 'NOTICE' : 'PRIVMSG',
    targets: m.params.length > 0 ? m.params[0]!.split(',').filter((t) => t !== '') : [],
    text: m.params[1] ?? null,
  }),
  handle: (state, c, cmd) => {
    const notice = cmd.verb === 'NOTICE';
    const out: Effect[] = [];
    // Errors in target order, interleaved with AWAY replies; none at all for NOTICE.
    const err: typeof numeric = (...a) => {
      const e = numeric(...a);
      if (!notice) out.push(e);
      return e;
    };
    if (cmd.targets.length === 0) {
      err(state, c, N.ERR_NORECIPIENT, [], `No recipient given (${cmd.verb})`);
      return [state, out];
    }
    if (cmd.text === null || cmd.text === '') {
      err(state, c, N.ERR_NOTEXTTOSEND);
      return [state, out];
    }
    const seen = new Set<string>();
    const max = state.config.limits.maxTargets;
    for (const raw of cmd.targets) {
      const key = foldName(state, raw);
      if (seen.has(key)) continue;
      if (seen.size >= max) {
        err(state, c, N.ERR_TOOMANYTARGETS, [raw]);
        continue;
      }
      seen.add(key);
      // STATUSMSG: a leading @ or + before a channel name limits delivery by status.
      const status = raw[0] === '@' || raw[0] === '+' ? raw[0] : '';
      const name = status === '' ? raw : raw.slice(1);
      if (isChannelName(name)) {
        const ch = status === '' ? state.channels.get(key) : channelByName(state, name);
        if (ch === undefined) {
          err(state, c, N.ERR_NOSUCHNICK, [raw]);
          continue;
        }
        if (cannotSpeak(state, ch, c) !== null) {
          err(state, c, N.ERR_CANNOTSENDTOCHAN, [ch.name]);
          continue;
        }
        const to = recipients(ch, c.id, status === '@' ? 'o' : status === '+' ? 'v' : '');
        if (to.length > 0) out.push(fromClient(c, to, cmd.verb, [status + ch.name, cmd.text], true));
        continue;
      }
      const dest = status === '' ? clientByNick(state, name) : undefined;
      if (dest === undefined || !dest.registered) {
        err(state, c, N.ERR_NOSUCHNICK, [raw]);
        continue;
      }
      out.push(fromClient(c, [dest.id], cmd.verb, [dest.nick!, cmd.text], true));
      if (!notice && dest.away !== null) out.push(numeric(state, c, N.RPL_AWAY, [dest.nick!], dest.away));
    }
    return [state, out];
  },
};
