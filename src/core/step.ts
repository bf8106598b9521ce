// step(state, clientId, command) → [State, Effect[]]: the one function that holds all IRC logic.
// The shared checks (451, 461, 481, 421, 417) are applied here, once, before any handler.
import { specOf, specOfVerb, type Command } from './command.js';
import { connected, disconnected, shutdown, tick } from './lifecycle.js';
import * as N from './numerics.js';
import { numeric } from './reply.js';
import { noteHeard } from './liveness.js';
import type { ClientId, State } from './state.js';
import type { Result } from './verb.js';

export const step = (state: State, clientId: ClientId, command: Command): Result => {
  switch (command._tag) {
    case 'Connected':
      return connected(state, clientId, command.address, command.tls);
    case 'Disconnected':
      return disconnected(state, clientId, command.reason);
    case 'Tick':
      return tick(state);
    case 'Shutdown':
      return shutdown(state, command.reason);
    default:
      break;
  }
  const c = state.clients.get(clientId);
  if (c === undefined) return [state, []];
  // Any line proves the client alive (keep-alive; a pending PING is answered); a message also
  // resets the idle time (WHOIS 317). Noted in State.heard, and written to State.liveness in
  // one batch once the second is over (liveness.ts).
  const spec =
    command._tag === 'Malformed' || command._tag === 'Unknown' || command._tag === 'Incomplete' ? null : specOf(command);
  const s = noteHeard(state, clientId, c.registered && spec?.resetsIdle?.(command as never) === true);
  switch (command._tag) {
    case 'Malformed':
      return command.error === 'too-long' ? [s, [numeric(s, c, N.ERR_INPUTTOOLONG)]] : [s, []];
    case 'Unknown':
      return [s, [numeric(s, c, c.registered ? N.ERR_UNKNOWNCOMMAND : N.ERR_NOTREGISTERED, c.registered ? [command.verb] : [])]];
    case 'Incomplete': {
      const spec = specOfVerb(command.verb);
      if (!c.registered && !spec?.beforeRegistration) return [s, [numeric(s, c, N.ERR_NOTREGISTERED)]];
      return [s, [numeric(s, c, N.ERR_NEEDMOREPARAMS, [command.verb])]];
    }
    default: {
      if (spec === null) return [s, []];
      if (!c.registered && !spec.beforeRegistration) return [s, [numeric(s, c, N.ERR_NOTREGISTERED)]];
      if (spec.operOnly && !c.modes.includes('o')) return [s, [numeric(s, c, N.ERR_NOPRIVILEGES)]];
      return spec.handle(s, c, command);
    }
  }
};
