// TOPIC <channel> [<topic>]   (RFC 2812 §3.2.4, Modern IRC "TOPIC message")
// Query: 331 when none, else 332 + 333. Set: echoed as TOPIC to every member, the setter
// included; an empty <topic> clears it. Longer than TOPICLEN is truncated.
// Errors: 403 no such channel; 442 setting when not a member, or querying a secret/private
// channel one is not in (Modern IRC: MAY; a public channel's topic is shown to anyone, as
// InspIRCd does); 482 setting a +t channel without being an operator (no override for IRC
// operators, like InspIRCd without its override module).
import { isHiddenFrom, isMember, isOp } from '../channel.js';
import * as N from '../numerics.js';
import { fromClient, numeric } from '../reply.js';
import { channelByName, foldName, setChannel, sourceOf, withChannel } from '../state.js';
import { unixSeconds } from '../time.js';
import type { VerbSpec } from '../verb.js';

export interface Topic {
  readonly _tag: 'Topic';
  readonly channel: string;
  readonly topic: string | null;
}

export const topic: VerbSpec<Topic> = {
  verbs: ['TOPIC'],
  minParams: 1,
  beforeRegistration: false,
  operOnly: false,
  decode: (m) => ({ _tag: 'Topic', channel: m.params[0]!, topic: m.params[1] ?? null }),
  handle: (state, c, cmd) => {
    const ch = channelByName(state, cmd.channel);
    if (ch === undefined) return [state, [numeric(state, c, N.ERR_NOSUCHCHANNEL, [cmd.channel])]];
    if (cmd.topic === null) {
      if (isHiddenFrom(ch, c.id)) return [state, [numeric(state, c, N.ERR_NOTONCHANNEL, [ch.name])]];
      if (ch.topic === null) return [state, [numeric(state, c, N.RPL_NOTOPIC, [ch.name])]];
      return [
        state,
        [
          numeric(state, c, N.RPL_TOPIC, [ch.name], ch.topic.text),
          numeric(state, c, N.RPL_TOPICWHOTIME, [ch.name, ch.topic.setBy, unixSeconds(ch.topic.setAt)]),
        ],
      ];
    }
    if (!isMember(ch, c.id)) return [state, [numeric(state, c, N.ERR_NOTONCHANNEL, [ch.name])]];
    if (ch.modes.topicLocked && !isOp(ch, c.id)) return [state, [numeric(state, c, N.ERR_CHANOPRIVSNEEDED, [ch.name])]];
    const text = cmd.topic.slice(0, state.config.limits.topicLen);
    const next = withChannel(ch, { topic: text === '' ? null : { text, setBy: sourceOf(c), setAt: state.now } });
    return [
      setChannel(state, foldName(state, ch.name), next),
      [fromClient(c, ch.memberIds, 'TOPIC', [ch.name, text], true)],
    ];
  },
};
