// WHO [<mask> [o][%<fields>[,<token>]]]   (RFC 2812 §3.6.1, Modern IRC "WHO message", IRCv3 WHOX)
// <mask> a channel → its members (352 with that channel and the member's prefix); otherwise a
// nick glob matched against nick, user, host and realname → matching visible users (channel
// field `*`). No mask, `*` or `0` lists every visible user. The `o` flag keeps only operators.
// 315 always ends the reply, echoing the mask as sent.
// Visibility (Modern IRC "Invisible User Mode", "Secret Channel Mode"): a +i user is listed only
// to those sharing a channel with them (or when asked for by exact nick, as ngircd does); a +s
// or +p channel lists its members only to its members. IRC operators get no more than anyone:
// this server never lets them override privacy or channel restrictions.
// WHOX (ISUPPORT WHOX): with `%<fields>`, each user is one 354 RPL_WHOSPCRPL carrying only the
// fields asked for, always in the order t c u i h s n f d l a o r: the query's token, channel,
// username, IP (the host: there is no DNS), host, server, nick, flags, hop count (0), seconds
// idle, account (0: there are no accounts), op level (n/a) and realname (trailing).
import { isMember, prefixOf } from '../channel.js';
import type { Effect } from '../effect.js';
import { globMatch } from '../mask.js';
import { isChannelName } from '../names.js';
import * as N from '../numerics.js';
import { numeric } from '../reply.js';
import { livenessReader } from '../liveness.js';
import { channelByName, clientByNick, isOper, type Channel, type Client, type Liveness, type State } from '../state.js';
import type { VerbSpec } from '../verb.js';

export interface Who {
  readonly _tag: 'Who';
  readonly mask: string;
  readonly opersOnly: boolean;
  /** WHOX: the field letters after `%`, or null for a plain WHO (352). */
  readonly fields: string | null;
  readonly token: string;
}

/** Do two clients share a channel? O(channels²), at most CHANLIMIT². */
export const sharesChannel = (a: Client, b: Client): boolean => {
  if (a.id === b.id) return true;
  for (const key of a.channels) if (b.channels.includes(key)) return true;
  return false;
};

/** May `asker` see `target` in WHO and similar listings? (+i hides non-peers.) */
export const userVisible = (asker: Client, target: Client): boolean =>
  !target.modes.includes('i') || sharesChannel(asker, target);

/** May `asker` see that this channel exists and who is in it? (+s/+p hide it from non-members.) */
export const channelVisible = (ch: Channel, asker: Client): boolean =>
  isMember(ch, asker.id) || !(ch.modes.secret || ch.modes.private);

/** The 352 flags: H (here) or G (gone), `*` for an IRC operator, then the channel prefix. */
export const whoFlags = (target: Client, memberModes: string | null, allPrefixes = false): string =>
  (target.away === null ? 'H' : 'G') + (isOper(target) ? '*' : '') + (memberModes === null ? '' : prefixOf(memberModes, allPrefixes));

const whoReply = (state: State, asker: Client, channel: string, target: Client, memberModes: string | null): Effect =>
  numeric(
    state,
    asker,
    N.RPL_WHOREPLY,
    [channel, target.user ?? '*', target.host, state.config.serverName, target.nick ?? '*', whoFlags(target, memberModes, asker.caps.has('multi-prefix'))],
    `0 ${target.realname}`,
  );

/** WHOX's fields, in the order a 354 carries them whatever the order asked. */
const WHOX_ORDER = 'tcuihsnfdlaor';

const whoxReply = (
  state: State,
  liveness: (x: Client) => Liveness,
  asker: Client,
  cmd: Who,
  channel: string,
  target: Client,
  memberModes: string | null,
): Effect => {
  const fields = cmd.fields!;
  const params: string[] = [];
  for (const f of WHOX_ORDER) {
    if (f === 'r' || !fields.includes(f)) continue;
    if (f === 't') params.push(cmd.token);
    else if (f === 'c') params.push(channel);
    else if (f === 'u') params.push(target.user ?? '*');
    else if (f === 'i' || f === 'h') params.push(target.host);
    else if (f === 's') params.push(state.config.serverName);
    else if (f === 'n') params.push(target.nick ?? '*');
    else if (f === 'f') params.push(whoFlags(target, memberModes, asker.caps.has('multi-prefix')));
    else if (f === 'd') params.push('0');
    else if (f === 'l') params.push(String(Math.max(0, Math.floor((state.now - liveness(target).activeAt) / 1000))));
    else if (f === 'a') params.push('0');
    else if (f === 'o') params.push('n/a');
  }
  return fields.includes('r')
    ? numeric(state, asker, N.RPL_WHOSPCRPL, params, target.realname)
    : numeric(state, asker, N.RPL_WHOSPCRPL, params);
};

const HAS_WILDCARD = /[*?]/;

const matchesMask = (state: State, mask: string, x: Client): boolean => {
  const cm = state.config.casemapping;
  return (
    globMatch(mask, x.nick ?? '', cm) ||
    globMatch(mask, x.user ?? '', cm) ||
    globMatch(mask, x.host, cm) ||
    globMatch(mask, x.realname, cm)
  );
};

export const who: VerbSpec<Who> = {
  verbs: ['WHO'],
  minParams: 0,
  beforeRegistration: false,
  operOnly: false,
  decode: (m) => {
    const options = m.params[1] ?? '';
    const pct = options.indexOf('%');
    const flags = pct < 0 ? options : options.slice(0, pct);
    const [asked = '', token = ''] = pct < 0 ? [] : options.slice(pct + 1).split(',', 2);
    // Only known letters count; with none, it is a plain WHO (as ircu and Solanum answer). A
    // token is 1-3 digits, else 0 (Solanum).
    const fields = [...asked].filter((f) => WHOX_ORDER.includes(f)).join('');
    return {
      _tag: 'Who',
      mask: m.params[0] ?? '*',
      opersOnly: flags.includes('o'),
      fields: fields === '' ? null : fields,
      token: /^\d{1,3}$/.test(token) ? token : '0',
    };
  },
  handle: (state, c, cmd) => {
    const out: Effect[] = [];
    // Idle times (%l) of many clients: the lines not yet in their records indexed once, if asked.
    let reader: ((x: Client) => Liveness) | null = null;
    const liveness = (x: Client): Liveness => (reader ??= livenessReader(state))(x);
    const reply = (channel: string, x: Client, modes: string | null): Effect =>
      cmd.fields === null ? whoReply(state, c, channel, x, modes) : whoxReply(state, liveness, c, cmd, channel, x, modes);
    const wanted = (x: Client): boolean => x.registered && (!cmd.opersOnly || isOper(x));
    const mask = cmd.mask === '' || cmd.mask === '0' ? '*' : cmd.mask;
    if (isChannelName(mask)) {
      const ch = channelByName(state, mask);
      if (ch !== undefined && channelVisible(ch, c)) {
        const inside = isMember(ch, c.id);
        for (let i = 0; i < ch.memberIds.length; i++) {
          const modes = ch.memberModes[i]!;
          const x = state.clients.get(ch.memberIds[i]!);
          // Outside a channel one sees only its members who are not +i (or who share another).
          if (x !== undefined && wanted(x) && (inside || userVisible(c, x))) out.push(reply(ch.name, x, modes));
        }
      }
    } else if (!HAS_WILDCARD.test(mask)) {
      // An exact nickname: one index lookup, listed even when +i (the asker named them).
      const x = clientByNick(state, mask);
      if (x !== undefined && wanted(x)) out.push(reply('*', x, null));
    } else {
      // A glob has to look at every client: fine for a query, kept off the hot paths.
      for (const x of state.clients.values()) {
        if (wanted(x) && userVisible(c, x) && matchesMask(state, mask, x)) out.push(reply('*', x, null));
      }
    }
    out.push(numeric(state, c, N.RPL_ENDOFWHO, [cmd.mask === '' ? '*' : cmd.mask]));
    return [state, out];
  },
};
