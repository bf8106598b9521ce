// The replies a client gets on registering (001-005, LUSERS, MOTD), shared with the LUSERS and
// MOTD commands.
import type { Effect } from './effect.js';
import { CHANTYPES } from './names.js';
import * as N from './numerics.js';
import { numeric } from './reply.js';
import { sourceOf, type Client, type ServerConfig, type State } from './state.js';
import { httpDate } from './time.js';

export const USER_MODES = 'iow';
export const CHANNEL_MODES = 'Ibeiklmnopstv';
export const CHANNEL_MODES_WITH_PARAM = 'Ibeklov';

/**
 * ISUPPORT tokens, in the order they are advertised: a function of the config alone, so built
 * once per config object (configs are immutable; a reload brings a new one) rather than on
 * every registration.
 */
export const isupportTokens = (state: State): readonly string[] => {
  const cached = tokensByConfig.get(state.config);
  if (cached !== undefined) return cached;
  const tokens = buildTokens(state.config);
  tokensByConfig.set(state.config, tokens);
  return tokens;
};
const tokensByConfig = new WeakMap<ServerConfig, readonly string[]>();

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
    `NETWORK=${network}`,
    `NICKLEN=${limits.nickLen}`,
    'PREFIX=(ov)@+',
    'STATUSMSG=@+',
    `TARGMAX=JOIN:${t},KICK:${t},NAMES:1,NOTICE:${t},PART:${t},PRIVMSG:${t},WHOIS:1`,
    `TOPICLEN=${limits.topicLen}`,
    `USERLEN=${limits.userLen}`,
  ];
};

/** 005 lines of at most 13 tokens each (what clients and the Modern IRC document expect). */
export const isupport = (state: State, c: Client): Effect[] => {
  const tokens = isupportTokens(state);
  const out: Effect[] = [];
  for (let i = 0; i < tokens.length; i += 13) out.push(numeric(state, c, N.RPL_ISUPPORT, tokens.slice(i, i + 13)));
  return out;
};

export const lusers = (state: State, c: Client): Effect[] => {
  const { registered: users, invisible, opers } = state.census;
  const unknown = state.clients.size - users;
  const visible = users - invisible;
  const max = state.counters.maxClients;
  const all = users + unknown;
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

export const motd = (state: State, c: Client): Effect[] => {
  const lines = state.config.motd;
  if (lines === null) return [numeric(state, c, N.ERR_NOMOTD)];
  return [
    numeric(state, c, N.RPL_MOTDSTART, [], `- ${state.config.serverName} Message of the day - `),
    ...lines.map((l) => numeric(state, c, N.RPL_MOTD, [], `- ${l}`)),
    numeric(state, c, N.RPL_ENDOFMOTD),
  ];
};

/** 001-004, 005, LUSERS and MOTD, in that order. */
export const welcome = (state: State, c: Client): Effect[] => {
  const { serverName, version, network, createdAt } = state.config;
  return [
    numeric(state, c, N.RPL_WELCOME, [], `Welcome to the ${network} IRC Network ${sourceOf(c)}`),
    numeric(state, c, N.RPL_YOURHOST, [], `Your host is ${serverName}, running version ${version}`),
    numeric(state, c, N.RPL_CREATED, [], `This server was created ${httpDate(createdAt)}`),
    numeric(state, c, N.RPL_MYINFO, [serverName, version, USER_MODES, CHANNEL_MODES, CHANNEL_MODES_WITH_PARAM]),
    ...isupport(state, c),
    ...lusers(state, c),
    ...motd(state, c),
  ];
};
