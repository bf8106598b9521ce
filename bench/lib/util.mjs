// Small helpers shared by the bench scripts.

/** `--some-flag value` → { someFlag: value } (numbers parsed); `--flag` alone → true. */
export function parseArgs(argv) {
  const positional = [];
  const flags = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const key = a.slice(2).replace(/-([a-z])/g, (_, ch) => ch.toUpperCase());
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) flags[key] = true;
    else {
      flags[key] = /^-?\d+(\.\d+)?$/.test(next) ? Number(next) : next;
      i++;
    }
  }
  return { positional, flags };
}

/** Nearest-rank percentile of an ascending array (NaN when empty). */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const k = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[k];
}

export function median(xs) {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Two-sided sign test: the chance of a split at least as uneven as `ahead` of `n` paired rounds
 * if neither side were faster (each round a fair coin). Ties count against neither side: pass
 * the rounds that were not ties as `n`.
 */
export function signTestP(ahead, n) {
  if (n === 0) return 1;
  const k = Math.min(ahead, n - ahead);
  let tail = 0;
  let c = 1; // C(n, 0)
  for (let i = 0; i <= k; i++) {
    tail += c;
    c = (c * (n - i)) / (i + 1);
  }
  return Math.min(1, (2 * tail) / 2 ** n);
}

/**
 * A V8 CPU profile (the inspector's or `node --cpu-prof`'s JSON) summed by function: each
 * function's self time as a share of all samples, largest first. Functions are named
 * `name file:line` (file as its last two path parts), so a function sampled under several
 * callers is counted once; `(garbage collector)`, `(program)` and `(idle)` stand as V8 names them.
 */
export function selfTime(profile, top = 15) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const ticks = new Map();
  for (const id of profile.samples) ticks.set(id, (ticks.get(id) ?? 0) + 1);
  const byName = new Map();
  for (const [id, n] of ticks) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const file = url.split('/').slice(-2).join('/');
    const name = `${functionName || '(anonymous)'}${file === '' ? '' : ` ${file}:${lineNumber + 1}`}`;
    byName.set(name, (byName.get(name) ?? 0) + n);
  }
  const all = profile.samples.length;
  return [...byName]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, top)
    .map(([name, n]) => ({ name, share: n / all }));
}
