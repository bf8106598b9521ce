// Commands a single server answers without having the feature (RFC 2812 §3.4.4, §4.5-4.6,
// Modern IRC), so a client never meets 421 where a real server would reply:
//   STATS <query> [<server>]  u → 242 uptime; every query ends with 219 <query>
//   USERS / SUMMON            → 446 / 445 (disabled, as every modern server has them)
//   CONNECT / SQUIT <server>  → operators only (481); this server links to none: 402
import * as N from '../numerics.js';
import { numeric } from '../reply.js';
import type { VerbSpec } from '../verb.js';
import { foreignServer } from './serverinfo.js';

export interface Stats {
  readonly _tag: 'Stats';
  readonly query: string;
  readonly target: string | undefined;
}
export interface Disabled {
  readonly _tag: 'Disabled';
  readonly verb: string;
}
export interface ServerLink {
  readonly _tag: 'ServerLink';
  readonly server: string;
}

/** `Server Up D days H:MM:SS` for a duration in ms. */
export const uptime = (ms: number): string => {
  const s = Math.max(0, Math.floor(ms / 1000));
  const pad = (x: number): string => String(x).padStart(2, '0');
  return `Server Up ${Math.floor(s / 86_400)} days ${Math.floor((s % 86_400) / 3600)}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
};

export const stats: VerbSpec<Stats> = {
  verbs: ['STATS'],
  minParams: 1,
  beforeRegistration: false,
  operOnly: false,
  decode: (m) => ({ _tag: 'Stats', query: m.params[0]!, target: m.params[1] }),
  handle: (state, c, cmd) => {
    const err = foreignServer(state, c, cmd.target);
    if (err !== null) return [state, [err]];
    const letter = cmd.query.charAt(0);
    const out = letter === 'u' ? [numeric(state, c, N.RPL_STATSUPTIME, [], uptime(state.now - state.config.createdAt))] : [];
    out.push(numeric(state, c, N.RPL_ENDOFSTATS, [letter === '' ? '*' : letter]));
    return [state, out];
  },
};

export const disabled: VerbSpec<Disabled> = {
  verbs: ['USERS', 'SUMMON'],
  minParams: 0,
  beforeRegistration: false,
  operOnly: false,
  decode: (m) => ({ _tag: 'Disabled', verb: m.verb }),
  handle: (state, c, cmd) => [state, [numeric(state, c, cmd.verb === 'USERS' ? N.ERR_USERSDISABLED : N.ERR_SUMMONDISABLED)]],
};

export const serverLink: VerbSpec<ServerLink> = {
  verbs: ['CONNECT', 'SQUIT'],
  minParams: 1,
  beforeRegistration: false,
  operOnly: true,
  decode: (m) => ({ _tag: 'ServerLink', server: m.params[0]! }),
  handle: (state, c, cmd) => [state, [numeric(state, c, N.ERR_NOSUCHSERVER, [cmd.server])]],
};
