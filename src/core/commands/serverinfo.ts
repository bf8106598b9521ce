// Small server queries (RFC 2812 §3.4, Modern IRC "Server Queries and Commands"):
//   VERSION [<target>]  → 351 <version> <server> :<comments>, then the 005 lines
//   TIME [<target>]     → 391 <server> :<human-readable time>   (from state.now: no clock)
//   ADMIN [<target>]    → 256 <server> :Administrative info, 257, 258, 259
//   INFO [<target>]     → 371 … then 374
//   LINKS [[<remote>] <mask>] → 364 <server> <server> :0 <info> (just this server, linked to
//                       itself: as Solanum, InspIRCd and the current Modern IRC text), 365 <mask>
// A <target> naming anything but this server (or a user on it) gets 402 ERR_NOSUCHSERVER.
import type { Effect } from '../effect.js';
import { globMatch } from '../mask.js';
import * as N from '../numerics.js';
import { numeric } from '../reply.js';
import { clientByNick, type Client, type State } from '../state.js';
import { httpDate } from '../time.js';
import type { Result, VerbSpec } from '../verb.js';
import { isupport } from '../welcome.js';

/**
 * Does a server argument designate this server? Its name (wildcards allowed, as RFC 2812 lets
 * VERSION *.se ask "a server matching") or the nick of a user on it (Modern IRC: "If <target> is
 * a client, the information for the server that client is connected to is requested").
 */
export const isThisServer = (state: State, target: string): boolean => {
  if (globMatch(target, state.config.serverName, 'ascii')) return true;
  const c = clientByNick(state, target);
  return c !== undefined && c.registered;
};

/** 402 for a foreign server argument, or null when the query is ours to answer. */
export const foreignServer = (state: State, c: Client, target: string | undefined): Effect | null =>
  target === undefined || target === '' || isThisServer(state, target) ? null : numeric(state, c, N.ERR_NOSUCHSERVER, [target]);

/**
 * A numeric whose last parameter is always written as a trailing one, even when empty
 * (`303 me :`), which reply.numeric does not do for an empty text.
 */
export const numericText = (state: State, c: Client, n: N.Numeric, params: readonly string[], text: string): Effect =>
  text === '' ? numeric(state, c, { ...n, text: '' }, [...params, '']) : numeric(state, c, n, params, text);

/** The common shape of these queries: an optional target, then a reply built from state. */
const query =
  (reply: (state: State, c: Client) => Effect[]) =>
  (state: State, c: Client, cmd: { readonly target: string | undefined }): Result => {
    const err = foreignServer(state, c, cmd.target);
    return [state, err === null ? reply(state, c) : [err]];
  };

export interface Version {
  readonly _tag: 'Version';
  readonly target: string | undefined;
}
export interface Time {
  readonly _tag: 'Time';
  readonly target: string | undefined;
}
export interface Admin {
  readonly _tag: 'Admin';
  readonly target: string | undefined;
}
export interface Info {
  readonly _tag: 'Info';
  readonly target: string | undefined;
}
export interface Links {
  readonly _tag: 'Links';
  readonly target: string | undefined;
  readonly mask: string;
}

export const version: VerbSpec<Version> = {
  verbs: ['VERSION'],
  minParams: 0,
  beforeRegistration: false,
  operOnly: false,
  decode: (m) => ({ _tag: 'Version', target: m.params[0] }),
  handle: query((state, c) => [
    numericText(state, c, N.RPL_VERSION, [state.config.version, state.config.serverName], state.config.serverInfo),
    ...isupport(state, c),
  ]),
};

export const time: VerbSpec<Time> = {
  verbs: ['TIME'],
  minParams: 0,
  beforeRegistration: false,
  operOnly: false,
  decode: (m) => ({ _tag: 'Time', target: m.params[0] }),
  handle: query((state, c) => [numeric(state, c, N.RPL_TIME, [state.config.serverName], httpDate(state.now))]),
};

export const admin: VerbSpec<Admin> = {
  verbs: ['ADMIN'],
  minParams: 0,
  beforeRegistration: false,
  operOnly: false,
  decode: (m) => ({ _tag: 'Admin', target: m.params[0] }),
  // The configuration has no administrator fields yet: location lines say what we know, and
  // 259 says plainly that no contact address is configured rather than inventing one.
  handle: query((state, c) => [
    numeric(state, c, N.RPL_ADMINME, [state.config.serverName]),
    numericText(state, c, N.RPL_ADMINLOC1, [], state.config.serverInfo),
    numeric(state, c, N.RPL_ADMINLOC2, [], `${state.config.network} IRC network`),
    numeric(state, c, N.RPL_ADMINEMAIL, [], 'No administrator contact configured'),
  ]),
};

/** The INFO text: what the software is and how it works. */
export const infoLines = (state: State): string[] => [
  `${state.config.version} on ${state.config.serverName}`,
  'pureircd: an IRC server whose whole protocol logic is one pure,',
  'deterministic function step(state, client, command) => [state, effects],',
  'with a thin shell for sockets and a record/replay facility.',
  `Started ${httpDate(state.config.createdAt)}`,
];

export const info: VerbSpec<Info> = {
  verbs: ['INFO'],
  minParams: 0,
  beforeRegistration: false,
  operOnly: false,
  decode: (m) => ({ _tag: 'Info', target: m.params[0] }),
  handle: query((state, c) => [
    ...infoLines(state).map((l) => numeric(state, c, N.RPL_INFO, [], l)),
    numeric(state, c, N.RPL_ENDOFINFO),
  ]),
};

export const links: VerbSpec<Links> = {
  verbs: ['LINKS'],
  minParams: 0,
  beforeRegistration: false,
  operOnly: false,
  // LINKS <mask> or LINKS <remote server> <mask> (RFC 2812 §3.4.5).
  decode: (m) => ({
    _tag: 'Links',
    target: m.params.length >= 2 ? m.params[0] : undefined,
    mask: (m.params.length >= 2 ? m.params[1] : m.params[0]) || '*',
  }),
  handle: (state, c, cmd) => {
    const err = foreignServer(state, c, cmd.target);
    if (err !== null) return [state, [err]];
    const { serverName, serverInfo } = state.config;
    const out: Effect[] = [];
    if (globMatch(cmd.mask, serverName, 'ascii')) out.push(numeric(state, c, N.RPL_LINKS, [serverName, serverName], `0 ${serverInfo}`));
    out.push(numeric(state, c, N.RPL_ENDOFLINKS, [cmd.mask]));
    return [state, out];
  },
};
