// WHOIS [<server>] <nick>{,<nick>}   (RFC 2812 §3.6.2, Modern IRC "WHOIS message")
// For a user: 311 user, 319 channels (highest prefix each), 312 server, 301 away, 313 operator,
// 671 TLS, 317 idle + signon; for an unknown nick 401. 318 always ends the reply and echoes the
// nick parameter exactly as sent (the whole comma list). Only the first TARGMAX WHOIS (1) nicks
// are answered, the rest silently dropped (Modern IRC: "silently drop targets if the number of
// targets exceeds the limit"). A <server> naming another server → 402 alone.
// 319 hides +s/+p channels the asker is not in, and all unshared channels of a +i user (Modern
// IRC "Secret Channel Mode", "Invisible User Mode"). Operators see no more than anyone else.
import { isMember, memberModesOf, prefixOf } from '../channel.js';
import type { Effect } from '../effect.js';
import * as N from '../numerics.js';
import { numeric } from '../reply.js';
import { livenessOf } from '../liveness.js';
import { clientByNick, isOper, type Client, type State } from '../state.js';
import { unixSeconds } from '../time.js';
import type { VerbSpec } from '../verb.js';
import { channelVisible } from './who.js';
import { foreignServer, numericText } from './serverinfo.js';

export interface Whois {
  readonly _tag: 'Whois';
  readonly server: string | undefined;
  /** The nick parameter as sent, echoed in 318. */
  readonly nicks: string;
}

/** TARGMAX WHOIS, as advertised in 005. */
export const WHOIS_TARGETS = 1;
/** Room for the channel list in one 319 line (512 minus source, numeric, nicks and CRLF). */
const CHANNELS_PER_LINE = 400;

/** The target's channels as the asker may see them, with prefixes, in lines that fit. */
export const whoisChannels = (state: State, asker: Client, target: Client): string[] => {
  const lines: string[] = [];
  let line = '';
  const hideUnshared = target.modes.includes('i') && asker.id !== target.id;
  for (const key of target.channels) {
    const ch = state.channels.get(key);
    if (ch === undefined) continue;
    const shared = isMember(ch, asker.id);
    if (!shared && (hideUnshared || !channelVisible(ch, asker))) continue;
    const item = prefixOf(memberModesOf(ch, target.id) ?? '', asker.caps.has('multi-prefix')) + ch.name;
    if (line !== '' && line.length + 1 + item.length > CHANNELS_PER_LINE - (target.nick ?? '').length) {
      lines.push(line);
      line = '';
    }
    line = line === '' ? item : `${line} ${item}`;
  }
  if (line !== '') lines.push(line);
  return lines;
};

/** The WHOIS numerics about one user, without the closing 318. */
export const whoisUser = (state: State, c: Client, x: Client): Effect[] => {
  const nick = x.nick!;
  const out: Effect[] = [numericText(state, c, N.RPL_WHOISUSER, [nick, x.user ?? '*', x.host, '*'], x.realname)];
  for (const l of whoisChannels(state, c, x)) out.push(numeric(state, c, N.RPL_WHOISCHANNELS, [nick], l));
  out.push(numericText(state, c, N.RPL_WHOISSERVER, [nick, state.config.serverName], state.config.serverInfo));
  if (x.away !== null) out.push(numeric(state, c, N.RPL_AWAY, [nick], x.away));
  if (isOper(x)) out.push(numeric(state, c, N.RPL_WHOISOPERATOR, [nick]));
  if (x.tls) out.push(numeric(state, c, N.RPL_WHOISSECURE, [nick]));
  const idle = Math.max(0, Math.floor((state.now - livenessOf(state, x).activeAt) / 1000));
  out.push(numeric(state, c, N.RPL_WHOISIDLE, [nick, String(idle), unixSeconds(x.signonAt)]));
  return out;
};

export const whois: VerbSpec<Whois> = {
  verbs: ['WHOIS'],
  minParams: 1,
  beforeRegistration: false,
  operOnly: false,
  decode: (m) =>
    m.params.length >= 2
      ? { _tag: 'Whois', server: m.params[0], nicks: m.params[1]! }
      : { _tag: 'Whois', server: undefined, nicks: m.params[0]! },
  handle: (state, c, cmd) => {
    const targets = cmd.nicks.split(',').filter((n) => n !== '');
    if (targets.length === 0) return [state, [numeric(state, c, N.ERR_NONICKNAMEGIVEN)]];
    const err = foreignServer(state, c, cmd.server);
    if (err !== null) return [state, [err]];
    const out: Effect[] = [];
    for (const name of targets.slice(0, WHOIS_TARGETS)) {
      const x = clientByNick(state, name);
      if (x === undefined || !x.registered) out.push(numeric(state, c, N.ERR_NOSUCHNICK, [name]));
      else out.push(...whoisUser(state, c, x));
    }
    out.push(numeric(state, c, N.RPL_ENDOFWHOIS, [cmd.nicks]));
    return [state, out];
  },
};
