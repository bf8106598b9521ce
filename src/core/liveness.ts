// When each client was last heard from (keep-alive, ping timeouts) and last active (WHOIS idle),
// to the second. Every line proves its client alive, so noting it is the one state write nearly
// every input makes, and it is made in two steps:
// - the line is noted in State.heard: one number written to a buffer the states of this second
//   share, with no read of anything the client owns (on a large server, a cache miss) and no copy;
// - when the second is over (or the buffer full), the next input writes the notes to
//   State.liveness (seen, active) in one batch: each client once, each trie node copied once,
//   numbers only.
// Times are kept as whole seconds (ms / 1000, rounded down), so a time read back is never later
// than the line it stands for and at most a second earlier. A line also answers a pending PING.
import { Heard, HeardBuffer, noHeard, withLiveness, withState, type Client, type ClientId, type Liveness, type State } from './state.js';

/** Liveness and idle times are kept to this resolution. */
export const LIVENESS_RESOLUTION_MS = 1000;

/** The most notes State.heard holds before they are written: a bound on its memory and on a scan of it. */
export const HEARD_MAX = 4096;

const secondOf = (ms: number): number => Math.floor(ms / LIVENESS_RESOLUTION_MS);

/** The view of `c` given its noted lines (`noted`: any; `active`: one resets the idle time). */
const view = (state: State, c: Client, noted: boolean, active: boolean): Liveness => {
  const second = state.heard.second;
  const seen = noted ? second : state.liveness.seen.get(c.id)!;
  const lastActive = active ? second : state.liveness.active.get(c.id);
  return {
    seenAt: seen * LIVENESS_RESOLUTION_MS,
    // Idle time counts from registration (signonAt) until a message.
    activeAt: lastActive === undefined ? c.signonAt : Math.max(c.signonAt, lastActive * LIVENESS_RESOLUTION_MS),
    // Noted lines all came after any PING sent: a tick writes the notes before it pings.
    pingSentAt: noted ? null : (state.liveness.pinged.get(c.id) ?? null),
  };
};

/** A client's liveness as it stands: what was written, and the lines noted since. */
export const livenessOf = (state: State, c: Client): Liveness => {
  const { notes, count } = state.heard;
  let noted = false;
  let active = false;
  for (let i = 0; i < count; i++) {
    const k = notes.keys[i]!;
    if (k >>> 1 !== c.id) continue;
    noted = true;
    if ((k & 1) === 1) active = true;
  }
  return view(state, c, noted, active);
};

/**
 * For many lookups at once (WHO of a whole channel): `livenessOf` with the notes indexed once,
 * so that each lookup costs no scan of them.
 */
export const livenessReader = (state: State): ((c: Client) => Liveness) => {
  const { notes, count } = state.heard;
  const noted = new Map<ClientId, boolean>();
  for (let i = 0; i < count; i++) {
    const k = notes.keys[i]!;
    noted.set(k >>> 1, (k & 1) === 1 || noted.get(k >>> 1) === true);
  }
  return (c) => {
    const active = noted.get(c.id);
    return view(state, c, active !== undefined, active === true);
  };
};

/** Is `id` in `ids` (ascending)? */
const includes = (ids: ArrayLike<number>, id: number): boolean => {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid]! < id) lo = mid + 1;
    else hi = mid;
  }
  return lo < ids.length && ids[lo] === id;
};

/**
 * The notes written to State.liveness (seen, active; a pending PING is answered), and the notes
 * begun afresh in the second of now. Notes of clients gone since are skipped.
 */
export const writeHeard = (state: State): State => {
  const { notes, count, second } = state.heard;
  const now = secondOf(state.now);
  if (count === 0) return second === now ? state : withState(state, { heard: new Heard(notes, 0, now) });
  // Sorted, each client's notes are side by side and ids ascend, as setSorted and updateSorted
  // need; then each client's notes are merged into one, in place (active if any was).
  const keys = notes.keys.slice(0, count).sort();
  let distinct = 0;
  for (let i = 0; i < count; i++) {
    const k = keys[i]!;
    if (distinct > 0 && keys[distinct - 1]! >>> 1 === k >>> 1) keys[distinct - 1] = keys[distinct - 1]! | (k & 1);
    else keys[distinct++] = k;
  }
  const ids = new Uint32Array(distinct);
  for (let i = 0; i < distinct; i++) ids[i] = keys[i]! >>> 1;
  // Every client has a `seen` entry: those that still have one are the clients still here.
  const here = new Uint32Array(distinct);
  let active = 0;
  const l = state.liveness;
  const seen = l.seen.updateSorted(ids, (_old, id, i) => {
    if ((keys[i]! & 1) === 1) here[active++] = id;
    return second;
  });
  let pinged = l.pinged;
  if (pinged.size > 0) for (const [id] of l.pinged) if (includes(ids, id)) pinged = pinged.delete(id);
  const liveness = withLiveness(l, { seen, active: l.active.setSorted(here.subarray(0, active), () => second), pinged });
  return withState(state, { liveness, heard: noHeard(state.now) });
};

/**
 * A line from `id` heard (`active`: it resets the idle time): noted in State.heard, after the
 * notes are written out if their second is over or the buffer full. A client's lines in a row
 * share one note.
 */
export const noteHeard = (state: State, id: ClientId, active: boolean): State => {
  let s = state;
  if (s.heard.count >= HEARD_MAX || secondOf(s.now) !== s.heard.second) s = writeHeard(s);
  const { notes, count, second } = s.heard;
  const key = id * 2 + (active ? 1 : 0);
  // (An active note covers an inactive line: key + 1 is this id's active key when `active` is false.)
  if (count > 0 && (notes.keys[count - 1] === key || (!active && notes.keys[count - 1] === key + 1))) return s;
  let buffer = notes;
  if (buffer.used !== count || count === buffer.keys.length) {
    // Not this buffer's newest state, or it is full: a buffer of its own, twice as large.
    const keys = new Uint32Array(Math.min(HEARD_MAX, Math.max(64, 2 * count)));
    keys.set(notes.keys.subarray(0, count));
    buffer = new HeardBuffer(keys, count);
  }
  buffer.keys[count] = key;
  buffer.used = count + 1;
  return withState(s, { heard: new Heard(buffer, count + 1, second) });
};
