// LIST [<channel>{,<channel>}] [<elistcond>{,<elistcond>}]   (RFC 2812 §3.2.6, Modern IRC "LIST
// message", ISUPPORT ELIST=MU)
// Answers 321 (optional in Modern IRC; sent, as InspIRCd and most clients expect it), one
// `322 nick <channel> <users> :<topic>` per channel, then 323. Conditions, from either parameter:
// `>n` / `<n` on the user count (U), a glob mask such as `#irc*` on the name (M); names without
// wildcards are looked up directly. Masks and names are alternatives, count conditions must all hold.
// Secret (+s) channels are not listed to non-members; private (+p) ones are listed to them as
// `322 nick * <users> :` (name and topic withheld), as InspIRCd does. <users> counts the members
// the asker can see: invisible (+i) users are not counted for non-members.
import { isHiddenFrom, isMember } from '../channel.js';
import type { Effect } from '../effect.js';
import { globMatch } from '../mask.js';
import * as N from '../numerics.js';
import { numeric } from '../reply.js';
import { channelsInOrder, foldName, type Channel, type Client, type State } from '../state.js';
import type { VerbSpec } from '../verb.js';

export interface ListCmd {
  readonly _tag: 'List';
  readonly terms: readonly string[];
}

interface Filter {
  readonly names: readonly string[];
  readonly masks: readonly string[];
  readonly min: number; // count must be > min
  readonly max: number; // count must be < max
}

const parseTerms = (terms: readonly string[]): Filter => {
  const names: string[] = [];
  const masks: string[] = [];
  let min = -1;
  let max = Infinity;
  for (const t of terms) {
    const n = /^[<>]\d{1,9}$/.test(t) ? Number(t.slice(1)) : null;
    if (n !== null) {
      if (t[0] === '>') min = Math.max(min, n);
      else max = Math.min(max, n);
    } else if (t.includes('*') || t.includes('?')) masks.push(t);
    else names.push(t);
  }
  return { names, masks, min, max };
};

/** Members `c` can see: all of them if it is one, else those not invisible. */
const visibleCount = (state: State, ch: Channel, c: Client): number => {
  if (isMember(ch, c.id)) return ch.memberIds.length;
  let n = 0;
  for (const id of ch.memberIds) if (!state.clients.get(id)?.modes.includes('i')) n++;
  return n;
};

/** The 322 line for a channel, or null if `c` must not see it. */
const entry = (state: State, c: Client, ch: Channel, f: Filter): Effect | null => {
  if (ch.modes.secret && !isMember(ch, c.id)) return null;
  const users = visibleCount(state, ch, c);
  if (!(users > f.min && users < f.max)) return null;
  if (isHiddenFrom(ch, c.id)) return numeric(state, c, N.RPL_LIST, ['*', String(users), '']);
  const topic = ch.topic?.text ?? '';
  return topic === ''
    ? numeric(state, c, N.RPL_LIST, [ch.name, String(users), ''])
    : numeric(state, c, N.RPL_LIST, [ch.name, String(users)], topic);
};

export const list: VerbSpec<ListCmd> = {
  verbs: ['LIST'],
  minParams: 0,
  beforeRegistration: false,
  operOnly: false,
  decode: (m) => ({
    _tag: 'List',
    terms: m.params.slice(0, 2).flatMap((p) => p.split(',')).filter((t) => t !== ''),
  }),
  handle: (state, c, cmd) => {
    const f = parseTerms(cmd.terms);
    const out: Effect[] = [numeric(state, c, N.RPL_LISTSTART, ['Channel'])];
    const push = (ch: Channel | undefined): void => {
      const e = ch === undefined ? null : entry(state, c, ch, f);
      if (e !== null) out.push(e);
    };
    if (f.masks.length === 0 && f.names.length > 0) {
      // Named channels only: direct look-ups, no scan.
      const seen = new Set<string>();
      for (const name of f.names) {
        const key = foldName(state, name);
        if (!seen.has(key)) push(state.channels.get(key));
        seen.add(key);
      }
    } else {
      const cm = state.config.casemapping;
      const named = new Set(f.names.map((x) => foldName(state, x)));
      for (const ch of channelsInOrder(state)) {
        if (f.masks.length > 0 && !named.has(foldName(state, ch.name)) && !f.masks.some((m) => globMatch(m, ch.name, cm))) continue;
        push(ch);
      }
    }
    out.push(numeric(state, c, N.RPL_LISTEND));
    return [state, out];
  },
};
