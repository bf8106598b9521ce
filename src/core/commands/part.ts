// PART <channel>{,<channel>} [<reason>]   (RFC 2812 §3.2.2, Modern IRC "PART message")
// Each channel left is echoed to all its members, the parter included, one PART per channel
// (with the reason on each). 403 no such channel, 442 not on it, 407 beyond TARGMAX.
import { isMember, leaveChannel } from '../channel.js';
import type { Effect } from '../effect.js';
import * as N from '../numerics.js';
import { fromClient, numeric } from '../reply.js';
import { foldName, type Client, type State } from '../state.js';
import type { Result, VerbSpec } from '../verb.js';

export interface Part {
  readonly _tag: 'Part';
  readonly channels: readonly string[];
  readonly reason: string | null;
}

/** `c` leaves the channel keyed `key` (it must be a member): echo, then removal. */
export const partOne = (state: State, c: Client, key: string, reason: string | null): Result => {
  const ch = state.channels.get(key);
  if (ch === undefined || !isMember(ch, c.id)) return [state, []];
  const params = reason === null || reason === '' ? [ch.name] : [ch.name, reason];
  return [leaveChannel(state, c.id, key), [fromClient(c, ch.memberIds, 'PART', params, params.length > 1)]];
};

export const part: VerbSpec<Part> = {
  verbs: ['PART'],
  minParams: 1,
  beforeRegistration: false,
  operOnly: false,
  decode: (m) => ({
    _tag: 'Part',
    channels: m.params[0]!.split(',').filter((x) => x !== ''),
    reason: m.params[1] ?? null,
  }),
  handle: (state, c, cmd) => {
    if (cmd.channels.length === 0) return [state, [numeric(state, c, N.ERR_NEEDMOREPARAMS, ['PART'])]];
    let s = state;
    const out: Effect[] = [];
    const seen = new Set<string>();
    for (const raw of cmd.channels) {
      const key = foldName(s, raw);
      if (seen.has(key)) continue;
      if (seen.size >= s.config.limits.maxTargets) {
        out.push(numeric(s, c, N.ERR_TOOMANYTARGETS, [raw]));
        continue;
      }
      seen.add(key);
      const ch = s.channels.get(key);
      if (ch === undefined) out.push(numeric(s, c, N.ERR_NOSUCHCHANNEL, [raw]));
      else if (!isMember(ch, c.id)) out.push(numeric(s, c, N.ERR_NOTONCHANNEL, [ch.name]));
      else {
        const [next, effects] = partOne(s, c, key, cmd.reason);
        s = next;
        out.push(...effects);
      }
    }
    return [s, out];
  },
};
