// IdMap: a persistent map from client ids (non-negative integers) to values, for the state's
// client index. A 32-way radix trie indexed by the id's own bits: no hashing, no key compare,
// one array per level (ids are dense, handed out in order), path-copied on update. Looking a
// client up is a few dependent array loads where Immutable's Map walks a node object and its
// array per level and hashes the key; measured on the core benchmark it makes lookups ~3x and
// updates ~2x cheaper. Nodes emptied by deletes are pruned, so the map of no clients is the same
// whatever came before, and iteration is in id order, which keeps every walk deterministic.

const BITS = 5;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;

type Node = unknown[];

const emptyNode = (): Node => new Array<unknown>(WIDTH);

const isEmpty = (n: Node): boolean => {
  for (let i = 0; i < WIDTH; i++) if (n[i] !== undefined) return false;
  return true;
};

export class IdMap<V> {
  private constructor(
    /** Level-0 nodes hold values; above, nodes hold nodes. undefined = nothing. */
    private readonly root: Node | undefined,
    /** Bit shift of the root's level: ids below 2^(shift + 5) fit. */
    private readonly shift: number,
    readonly size: number,
  ) {}

  private static readonly EMPTY = new IdMap<never>(undefined, 0, 0);

  static empty<V>(): IdMap<V> {
    return IdMap.EMPTY as IdMap<V>;
  }

  get(id: number): V | undefined {
    let n = this.root;
    if (n === undefined || id >>> this.shift > MASK || id < 0) return undefined;
    for (let s = this.shift; s > 0; s -= BITS) {
      n = n[(id >>> s) & MASK] as Node | undefined;
      if (n === undefined) return undefined;
    }
    return n[id & MASK] as V | undefined;
  }

  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  set(id: number, value: V): IdMap<V> {
    if (!(id >= 0 && id <= 0x7fffffff && Number.isInteger(id))) throw new RangeError(`IdMap key ${id} is not an id`);
    if (value === undefined && this.get(id) === undefined) return this;
    const shift = this.shiftFor(id);
    const root = this.raisedTo(shift);
    added = false;
    const next = setIn(root, shift, id, value);
    return next === this.root ? this : new IdMap<V>(next, shift, added ? this.size + 1 : this.size);
  }

  /**
   * The map with each entry of `ids` (ascending, distinct) replaced by `f(value, id, i)`, `i`
   * its index in `ids`; ids without an entry stay without one. Each node on the way is copied
   * once for all the ids under it, where one `set` per id copies its whole path each time: a
   * batch of a thousand ids among ten thousand copies ~300 leaves instead of ~3000.
   */
  updateSorted(ids: ArrayLike<number>, f: (value: V, id: number, i: number) => V): IdMap<V> {
    if (this.root === undefined) return this;
    // Ids past the root's range have no entry; being ascending, the rest come first.
    let end = 0;
    while (end < ids.length && ids[end]! >= 0 && ids[end]! >>> this.shift <= MASK) end++;
    return end === 0 ? this : new IdMap<V>(updateIn(this.root, this.shift, ids, 0, end, f as (v: unknown, id: number, i: number) => unknown), this.shift, this.size);
  }

  /**
   * The map with `ids` (ascending, distinct) set to `f(old value or undefined, id, i)`, `i` the
   * index in `ids`: `set` for many ids, each node copied once (see updateSorted).
   */
  setSorted(ids: ArrayLike<number>, f: (value: V | undefined, id: number, i: number) => V): IdMap<V> {
    if (ids.length === 0) return this;
    const max = ids[ids.length - 1]!;
    if (!(ids[0]! >= 0 && max <= 0x7fffffff && Number.isInteger(max))) throw new RangeError(`IdMap keys ${ids[0]}..${max} are not ids`);
    const shift = this.shiftFor(max);
    const root = this.raisedTo(shift);
    const added = { n: 0 };
    const next = setSortedIn(root, shift, ids, 0, ids.length, f as (v: unknown, id: number, i: number) => unknown, added);
    return new IdMap<V>(next, shift, this.size + added.n);
  }

  /** The root shift a map holding `id` needs: this one's, or more levels above it. */
  private shiftFor(id: number): number {
    let shift = this.root === undefined ? 0 : this.shift;
    while (id >>> shift > MASK) shift += BITS;
    return shift;
  }

  /** This map's root (a new empty one if none) under as many new levels as `shift` needs. */
  private raisedTo(shift: number): Node {
    let root = this.root ?? emptyNode();
    for (let s = this.root === undefined ? 0 : this.shift; s < shift; s += BITS) {
      const up = emptyNode();
      up[0] = root;
      root = up;
    }
    return root;
  }

  delete(id: number): IdMap<V> {
    if (this.get(id) === undefined) return this;
    if (this.size === 1) return IdMap.empty();
    let root = deleteIn(this.root!, this.shift, id)!;
    let shift = this.shift;
    // Drop levels the remaining ids no longer need.
    while (shift > 0 && root[0] !== undefined && isEmptyBut0(root)) {
      root = root[0] as Node;
      shift -= BITS;
    }
    return new IdMap<V>(root, shift, this.size - 1);
  }

  clear(): IdMap<V> {
    return IdMap.empty();
  }

  *entries(): IterableIterator<[number, V]> {
    if (this.root !== undefined) yield* walk<V>(this.root, this.shift, 0);
  }

  *keys(): IterableIterator<number> {
    for (const [k] of this.entries()) yield k;
  }

  *values(): IterableIterator<V> {
    for (const [, v] of this.entries()) yield v;
  }

  [Symbol.iterator](): IterableIterator<[number, V]> {
    return this.entries();
  }

  /**
   * `fn(value, id)` for every entry, in id order, as entries() gives them but without a
   * generator and a pair per entry: a tick walks every client's liveness once a second.
   */
  forEach(fn: (value: V, id: number) => void): void {
    if (this.root !== undefined) visit<V>(this.root, this.shift, 0, fn);
  }

  /**
   * The ids whose values differ (!==) between `before` and this map, each with its value in
   * both (undefined where absent), in id order. Subtrees the two share are skipped, so after a
   * few updates this costs O(updates x depth), not O(size): replay's --check uses it to look
   * only at what a step changed.
   */
  changesSince(before: IdMap<V>): [number, V | undefined, V | undefined][] {
    const out: [number, V | undefined, V | undefined][] = [];
    if (before.root === this.root) return out;
    if (before.shift !== this.shift || before.root === undefined || this.root === undefined) {
      // The trie grew or shrank a level (or one side is empty): compare entry by entry.
      for (const [id, v] of before.entries()) if (this.get(id) !== v) out.push([id, v, this.get(id)]);
      for (const [id, v] of this.entries()) if (before.get(id) === undefined) out.push([id, undefined, v]);
      return out.sort((a, b) => a[0] - b[0]);
    }
    diffIn<V>(before.root, this.root, this.shift, 0, out);
    return out;
  }

  /** Same ids with identical (===) values; Immutable's `is` uses it (a ValueObject). */
  equals(other: unknown): boolean {
    if (!(other instanceof IdMap) || other.size !== this.size) return false;
    for (const [k, v] of this.entries()) if (other.get(k) !== v) return false;
    return true;
  }

  hashCode(): number {
    let h = this.size;
    for (const k of this.keys()) h = (Math.imul(h, 31) + k) | 0;
    return h;
  }

  toJSON(): Record<string, V> {
    const o: Record<string, V> = {};
    for (const [k, v] of this.entries()) o[k] = v;
    return o;
  }
}

/** Set by setIn: the id had no entry (set's one walk tells the size as it goes). */
let added = false;

/** `node` with `id` set to `value`; `node` itself when it already holds exactly that. */
const setIn = (node: Node, shift: number, id: number, value: unknown): Node => {
  const i = (id >>> shift) & MASK;
  const old = node[i];
  let next: unknown;
  if (shift === 0) {
    if (old === value) return node;
    if (old === undefined) added = true;
    next = value;
  } else {
    next = setIn((old as Node | undefined) ?? emptyNode(), shift - BITS, id, value);
    if (next === old) return node;
  }
  const copy = node.slice();
  copy[i] = next;
  return copy;
};

/** `node` with the entries of ids[lo..hi) (ascending, all under this node) passed through `f`. */
const updateIn = (node: Node, shift: number, ids: ArrayLike<number>, lo: number, hi: number, f: (v: unknown, id: number, i: number) => unknown): Node => {
  const copy = node.slice();
  for (let i = lo; i < hi; ) {
    const slot = (ids[i]! >>> shift) & MASK;
    let j = i + 1;
    while (j < hi && ((ids[j]! >>> shift) & MASK) === slot) j++;
    const child = node[slot];
    if (child !== undefined) copy[slot] = shift === 0 ? f(child, ids[i]!, i) : updateIn(child as Node, shift - BITS, ids, i, j, f);
    i = j;
  }
  return copy;
};

/** `node` (or a new one) with ids[lo..hi) set through `f`; `added.n` counts the new entries. */
const setSortedIn = (
  node: Node | undefined,
  shift: number,
  ids: ArrayLike<number>,
  lo: number,
  hi: number,
  f: (v: unknown, id: number, i: number) => unknown,
  added: { n: number },
): Node => {
  const copy = node === undefined ? emptyNode() : node.slice();
  for (let i = lo; i < hi; ) {
    const slot = (ids[i]! >>> shift) & MASK;
    let j = i + 1;
    while (j < hi && ((ids[j]! >>> shift) & MASK) === slot) j++;
    if (shift === 0) {
      if (copy[slot] === undefined) added.n++;
      copy[slot] = f(copy[slot], ids[i]!, i);
    } else copy[slot] = setSortedIn(copy[slot] as Node | undefined, shift - BITS, ids, i, j, f, added);
    i = j;
  }
  return copy;
};

/** The node without `id`, or undefined if nothing is left in it. */
const deleteIn = (node: Node, shift: number, id: number): Node | undefined => {
  const i = (id >>> shift) & MASK;
  const child = shift === 0 ? undefined : deleteIn(node[i] as Node, shift - BITS, id);
  const copy = node.slice();
  copy[i] = child;
  return isEmpty(copy) ? undefined : copy;
};

const isEmptyBut0 = (n: Node): boolean => {
  for (let i = 1; i < WIDTH; i++) if (n[i] !== undefined) return false;
  return true;
};

const diffIn = <V>(a: Node | undefined, b: Node | undefined, shift: number, base: number, out: [number, V | undefined, V | undefined][]): void => {
  if (a === b) return;
  for (let i = 0; i < WIDTH; i++) {
    const x = a?.[i];
    const y = b?.[i];
    if (x === y) continue;
    const id = base + i * 2 ** shift;
    if (shift === 0) out.push([id, x as V | undefined, y as V | undefined]);
    else diffIn<V>(x as Node | undefined, y as Node | undefined, shift - BITS, id, out);
  }
};

const visit = <V>(node: Node, shift: number, base: number, fn: (value: V, id: number) => void): void => {
  for (let i = 0; i < WIDTH; i++) {
    const x = node[i];
    if (x === undefined) continue;
    const id = base + i * 2 ** shift;
    if (shift === 0) fn(x as V, id);
    else visit<V>(x as Node, shift - BITS, id, fn);
  }
};

function* walk<V>(node: Node, shift: number, base: number): Generator<[number, V]> {
  for (let i = 0; i < WIDTH; i++) {
    const x = node[i];
    if (x === undefined) continue;
    const id = base + i * 2 ** shift;
    if (shift === 0) yield [id, x as V];
    else yield* walk<V>(x as Node, shift - BITS, id);
  }
}
