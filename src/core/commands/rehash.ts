// REHASH   (RFC 2812 §4.2, Modern IRC "REHASH message"), IRC operators only (481 from step's
// operOnly check). Answers `382 <nick> <config file> :Rehashing` (the file's base name, as
// InspIRCd does; `*` when the server runs without one) and asks the shell, by a ReloadConfig
// effect, to re-read the config file: the core cannot read files. The shell answers with an
// input, handled below, so the outcome is recorded and replays exactly:
// - ConfigReloaded: the new config replaces the old one, except what cannot change while
//   clients are connected (serverName: every source would change under them; casemapping: the
//   nick and channel indexes are keyed by it; createdAt). Nobody is dropped; limits apply to
//   what happens next (a nick longer than a new NICKLEN stays), WHOWAS is trimmed to its length.
// - ConfigReloadFailed: the old config is kept and the reason logged.
// Either way the requesting operator (if still here) gets a server NOTICE saying so.
import { log, type Effect } from '../effect.js';
import * as N from '../numerics.js';
import { fromServer, numeric } from '../reply.js';
import { type ClientId, type ServerConfig, type State, withState } from '../state.js';
import type { Result, VerbSpec } from '../verb.js';

export interface Rehash {
  readonly _tag: 'Rehash';
}

/** The last path segment: operators need to know which file, not where it lives. */
export const configFileName = (path: string | null): string => {
  if (path === null || path === '') return '*';
  const name = path.split(/[\\/]/).pop();
  return name === undefined || name === '' ? '*' : name;
};

export const rehash: VerbSpec<Rehash> = {
  verbs: ['REHASH'],
  minParams: 0,
  beforeRegistration: false,
  operOnly: true,
  decode: () => ({ _tag: 'Rehash' }),
  handle: (state, c) => [
    state,
    [
      numeric(state, c, N.RPL_REHASHING, [configFileName(state.config.configFile)]),
      { _tag: 'ReloadConfig', requestedBy: c.id },
      log('info', `${c.nick} is rehashing the server configuration`),
    ],
  ],
};

/** A server NOTICE to the operator who asked, if still connected and registered. */
const tell = (state: State, requestedBy: ClientId | null, text: string): Effect[] => {
  const c = requestedBy === null ? undefined : state.clients.get(requestedBy);
  return c === undefined || !c.registered || c.nick === null ? [] : [fromServer(state, [c.id], 'NOTICE', [c.nick, text], true)];
};

export const configReloaded = (state: State, incoming: ServerConfig, requestedBy: ClientId | null): Result => {
  const old = state.config;
  const kept: string[] = [];
  if (incoming.serverName !== old.serverName) kept.push(`serverName ${old.serverName}`);
  if (incoming.casemapping !== old.casemapping) kept.push(`casemapping ${old.casemapping}`);
  const config: ServerConfig = {
    ...incoming,
    serverName: old.serverName,
    casemapping: old.casemapping,
    createdAt: old.createdAt,
  };
  const whowas = state.whowas.size > config.limits.whowasLen ? state.whowas.take(config.limits.whowasLen) : state.whowas;
  const next: State = withState(state, { config, whowas });
  const note = kept.length === 0 ? '' : ` (kept until restart: ${kept.join(', ')})`;
  return [
    next,
    [...tell(next, requestedBy, `*** Configuration reloaded${note}`), log('info', `configuration reloaded${note}`)],
  ];
};

export const configReloadFailed = (state: State, reason: string, requestedBy: ClientId | null): Result => [
  state,
  [
    ...tell(state, requestedBy, `*** Rehash failed, the old configuration is kept: ${reason}`),
    log('warn', `configuration reload failed, old configuration kept: ${reason}`),
  ],
];
