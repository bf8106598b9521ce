// Inputs: the only way anything happens. Events in the past tense, stamped by the shell with a
// sequence number and the time `at` (ms). The io-ts codec is the one record files are written
// and read with.
import * as t from 'io-ts';
import { configReloaded, configReloadFailed } from './commands/rehash.js';
import { ServerConfigC } from './config.js';
import type { Effect } from './effect.js';
import { receiveLine, releaseHeld } from './flood.js';
import type { State } from './state.js';
import { step } from './step.js';

const stamp = { seq: t.number, at: t.number };

export const ClientConnectedC = t.type({
  _tag: t.literal('ClientConnected'),
  ...stamp,
  client: t.number,
  address: t.string,
  tls: t.boolean,
});
export const LineReceivedC = t.type({ _tag: t.literal('LineReceived'), ...stamp, client: t.number, line: t.string });
export const ClientDisconnectedC = t.type({
  _tag: t.literal('ClientDisconnected'),
  ...stamp,
  client: t.number,
  reason: t.string,
});
export const TimeAdvancedC = t.type({ _tag: t.literal('TimeAdvanced'), ...stamp });
/** The server is stopping (signal): every client is told and closed, with no QUIT storm. */
export const ServerStoppingC = t.type({ _tag: t.literal('ServerStopping'), ...stamp, reason: t.string });

/**
 * The shell re-read the config file (REHASH or SIGHUP) and it decoded: the new config, recorded
 * (passwords redacted, see redact.ts) so replay reproduces the change. `requestedBy` is the
 * operator who sent REHASH, or null for SIGHUP.
 */
export const ConfigReloadedC = t.type({
  _tag: t.literal('ConfigReloaded'),
  ...stamp,
  config: ServerConfigC,
  requestedBy: t.union([t.number, t.null]),
});
/** The config file could not be read or decoded: the old config is kept, the reason told. */
export const ConfigReloadFailedC = t.type({
  _tag: t.literal('ConfigReloadFailed'),
  ...stamp,
  reason: t.string,
  requestedBy: t.union([t.number, t.null]),
});

export const InputC = t.union([
  ClientConnectedC,
  LineReceivedC,
  ClientDisconnectedC,
  TimeAdvancedC,
  ServerStoppingC,
  ConfigReloadedC,
  ConfigReloadFailedC,
]);
export type Input = t.TypeOf<typeof InputC>;
export type ClientConnected = t.TypeOf<typeof ClientConnectedC>;
export type LineReceived = t.TypeOf<typeof LineReceivedC>;
export type ClientDisconnected = t.TypeOf<typeof ClientDisconnectedC>;
export type TimeAdvanced = t.TypeOf<typeof TimeAdvancedC>;
export type ServerStopping = t.TypeOf<typeof ServerStoppingC>;
export type ConfigReloaded = t.TypeOf<typeof ConfigReloadedC>;
export type ConfigReloadFailed = t.TypeOf<typeof ConfigReloadFailedC>;

/** The id ticks are addressed from: no client has it. */
export const SERVER_ID = 0;

/**
 * The state at a new time and sequence number. Every field listed, in initialState's order, so
 * all states share one hidden class (spreads and reads stay monomorphic in V8).
 */
const restamp = (s: State, now: number, seq: number): State => ({
  config: s.config,
  now,
  seq,
  clients: s.clients,
  liveness: s.liveness,
  heard: s.heard,
  nicks: s.nicks,
  channels: s.channels,
  watchers: s.watchers,
  hostCounts: s.hostCounts,
  throttled: s.throttled,
  whowas: s.whowas,
  counters: s.counters,
  census: s.census,
});

/**
 * Turn an input into the design card's call `step(state, clientId, command)`. The input's time
 * and sequence number become part of the state first, so handlers read time from state.now.
 */
export const apply = (state: State, input: Input): readonly [State, Effect[]] => {
  const s: State =
    input.at === state.now && input.seq === state.seq
      ? state
      : restamp(state, Math.max(state.now, input.at), Math.max(state.seq, input.seq));
  switch (input._tag) {
    case 'ClientConnected':
      return step(s, input.client, { _tag: 'Connected', address: input.address, tls: input.tls });
    case 'LineReceived':
      return receiveLine(s, input.client, input.line);
    case 'ClientDisconnected':
      return step(s, input.client, { _tag: 'Disconnected', reason: input.reason });
    case 'TimeAdvanced': {
      // Held lines first (they arrived before this tick), then timeouts and keep-alive.
      const [released, first] = s.throttled.size > 0 ? releaseHeld(s) : [s, []];
      const [next, then] = step(released, SERVER_ID, { _tag: 'Tick' });
      return [next, first.length === 0 ? then : [...first, ...then]];
    }
    case 'ServerStopping':
      return step(s, SERVER_ID, { _tag: 'Shutdown', reason: input.reason });
    case 'ConfigReloaded':
      return configReloaded(s, input.config, input.requestedBy);
    case 'ConfigReloadFailed':
      return configReloadFailed(s, input.reason, input.requestedBy);
    default: {
      const unreachable: never = input;
      return [state, [{ _tag: 'Log', level: 'error', text: `unknown input ${JSON.stringify(unreachable)}` }]];
    }
  }
};
