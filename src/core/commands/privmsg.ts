// PRIVMSG <target>{,<target>} :<text>   NOTICE likewise   (RFC 2812 §3.3, Modern IRC)
// Targets: nicknames, channels, and status-prefixed channels (@#chan, +#chan: STATUSMSG).
// Errors: 411 no recipient, 412 no text, 401 no such nick/channel, 404 cannot send, 407 too
// many targets (the first TARGMAX are served). NOTICE never triggers an automatic reply.
// IRCv3 echo-message: a sender that enabled it also gets each message it sent (in the same
// Send as the delivery, so the line is still serialized once), but none that was refused.
// IRCv3 message-tags: client-only tags (`+key`) are relayed to recipients that enabled
// message-tags (a TaggedSend; more than 4094 bytes of tag data is 417, at parse), and TAGMSG <target>{,<target>}
// is a message of tags alone, delivered only to those recipients, answered like PRIVMSG.
import { cannotSpeak, isMember, recipients } from '../channel.js';
import { send, taggedSend, type Effect } from '../effect.js';
import { isChannelName } from '../names.js';
import * as N from '../numerics.js';
import { numeric, textLine } from '../reply.js';
import { clientTagsOf, serialize } from '../message.js';
import { channelByName, clientByNick, foldName, sourceOf, type Client, type State } from '../state.js';
import type { VerbSpec } from '../verb.js';

export interface Privmsg {
  readonly _tag: 'Privmsg';
  readonly verb: 'PRIVMSG' | 'NOTICE' | 'TAGMSG';
  readonly targets: readonly string[];
  readonly text: string | null;
  /** Client-only tags to relay (message-tags), serialized; '' for none (nearly every message). */
  readonly tags: string;
}

/** The comma-separated targets, empty ones dropped (one target, the usual case, without a split). */
const targetsOf = (p: string | undefined): readonly string[] =>
  p === undefined || p === '' ? [] : p.indexOf(',') < 0 ? [p] : p.split(',').filter((t) => t !== '');

/** The delivery of `line` to `to`: a plain Send unless the message carries client-only tags or is a TAGMSG. */
const deliver = (cmd: Privmsg, to: readonly number[], line: string, except?: number): Effect =>
  cmd.tags === '' && cmd.verb !== 'TAGMSG' ? send(to, line, except) : taggedSend(to, line, cmd.tags, cmd.verb === 'TAGMSG', except);

/** The message's line to `target`: TAGMSG has no text. */
const lineTo = (c: Client, cmd: Privmsg, target: string, text: string): string =>
  cmd.verb === 'TAGMSG' ? serialize({ source: sourceOf(c), verb: 'TAGMSG', params: [target] }) : textLine(c, cmd.verb, target, text);

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
      if (echo) return [deliver(cmd, isMember(ch, c.id) ? ids : [...ids, c.id], lineTo(c, cmd, ch.name, text))];
      if (!(ids.length > 1 || (ids.length === 1 && ids[0] !== c.id))) return [];
      // Nearly all traffic: no tags, no echo: one Send, built directly.
      if (cmd.tags === '' && cmd.verb !== 'TAGMSG') return [send(ids, textLine(c, cmd.verb, ch.name, text), c.id)];
      return [deliver(cmd, ids, lineTo(c, cmd, ch.name, text), c.id)];
    }
    const to = recipients(ch, c.id, status === '@' ? 'o' : 'v');
    if (echo) to.push(c.id);
    return to.length > 0 ? [deliver(cmd, to, lineTo(c, cmd, status + ch.name, text))] : [];
  }
  const dest = status === '' ? clientByNick(state, name) : undefined;
  if (dest === undefined || !dest.registered) return notice ? [] : [numeric(state, c, N.ERR_NOSUCHNICK, [raw])];
  // A message to oneself arrives once, echo or not.
  const delivery = deliver(cmd, echo && dest.id !== c.id ? [dest.id, c.id] : [dest.id], lineTo(c, cmd, dest.nick!, text));
  return cmd.verb === 'PRIVMSG' && dest.away !== null ? [delivery, numeric(state, c, N.RPL_AWAY, [dest.nick!], dest.away)] : [delivery];
};

export const privmsg: VerbSpec<Privmsg> = {
  verbs: ['PRIVMSG', 'NOTICE', 'TAGMSG'],
  minParams: 0,
  beforeRegistration: false,
  operOnly: false,
  resetsIdle: (cmd) => cmd.verb === 'PRIVMSG',
  decode: (m) => ({
    _tag: 'Privmsg',
    verb: m.verb === 'NOTICE' ? 'NOTICE' : m.verb === 'TAGMSG' ? 'TAGMSG' : 'PRIVMSG',
    targets: targetsOf(m.params[0]),
    text: m.params[1] ?? null,
    tags: m.tags === undefined ? '' : clientTagsOf(m.tags),
  }),
  handle: (state, c, cmd) => {
    // Errors in target order, interleaved with AWAY replies; none at all for NOTICE.
    const notice = cmd.verb === 'NOTICE';
    const tagmsg = cmd.verb === 'TAGMSG';
    if (cmd.targets.length === 0) {
      if (tagmsg) return [state, [numeric(state, c, N.ERR_NEEDMOREPARAMS, ['TAGMSG'])]];
      return [state, notice ? [] : [numeric(state, c, N.ERR_NORECIPIENT, [], `No recipient given (${cmd.verb})`)]];
    }
    if (!tagmsg && (cmd.text === null || cmd.text === '')) return [state, notice ? [] : [numeric(state, c, N.ERR_NOTEXTTOSEND)]];
    const text = cmd.text ?? '';
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
