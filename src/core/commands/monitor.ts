// MONITOR + <nick>{,<nick>} | - <nick>{,<nick>} | C | L | S   (IRCv3 monitor)
// A client watches up to MONITOR_LIMIT nicks (ISUPPORT MONITOR) and is told when one comes
// online, 730 RPL_MONONLINE `:nick!user@host`, or goes offline, 731 RPL_MONOFFLINE `:nick`: a
// client registers under it or changes to it; its holder changes away from it or leaves.
// `+` answers with the current status of the nicks it names (730 and/or 731; those already
// watched too), and 734 ERR_MONLISTFULL for those past the limit; `-` and `C` answer nothing; `L` lists (732, then
// 733); `S` gives the status of all. Lists are comma-separated and split to fit a line.
// State: each client's list (Client.monitoring, as given, distinct under the case-mapping) and
// the reverse index State.watchers (fold → watching clients), kept in agreement (invariants.ts).
import type { Effect } from '../effect.js';
import { decodeNick } from '../names.js';
import * as N from '../numerics.js';
import { MAX_LINE_BYTES } from '../message.js';
import { numeric, packed } from '../reply.js';
import { clientByNick, foldName, setClient, type Client, type ClientId, type State, withClient, withState } from '../state.js';
import type { VerbSpec } from '../verb.js';

/** Nicks one client may watch (advertised as MONITOR=). */
export const MONITOR_LIMIT = 100;

export interface Monitor {
  readonly _tag: 'Monitor';
  readonly sub: string;
  readonly targets: readonly string[];
}

/**
 * `items` joined by commas into as few lists as fit a line of `:server NNN nick <list>` with
 * `extra` more bytes besides (other parameters, the text).
 */
const chunks = (state: State, c: Client, items: readonly string[], extra = 0): string[] =>
  // `:server NNN nick :`, CR LF.
  packed(items, ',', MAX_LINE_BYTES - 2 - (state.config.serverName.length + (c.nick ?? '*').length + 8) - extra);

/** `n` with `items` as comma-separated trailing lists, as many lines as it takes to fit each. */
const listed = (state: State, c: Client, n: N.Numeric, items: readonly string[]): Effect[] =>
  chunks(state, c, items).map((chunk) => numeric(state, c, n, [], chunk));

/** 730 for those of `nicks` that are online (as nick!user@host), then 731 for the others. */
const status = (state: State, c: Client, nicks: readonly string[]): Effect[] => {
  const on: string[] = [];
  const off: string[] = [];
  for (const nick of nicks) {
    const x = clientByNick(state, nick);
    if (x !== undefined && x.registered) on.push(x.source);
    else off.push(nick);
  }
  return [...listed(state, c, N.RPL_MONONLINE, on), ...listed(state, c, N.RPL_MONOFFLINE, off)];
};

/** `watchers` with `id` added to (`on`) or removed from the entry of `fold`. */
const watch = (watchers: State['watchers'], fold: string, id: ClientId, on: boolean): State['watchers'] => {
  const ids = watchers.get(fold) ?? [];
  if (on) return watchers.set(fold, [...ids, id]);
  const rest = ids.filter((x) => x !== id);
  return rest.length === 0 ? watchers.delete(fold) : watchers.set(fold, rest);
};

/** The state with `c` watching `keep` of its list only (its reverse-index entries updated). */
const keepOnly = (state: State, c: Client, keep: readonly string[]): State => {
  let watchers = state.watchers;
  const kept = new Set(keep.map((t) => foldName(state, t)));
  for (const t of c.monitoring) {
    const fold = foldName(state, t);
    if (!kept.has(fold)) watchers = watch(watchers, fold, c.id, false);
  }
  return withState(setClient(state, withClient(c, { monitoring: keep })), { watchers });
};

/** A client leaving: its own list goes from the reverse index. */
export const unwatchAll = (state: State, c: Client): State['watchers'] => {
  let watchers = state.watchers;
  for (const t of c.monitoring) watchers = watch(watchers, foldName(state, t), c.id, false);
  return watchers;
};

/** 730 to the watchers of `c`'s nick: it is online now. */
export const cameOnline = (state: State, c: Client): Effect[] => notify(state, c.nick!, N.RPL_MONONLINE, c.source);

/** 731 to the watchers of `nick`: its holder is gone. */
export const wentOffline = (state: State, nick: string): Effect[] => notify(state, nick, N.RPL_MONOFFLINE, nick);

const notify = (state: State, nick: string, n: N.Numeric, text: string): Effect[] => {
  if (state.watchers.size === 0) return [];
  const ids = state.watchers.get(foldName(state, nick));
  if (ids === undefined) return [];
  const out: Effect[] = [];
  for (const id of ids) {
    const w = state.clients.get(id);
    if (w !== undefined) out.push(numeric(state, w, n, [], text));
  }
  return out;
};

export const monitor: VerbSpec<Monitor> = {
  verbs: ['MONITOR'],
  minParams: 1,
  beforeRegistration: false,
  operOnly: false,
  decode: (m) => ({
    _tag: 'Monitor',
    // ASCII-only upper case, as CAP's (String#toUpperCase widens latin1 bytes).
    sub: m.params[0]!.replace(/[a-z]+/g, (w) => w.toUpperCase()),
    targets: (m.params[1] ?? '').split(',').filter((t) => t !== ''),
  }),
  handle: (state, c, cmd) => {
    switch (cmd.sub) {
      case '+': {
        if (cmd.targets.length === 0) return [state, [numeric(state, c, N.ERR_NEEDMOREPARAMS, ['MONITOR'])]];
        const have = new Set(c.monitoring.map((t) => foldName(state, t)));
        const added: string[] = [];
        const named: string[] = []; // the status of every target named (already watched ones too), once
        const left: string[] = []; // past the limit: 734
        const seen = new Set<string>();
        let watchers = state.watchers;
        for (const target of cmd.targets) {
          // A target that can be no one's nick is ignored.
          if (decodeNick(target, state.config.limits.nickLen) === null) continue;
          const fold = foldName(state, target);
          if (seen.has(fold)) continue;
          seen.add(fold);
          if (!have.has(fold)) {
            if (have.size >= MONITOR_LIMIT) {
              left.push(target);
              continue;
            }
            have.add(fold);
            added.push(target);
            watchers = watch(watchers, fold, c.id, true);
          }
          named.push(target);
        }
        const s = withState(setClient(state, withClient(c, { monitoring: [...c.monitoring, ...added] })), { watchers });
        const out = status(s, c, named);
        const limit = String(MONITOR_LIMIT);
        for (const chunk of chunks(state, c, left, limit.length + 1 + ' :Monitor list is full.'.length))
          out.push(numeric(s, c, N.ERR_MONLISTFULL, [limit, chunk]));
        return [s, out];
      }
      case '-': {
        if (cmd.targets.length === 0) return [state, [numeric(state, c, N.ERR_NEEDMOREPARAMS, ['MONITOR'])]];
        const gone = new Set(cmd.targets.map((t) => foldName(state, t)));
        return [keepOnly(state, c, c.monitoring.filter((t) => !gone.has(foldName(state, t)))), []];
      }
      case 'C':
        return [keepOnly(state, c, []), []];
      case 'L':
        return [state, [...listed(state, c, N.RPL_MONLIST, c.monitoring), numeric(state, c, N.RPL_ENDOFMONLIST)]];
      case 'S':
        return [state, status(state, c, c.monitoring)];
      default:
        // An unknown subcommand (the spec names none other): ignored, as InspIRCd does.
        return [state, []];
    }
  },
};
