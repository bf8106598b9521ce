// The fold's heap. A replay folds a whole log in one go, and each input replaces a few state
// objects (a client record, a map path) that stay current only until that client's next input.
// With the daemon's small young generation (4 MiB semi-spaces, chosen for idle memory per
// client) most of them are still current at the next scavenge, so they are copied and promoted
// before they die. 64 MiB semi-spaces let them die young: bench/core.mjs folds ~10% more inputs
// per second with them (bench/README.md), for ~100 MiB more memory, which a batch job can spare.
// `pureircd replay` and bench/core.mjs therefore run the fold in a node process started with
// these flags: they re-run themselves once, with FOLD_HEAP_ENV set so that the child does not.
import { spawnSync } from 'node:child_process';

export const FOLD_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

/** Set in the re-run process: the fold's heap is in place. */
export const FOLD_HEAP_ENV = 'PUREIRCD_FOLD_HEAP';

/**
 * The node arguments that re-run `script` with `args` under the fold's heap, or null when this
 * process already is that re-run. `execArgv` (this process's node flags) is kept but for
 * young-generation sizes, which the fold's own flags replace.
 */
export const foldHeapArgs = (
  env: Readonly<Record<string, string | undefined>>,
  execArgv: readonly string[],
  script: string,
  args: readonly string[],
): string[] | null => {
  if (env[FOLD_HEAP_ENV] === '1') return null;
  const kept = execArgv.filter((a) => !/^--(max|min)[-_]semi[-_]space[-_]size\b/.test(a));
  return [...kept, ...FOLD_NODE_FLAGS, script, ...args];
};

/**
 * Re-run `script` (this process's entry point) with `args` under the fold's heap, and give back
 * the re-run's exit code; or null if this process already is the re-run (the caller then folds).
 */
export const rerunWithFoldHeap = (script: string, args: readonly string[]): number | null => {
  const argv = foldHeapArgs(process.env, process.execArgv, script, args);
  if (argv === null) return null;
  const r = spawnSync(process.execPath, argv, { stdio: 'inherit', env: { ...process.env, [FOLD_HEAP_ENV]: '1' } });
  // Could not start it (out of processes, say): fold here, with this process's heap.
  if (r.error !== undefined) return null;
  // Killed by a signal: the conventional 128 + its number is not portable; 1 says it failed.
  return r.status ?? 1;
};
