// Completing registration: once NICK and USER are in and CAP negotiation (if any) has ended,
// check the connection password, then send the welcome burst.
import { cameOnline } from './commands/monitor.js';
import { verifyPassword } from './credentials.js';
import { log } from './effect.js';
import { removeClient } from './lifecycle.js';
import * as N from './numerics.js';
import { fromClient, numeric } from './reply.js';
import { replaceClient, setClient, sourceOf, type Client, type State, withClient, withState } from './state.js';
import type { Result } from './verb.js';
import { welcome } from './welcome.js';

export const tryRegister = (state: State, c: Client): Result => {
  if (c.registered || c.nick === null || c.user === null || c.capNegotiating) return [setClient(state, c), []];
  const required = state.config.password;
  if (required !== null && (c.password === null || !verifyPassword(c.password, required))) {
    const [s, out] = removeClient(state, c, 'Bad password', 'Bad password');
    return [s, [numeric(state, c, N.ERR_PASSWDMISMATCH), ...out]];
  }
  // Idle time (WHOIS 317) counts from registration: signonAt (liveness.ts).
  const client: Client = withClient(c, { registered: true, signonAt: state.now, password: null });
  const joined = replaceClient(state, c, client);
  const counters = { ...joined.counters, maxUsers: Math.max(joined.counters.maxUsers, joined.census.registered) };
  const s = withState(joined, { counters });
  const out = welcome(s, client);
  for (const e of cameOnline(s, client)) out.push(e);
  if (client.modes !== '') out.push(fromClient(client, [client.id], 'MODE', [client.nick!, '+' + client.modes], true));
  out.push(log('info', `client ${client.id} registered as ${sourceOf(client)}`));
  return [s, out];
};
