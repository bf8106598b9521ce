// PRIVMSG <target>{,<target>} :<text>   NOTICE likewise   (RFC 2812 §3.3, Modern IRC)
// Targets: nicknames, channels, and status-prefixed channels (@#chan, +#chan: STATUSMSG).
// Errors: 411 no recipient, 412 no text, 401 no such nick/channel, 404 cannot send, 407 too
// many targets (the first TARGMAX are served). NOTICE never triggers an automatic reply.
// IRCv3 echo-message: a sender that enabled it also gets each message it sent (in the same
// Send as the delivery, so the line is still serialized once), but none that was refused.
import { cannotSpeak, isMember, recipients } from '../channel.js';
import { send, type Effect } from '../effect.js';
import { isChannelName } from '../names.js';
import * as N from '../numerics.js';
import { numeric, textLine } from '../reply.js';
import { channelByName, clientByNick, foldName, type Client, type State } from '../state.js';
import type { VerbSpec } from '../verb.js';

export interface Privmsg {
  readonly _tag: 'Privmsg';
  readonly verb: 'PRIVMSG' | 'NOTICE';
  readonly targets: readonly string[];
  readonly text: string | null;
}

/** The comma-separated targets, empty ones dropped (one target, the usual case, without a split). */
const targetsOf = (p: string | undefined): readonly string[] =>
  p === undefined || p === '' ? [] : p.indexOf(',') < 0 ? [p] : p.split(',').filter((t) => t !== '');

/**
 * One target's delivery, or its error (none for NOTICE); a PRIVMSG to an away client also gets
 * RPL_AWAY. `key` is the target's fold. Returned as an exact-size array: the single-target
 * PRIVMSG, most of all traffic, returns it as it is.
 */
const toTarget = (state: State, c: Client, cmd: Privmsg, raw: string, key: string, text: string): Effect[] => {
  const notice = cmd.verb === 'NOTICE';
  // (caps.size first: most clients have none, and then no set lookup on the hot path.)
  const echo = c.caps.size !== 0 && c.caps.has('echo-message');
  // STATUSMSG: a leading @ or + before a channel name limits delivery by status.
  const status = raw[0] === '@' || raw[0] === '+' ? raw[0] : '';
  const name = status === '' ? raw : raw.slice(1);
  if (isChannelName(name)) {
    const ch = status === '' ? state.channels.get(key) : channelByName(state, name);
    if (ch === undefined) return notice ? [] : [numeric(state, c, N.ERR_NOSUCHNICK, [raw])];
    if (cannotSpeak(state, ch, c) !== null) return notice ? [] : [numeric(state, c, N.ERR_CANNOTSENDTOCHAN, [ch.name])];
    if (status === '') {
      // Every member but the sender: the channel's own id array, not a copy.
      const ids = ch.memberIds;
      if (echo) return [send(isMember(ch, c.id) ? ids : [...ids, c.id], textLine(c, cmd.verb, ch.name, text))];
      return ids.length > 1 || (ids.length === 1 && ids[0] !== c.id) ? [send(ids, textLine(c, cmd.verb, ch.name, text), c.id)] : [];
    }
    const to = recipients(ch, c.id, status === '@' ? 'o' : 'v');
    if (echo) to.push(c.id);
    return to.length > 0 ? [send(to, textLine(c, cmd.verb, status + ch.name, text))] : [];
  }
  const dest = status === '' ? clientByNick(state, name) : undefined;
  if (dest === undefined || !dest.registered) return notice ? [] : [numeric(state, c, N.ERR_NOSUCHNICK, [raw])];
  // A message to oneself arrives once, echo or not.
  const delivery = send(echo && dest.id !== c.id ? [dest.id, c.id] : [dest.id], textLine(c, cmd.verb, dest.nick!, text));
  return !notice && dest.away !== null ? [delivery, numeric(state, c, N.RPL_AWAY, [dest.nick!], dest.away)] : [delivery];
};

export const privmsg: VerbSpec<Privmsg> = {
  verbs: ['PRIVMSG', 'NOTICE'],
  minParams: 0,
  beforeRegistration: false,
  operOnly: false,
  resetsIdle: (cmd) => cmd.verb === 'PRIVMSG',
  decode: (m) => ({
    _tag: 'Privmsg',
    verb: m.verb === 'NOTICE' ? 'NOTICE' : 'PRIVMSG',
    targets: targetsOf(m.params[0]),
    text: m.params[1] ?? null,
  }),
  handle: (state, c, cmd) => {
    // Errors in target order, interleaved with AWAY replies; none at all for NOTICE.
    const notice = cmd.verb === 'NOTICE';
    const text = cmd.text;
    if (cmd.targets.length === 0)
      return [state, notice ? [] : [numeric(state, c, N.ERR_NORECIPIENT, [], `No recipient given (${cmd.verb})`)]];
    if (text === null || text === '') return [state, notice ? [] : [numeric(state, c, N.ERR_NOTEXTTOSEND)]];
    // One target, the usual case: no duplicate check.
    if (cmd.targets.length === 1) return [state, toTarget(state, c, cmd, cmd.targets[0]!, foldName(state, cmd.targets[0]!), text)];
    const out: Effect[] = [];
    const seen = new Set<string>();
    const max = state.config.limits.maxTargets;
    for (const raw of cmd.targets) {
      const key = foldName(state, raw);
      if (seen.has(key)) continue;
      if (seen.size >= max) {
        if (!notice) out.push(numeric(state, c, N.ERR_TOOMANYTARGETS, [raw]));
        continue;
      }
      seen.add(key);
      for (const e of toTarget(state, c, cmd, raw, key, text)) out.push(e);
    }
    return [state, out];
  },
};
