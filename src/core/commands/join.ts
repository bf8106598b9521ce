// JOIN <channel>{,<channel>} [<key>{,<key>}]   JOIN 0   (RFC 2812 §3.2.1, Modern IRC "JOIN message")
// The first key goes with the first channel, and so on; extra keys are ignored. A new channel
// is created by its first member, who becomes its operator. On success, in this order: the
// JOIN echo to every member (the joiner included, ONE Send), then to the joiner the topic
// (332 + 333, nothing when there is none) and the names (353... + 366).
// Errors, per channel: 476 no CHANTYPES prefix, 403 otherwise invalid (bad character, longer
// than CHANNELLEN), 405 over CHANLIMIT, 407 beyond TARGMAX, then on an existing channel, in
// InspIRCd's order: 475 (+k), 473 (+i), 471 (+l), 474 (+b).
// `JOIN 0` leaves every channel, as a PART without reason for each (Modern IRC). A joiner who
// is away is then announced to the members with away-notify (away.ts).
import { isBanned, isMember, joinChannel, listMatches, newChannel } from '../channel.js';
import type { Effect } from '../effect.js';
import { decodeChannelName, decodeKey, isChannelName } from '../names.js';
import * as N from '../numerics.js';
import { numeric } from '../reply.js';
import { foldName, type Channel, type Client, type State, withState } from '../state.js';
import type { VerbSpec } from '../verb.js';
import { partOne } from './part.js';
import { awayNotice } from './away.js';
import { joinReplies } from './names.js';

export interface Join {
  readonly _tag: 'Join';
  readonly channels: readonly string[];
  readonly keys: readonly string[];
}

/**
 * Why `c` may not join `ch` with `key`, as the numeric to send, or null if it may.
 * An invitation admits past +i and +l ("An INVITE message can be used by channel members to
 * allow a user to join despite the limit", Modern IRC; Solanum does the same), never past +k
 * or a ban; a +I match admits past +i only. IRC operators get no override here (like InspIRCd
 * without its override module).
 */
export const joinRefusal = (state: State, ch: Channel, c: Client, key: string | null): N.Numeric | null => {
  const invited = (): boolean => c.invites.get(foldName(state, ch.name)) === ch.serial;
  if (ch.modes.key !== null && key !== ch.modes.key) return N.ERR_BADCHANNELKEY;
  if (ch.modes.inviteOnly && !invited() && !listMatches(state, ch.invex, c)) return N.ERR_INVITEONLYCHAN;
  if (ch.modes.limit !== null && ch.memberIds.length >= ch.modes.limit && !invited()) return N.ERR_CHANNELISFULL;
  if (isBanned(state, ch, c)) return N.ERR_BANNEDFROMCHAN;
  return null;
};

/** `JOIN 0`: leave every channel, each as a PART without a reason. */
const partAll = (state: State, c: Client): [State, Effect[]] => {
  let s = state;
  const out: Effect[] = [];
  for (const key of c.channels) {
    const [next, effects] = partOne(s, c, key, null);
    s = next;
    out.push(...effects);
  }
  return [s, out];
};

export const join: VerbSpec<Join> = {
  verbs: ['JOIN'],
  minParams: 1,
  beforeRegistration: false,
  operOnly: false,
  decode: (m) => ({
    _tag: 'Join',
    channels: m.params[0]!.split(',').filter((x) => x !== ''),
    keys: m.params[1] === undefined ? [] : m.params[1].split(','),
  }),
  handle: (state, c, cmd) => {
    if (cmd.channels.length === 1 && cmd.channels[0] === '0') return partAll(state, c);
    // `JOIN :` or `JOIN ,`: no channel at all, as if the parameter were missing.
    if (cmd.channels.length === 0) return [state, [numeric(state, c, N.ERR_NEEDMOREPARAMS, ['JOIN'])]];
    const { channelLen, maxChannels, maxTargets } = state.config.limits;
    let s = state;
    const out: Effect[] = [];
    const seen = new Set<string>();
    cmd.channels.forEach((raw, i) => {
      const me = s.clients.get(c.id) ?? c;
      if (!isChannelName(raw)) return void out.push(numeric(s, me, N.ERR_BADCHANMASK, [raw]));
      const name = decodeChannelName(raw, channelLen);
      if (name === null) return void out.push(numeric(s, me, N.ERR_NOSUCHCHANNEL, [raw]));
      const key = foldName(s, name);
      if (seen.has(key)) return;
      if (seen.size >= maxTargets) return void out.push(numeric(s, me, N.ERR_TOOMANYTARGETS, [name]));
      seen.add(key);
      const existing = s.channels.get(key);
      if (existing !== undefined && isMember(existing, me.id)) return; // already there: nothing at all
      if (me.channels.length >= maxChannels) return void out.push(numeric(s, me, N.ERR_TOOMANYCHANNELS, [existing?.name ?? name]));
      if (existing === undefined) {
        const serial = s.counters.channels + 1;
        s = withState(s, { counters: { ...s.counters, channels: serial } });
        s = joinChannel(s, me, key, newChannel(name, s.now, serial), 'o');
      } else {
        const given = cmd.keys[i];
        const refusal = joinRefusal(s, existing, me, given === undefined ? null : decodeKey(given));
        if (refusal !== null) return void out.push(numeric(s, me, refusal, [existing.name]));
        // The channel index's own key object, which the client's channel list then shares.
        s = joinChannel(s, me, s.channels.keyOf(key) ?? key, existing, '');
      }
      const joined = s.clients.get(c.id) ?? me;
      const ch = s.channels.get(key)!;
      out.push(...joinReplies(s, joined, ch));
      if (joined.away !== null) out.push(...awayNotice(s, joined, ch.memberIds));
    });
    return [s, out];
  },
};
