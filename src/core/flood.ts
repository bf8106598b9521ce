// Flood control, decided in the core from input times so that replay reproduces it exactly.
// RFC 1459 §8.10: every line moves the client's flood clock `penaltyMs` ahead (never behind
// now). A line that arrives while the clock runs more than `burstMs` ahead is held in the state
// and processed once the clock has caught up (on a later tick); holding more than
// `maxHeldBytes` is Excess Flood. Operators may be exempt.
import { decode } from './command.js';
import { log, type Effect } from './effect.js';
import { removeClient } from './lifecycle.js';
import { parse } from './message.js';
import { noteHeard } from './liveness.js';
import { withClient, withLiveness, withState, type Client, type ClientId, type State } from './state.js';
import { step } from './step.js';
import type { Result } from './verb.js';

/** Parse, decode and step one line: what a line does once it is admitted. */
export const processLine = (state: State, id: ClientId, line: string): Result => {
  const parsed = parse(line);
  return step(state, id, parsed.ok ? decode(parsed.message) : { _tag: 'Malformed', error: parsed.error });
};

const exempt = (state: State, c: Client): boolean =>
  !state.config.flood.enabled || (state.config.flood.exemptOpers && c.modes.includes('o'));

/** The client's flood clock: never behind now. */
const floodAt = (state: State, id: ClientId): number => Math.max(state.liveness.flood.get(id) ?? state.now, state.now);

/** An admitted line moves the clock `penaltyMs` ahead. */
const charge = (state: State, id: ClientId): State =>
  withState(state, { liveness: withLiveness(state.liveness, { flood: state.liveness.flood.set(id, floodAt(state, id) + state.config.flood.penaltyMs) }) });

/** A line arrives: process it now, hold it, or drop the client for Excess Flood. */
export const receiveLine = (state: State, id: ClientId, line: string): Result => {
  if (!state.config.flood.enabled) return processLine(state, id, line);
  const c = state.clients.get(id);
  if (c === undefined) return [state, []];
  if (exempt(state, c)) return processLine(state, id, line);
  const { burstMs, maxHeldBytes } = state.config.flood;
  if (c.held.size === 0 && floodAt(state, id) - state.now <= burstMs) return processLine(charge(state, id), id, line);
  if (c.heldBytes + line.length > maxHeldBytes) {
    const [next, out] = removeClient(state, c, 'Excess Flood', 'Excess Flood');
    return [next, [...out, log('warn', `client ${id} (${c.nick ?? '*'}@${c.host}) dropped: Excess Flood (${c.heldBytes} bytes held)`)]];
  }
  // A held line still proves the client alive (its idle time waits for it to be processed).
  const held: Client = withClient(c, { held: c.held.push(line), heldBytes: c.heldBytes + line.length });
  const s = noteHeard(state, id, false);
  return [withState(s, { clients: s.clients.set(id, held), throttled: s.throttled.add(id) }), []];
};

/** On a tick: process the held lines whose time has come, oldest first. */
export const releaseHeld = (state: State): Result => {
  let s = state;
  const effects: Effect[] = [];
  for (const id of state.throttled) {
    for (;;) {
      const c = s.clients.get(id);
      if (c === undefined) break;
      const line = c.held.first();
      if (line === undefined) {
        s = withState(s, { throttled: s.throttled.delete(id) });
        break;
      }
      if (!exempt(s, c) && floodAt(s, id) - s.now > s.config.flood.burstMs) break;
      const rest: Client = withClient(c, { held: c.held.shift(), heldBytes: c.heldBytes - line.length });
      const [next, out] = processLine(charge(withState(s, { clients: s.clients.set(id, rest) }), id), id, line);
      s = next;
      for (const e of out) effects.push(e);
    }
  }
  return [s, effects];
};
