// Whowas: the departed nicks WHOWAS answers from, newest first, at most `limit` of them. Every
// NICK change and every QUIT adds one, so adding must be cheap: entries are kept in chunks of
// CHUNK, newest first. Adding copies the newest chunk only (at most CHUNK references); a full
// chunk is pushed onto a linked list of older ones in O(1). Entries past the limit are not shown
// and are dropped a whole chunk at a time, once CHUNK of them have piled up. Immutable's List did
// the same job with a head insert and a resize that rebuilt several of its 32-way nodes: ~200 ns
// per entry against ~60 here, and 1 KiB more allocated per NICK change in bench/core.mjs.
import type { WhowasEntry } from './state.js';

const CHUNK = 32;

/** Full chunks, newest first; each holds CHUNK entries, newest first. */
interface Chunks {
  readonly entries: readonly WhowasEntry[];
  readonly next: Chunks | null;
}

export class Whowas {
  private constructor(
    /** The newest entries, newest first: fewer than CHUNK. */
    private readonly head: readonly WhowasEntry[],
    private readonly older: Chunks | null,
    /** Entries held, including those past the limit not yet dropped. */
    private readonly held: number,
    /**
     * Entries shown, the newest `size` of those held. It grows by one per entry added, up to the
     * limit then in force, so an entry once past the limit is never shown again.
     */
    readonly size: number,
  ) {}

  private static readonly EMPTY = new Whowas([], null, 0, 0);

  static empty(): Whowas {
    return Whowas.EMPTY;
  }

  /** Entries newest first, as given (the first is the newest), keeping at most `limit`. */
  static of(entries: Iterable<WhowasEntry>, limit: number): Whowas {
    const all = [...entries];
    let w = Whowas.empty();
    for (let i = all.length - 1; i >= 0; i--) w = w.add(all[i]!, limit);
    return w;
  }

  /** With `e` as the newest entry, keeping at most `limit` (0: none at all). */
  add(e: WhowasEntry, limit: number): Whowas {
    if (limit <= 0) return Whowas.EMPTY;
    const head = this.head.toSpliced(0, 0, e); // exact size: a spread copy would keep growth slack
    const size = Math.min(this.size + 1, limit);
    let held = this.held + 1;
    if (head.length < CHUNK) return new Whowas(head, this.older, held, size);
    let older: Chunks | null = { entries: head, next: this.older };
    // Drop the oldest chunk once none of it is shown.
    if (held - CHUNK >= size) {
      older = withoutLast(older);
      held -= CHUNK;
    }
    return new Whowas([], older, held, size);
  }

  /** The newest `n` entries (REHASH to a smaller limit). */
  take(n: number): Whowas {
    return n >= this.size ? this : Whowas.of(this.newest(n), n);
  }

  first(): WhowasEntry | undefined {
    return this.size === 0 ? undefined : (this.head[0] ?? this.older!.entries[0]);
  }

  /** The shown entries, newest first. */
  *[Symbol.iterator](): IterableIterator<WhowasEntry> {
    yield* this.newest(this.size);
  }

  toJSON(): WhowasEntry[] {
    return [...this];
  }

  private *newest(n: number): Generator<WhowasEntry> {
    let left = n;
    for (const e of this.head) {
      if (left-- <= 0) return;
      yield e;
    }
    for (let c = this.older; c !== null; c = c.next) {
      for (const e of c.entries) {
        if (left-- <= 0) return;
        yield e;
      }
    }
  }
}

/** The chunk list without its last (oldest) chunk: copies the cells before it (limit / CHUNK). */
const withoutLast = (c: Chunks): Chunks | null => (c.next === null ? null : { entries: c.entries, next: withoutLast(c.next) });
