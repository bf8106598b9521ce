// The replies a client gets on registering (001-005, LUSERS, MOTD), shared with the LUSERS and
// MOTD commands.
import { MONITOR_LIMIT } from './commands/monitor.js';
import { send, type Effect } from './effect.js';
import { CHANTYPES } from './names.js';
import * as N from './numerics.js';
import { numeric, numericLineTo, target } from './reply.js';
import { sourceOf, type Client, type ServerConfig, type State } from './state.js';
import { httpDate } from './time.js';

export const USER_MODES = 'iow';
export const CHANNEL_MODES = 'Ibeiklmnopstv';
export const CHANNEL_MODES_WITH_PARAM = 'Ibeklov';

/** ISUPPORT tokens, in the order they are advertised: a function of the config alone (built once per config with the other fixed lines, below). */
const buildTokens = (config: ServerConfig): readonly string[] => {
  const { limits, casemapping, network } = config;
  const t = limits.maxTargets;
  return [
    `AWAYLEN=${limits.awayLen}`,
    `CASEMAPPING=${casemapping}`,
    `CHANLIMIT=${CHANTYPES}:${limits.maxChannels}`,
    'CHANMODES=beI,k,l,imnpst',
    `CHANNELLEN=${limits.channelLen}`,
    `CHANTYPES=${CHANTYPES}`,
    'ELIST=MU',
    'EXCEPTS=e',
    'INVEX=I',
    `KICKLEN=${limits.kickLen}`,
    `MAXLIST=beI:${limits.maxList}`,
    `MODES=${limits.modesPerLine}`,
    `MONITOR=${MONITOR_LIMIT}`,
    `NAMELEN=${limits.realnameLen}`,
    `NETWORK=${network}`,
    `NICKLEN=${limits.nickLen}`,
    'PREFIX=(ov)@+',
    'STATUSMSG=@+',
    `TARGMAX=JOIN:${t},KICK:${t},NAMES:1,NOTICE:${t},PART:${t},PRIVMSG:${t},TAGMSG:${t},WHOIS:1`,
    `TOPICLEN=${limits.topicLen}`,
    `USERLEN=${limits.userLen}`,
    'WHOX',
  ];
};

/**
 * The replies that depend on the config alone (002-004, the 005 lines, the MOTD or 422), each
 * split around the addressee's nick as [head, tail]: serialized once per config (configs are
 * immutable; a reload brings a new one), so a registration splices its nick into ~10 finished
 * lines instead of serializing them. VERSION's 005 lines and the MOTD command use them too.
 */
type Split = readonly [head: string, tail: string];
interface FixedLines {
  readonly info: readonly Split[];
  readonly isupport: readonly Split[];
  readonly motd: readonly Split[];
}
const fixedByConfig = new WeakMap<ServerConfig, FixedLines>();

const fixedLines = (state: State): FixedLines => {
  const cached = fixedByConfig.get(state.config);
  if (cached !== undefined) return cached;
  const { serverName, version, createdAt, motd } = state.config;
  // Serialized for `*`, which every nick replaces as is (a nick is a plain middle parameter).
  const split = (n: N.Numeric, params: readonly string[], text?: string): Split => {
    const head = `:${serverName} ${n.code} `;
    return [head, numericLineTo(state, '*', n, params, text).slice(head.length + 1)];
  };
  const tokens = buildTokens(state.config);
  const isupport: Split[] = [];
  // At most 13 tokens per 005 line (what clients and the Modern IRC document expect).
  for (let i = 0; i < tokens.length; i += 13) isupport.push(split(N.RPL_ISUPPORT, tokens.slice(i, i + 13)));
  const fixed: FixedLines = {
    info: [
      split(N.RPL_YOURHOST, [], `Your host is ${serverName}, running version ${version}`),
      split(N.RPL_CREATED, [], `This server was created ${httpDate(createdAt)}`),
      split(N.RPL_MYINFO, [serverName, version, USER_MODES, CHANNEL_MODES, CHANNEL_MODES_WITH_PARAM]),
    ],
    isupport,
    motd:
      motd === null
        ? [split(N.ERR_NOMOTD, [])]
        : [
            split(N.RPL_MOTDSTART, [], `- ${serverName} Message of the day - `),
            ...motd.map((l) => split(N.RPL_MOTD, [], `- ${l}`)),
            split(N.RPL_ENDOFMOTD, []),
          ],
  };
  fixedByConfig.set(state.config, fixed);
  return fixed;
};

const addressed = (out: Effect[], lines: readonly Split[], c: Client): void => {
  const nick = target(c);
  for (const [head, tail] of lines) out.push(send([c.id], head + nick + tail));
};

/** The 005 lines. */
export const isupport = (state: State, c: Client): Effect[] => {
  const out: Effect[] = [];
  addressed(out, fixedLines(state).isupport, c);
  return out;
};

// Like InspIRCd and Solanum, 255/265/266 count registered clients only; connections still
// registering are 253's alone.
export const lusers = (state: State, c: Client): Effect[] => {
  const { registered: all, invisible, opers } = state.census;
  const unknown = state.clients.size - all;
  const visible = all - invisible;
  const max = state.counters.maxUsers;
  const out: Effect[] = [
    numeric(state, c, N.RPL_LUSERCLIENT, [], `There are ${visible} users and ${invisible} invisible on 1 servers`),
  ];
  if (opers > 0) out.push(numeric(state, c, N.RPL_LUSEROP, [String(opers)]));
  if (unknown > 0) out.push(numeric(state, c, N.RPL_LUSERUNKNOWN, [String(unknown)]));
  if (state.channels.size > 0) out.push(numeric(state, c, N.RPL_LUSERCHANNELS, [String(state.channels.size)]));
  out.push(
    numeric(state, c, N.RPL_LUSERME, [], `I have ${all} clients and 0 servers`),
    numeric(state, c, N.RPL_LOCALUSERS, [String(all), String(max)], `Current local users ${all}, max ${max}`),
    numeric(state, c, N.RPL_GLOBALUSERS, [String(all), String(max)], `Current global users ${all}, max ${max}`),
  );
  return out;
};

/** 375, 372 per line, 376; or 422 when no MOTD is configured. */
export const motd = (state: State, c: Client): Effect[] => {
  const out: Effect[] = [];
  addressed(out, fixedLines(state).motd, c);
  return out;
};

/** 001-004, 005, LUSERS and MOTD, in that order. */
export const welcome = (state: State, c: Client): Effect[] => {
  const fixed = fixedLines(state);
  const out: Effect[] = [numeric(state, c, N.RPL_WELCOME, [], `Welcome to the ${state.config.network} IRC Network ${sourceOf(c)}`)];
  addressed(out, fixed.info, c);
  addressed(out, fixed.isupport, c);
  for (const e of lusers(state, c)) out.push(e);
  addressed(out, fixed.motd, c);
  return out;
};
