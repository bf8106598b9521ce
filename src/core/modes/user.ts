// MODE on a nickname: user modes (RFC 2812 §3.1.5, Modern IRC "User mode").
//   MODE nick          → 221 RPL_UMODEIS `+iw`
//   MODE nick +i-w     → `:nick!user@host MODE nick :+i-w` to the client, only what changed
// Known letters: i (invisible), w (wallops), o (operator: only OPER grants it, so `+o` is
// silently ignored, while `-o` drops the status). Any other letter: 501 once per command,
// after the known ones are applied (Modern IRC). Another user's modes: 502, viewing or changing.
import type { Effect } from '../effect.js';
import * as N from '../numerics.js';
import { fromClient, numeric } from '../reply.js';
import { replaceClient, type Client, type State, withClient } from '../state.js';
import type { Result } from '../verb.js';
import { renderChanges, toggle, type ModeChange } from './render.js';

const SETTABLE = 'iw';

export const userMode = (state: State, c: Client, target: Client, modestring: string | null): Result => {
  if (target.id !== c.id) {
    const text = modestring === null ? "Can't view modes for other users" : undefined;
    return [state, [numeric(state, c, N.ERR_USERSDONTMATCH, [], text)]];
  }
  if (modestring === null) return [state, [numeric(state, c, N.RPL_UMODEIS, ['+' + c.modes])]];
  let modes = c.modes;
  let add = true;
  let unknown = false;
  const changes: ModeChange[] = [];
  for (const m of modestring) {
    if (m === '+' || m === '-') add = m === '+';
    else if (SETTABLE.includes(m) || (m === 'o' && !add)) {
      if (modes.includes(m) === add) continue;
      modes = add ? [...modes, m].sort().join('') : modes.replace(m, '');
      toggle(changes, { add, mode: m, param: null });
    } else if (m !== 'o') unknown = true;
  }
  const out: Effect[] = [];
  if (changes.length > 0) out.push(fromClient(c, [c.id], 'MODE', [c.nick!, ...renderChanges(changes)], true));
  if (unknown) out.push(numeric(state, c, N.ERR_UMODEUNKNOWNFLAG));
  return [changes.length > 0 ? replaceClient(state, c, withClient(c, { modes })) : state, out];
};
