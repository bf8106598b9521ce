// Completing registration: once NICK and USER are in and CAP negotiation (if any) has ended,
// check the connection password, then send the welcome burst.
import { removeClient } from './lifecycle.js';
import * as N from './numerics.js';
import { fromClient, numeric } from './reply.js';
import { setClient, type Client, type State } from './state.js';
import type { Result } from './verb.js';
import { welcome } from './welcome.js';

export const tryRegister = (state: State, c: Client): Result => {
  if (c.registered || c.nick === null || c.user === null || c.capNegotiating) return [setClient(state, c), []];
  const required = state.config.password;
  if (required !== null && c.password !== required) {
    const [s, out] = removeClient(state, c, 'Bad password', 'Bad password');
    return [s, [numeric(state, c, N.ERR_PASSWDMISMATCH), ...out]];
  }
  const client: Client = { ...c, registered: true, signonAt: state.now, activeAt: state.now, password: null };
  const s = setClient(state, client);
  const out = welcome(s, client);
  if (client.modes !== '') out.push(fromClient(client, [client.id], 'MODE', [client.nick!, '+' + client.modes], true));
  return [s, out];
};
