// Failing properties become regression tests. `assertRecorded` runs a fast-check property whose
// body drives the core through recorded Inputs; when it fails, the shrunk counterexample is run
// once more to capture its inputs, which are written as a replay log (`pureircd replay FILE`)
// and as a spec transcript (spec/README.md). The error names the seed, the path and both files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Input } from '../src/core/input.js';
import type { ServerConfig } from '../src/core/state.js';
import { decodeLog, encodeHeader, encodeInput } from '../src/replay/log.js';
import { formatTranscript, replay } from '../src/replay/replay.js';

/** Where counterexamples go: $PUREIRCD_FAILURES_DIR, else <tmpdir>/pureircd-failures. */
export const failuresDir = (): string => process.env.PUREIRCD_FAILURES_DIR ?? join(tmpdir(), 'pureircd-failures');

export interface Written {
  readonly log: string;
  readonly transcript: string;
}

/** Write `inputs` as `<name>.log` (replay file) and `<name>.irc` (transcript) in `dir`. */
export const writeCounterexample = (name: string, config: ServerConfig, inputs: readonly Input[], dir = failuresDir()): Written => {
  mkdirSync(dir, { recursive: true });
  const text = [encodeHeader(config), ...inputs.map(encodeInput)].join('\n') + '\n';
  const log = join(dir, `${name}.log`);
  const transcript = join(dir, `${name}.irc`);
  writeFileSync(log, text);
  // Through the same decoder `pureircd replay` uses, so the file is known to load.
  writeFileSync(transcript, formatTranscript(replay(decodeLog(text), { check: false })));
  return { log, transcript };
};

export interface RecordedOptions {
  /** Names the files: `<name>-<seed>.log/.irc`. */
  readonly name: string;
  readonly config: ServerConfig;
  readonly numRuns: number;
  /** To re-run a reported failure: the `seed` and `path` from its message. */
  readonly seed?: number;
  readonly path?: string;
  readonly dir?: string;
}

/** Feeds one input to the system under test and records it. */
export type Record = (input: Input) => void;

const slug = (s: string): string => s.replace(/[^\w-]+/g, '-').replace(/^-|-$/g, '') || 'property';

const params = <T>(opts: RecordedOptions): fc.Parameters<T> => ({
  numRuns: opts.numRuns,
  ...(opts.seed === undefined ? {} : { seed: opts.seed }),
  ...(opts.path === undefined ? {} : { path: opts.path }),
});

const report = <T>(details: fc.RunDetails<T>, opts: RecordedOptions, inputs: readonly Input[]): Error => {
  let where: string;
  try {
    const w = writeCounterexample(`${slug(opts.name)}-${details.seed}`, opts.config, inputs, opts.dir);
    where = `\nCounterexample (${inputs.length} inputs) written as\n  replay log: ${w.log}\n  transcript: ${w.transcript}`;
  } catch (e) {
    where = `\n(could not write the counterexample: ${e instanceof Error ? e.message : String(e)})`;
  }
  const error = new Error(`${fc.defaultReportMessage(details)}${where}`);
  if (details.errorInstance instanceof Error) error.cause = details.errorInstance;
  return error;
};

/**
 * Check `run` over `arb`. `run(value, record)` must feed every input through `record` (which
 * stores it) before applying it; it fails by throwing. On failure the shrunk value is run
 * again to capture its inputs (up to the failing one), and the files are written.
 */
export const assertRecorded = <T>(arb: fc.Arbitrary<T>, run: (value: T, record: Record) => void, opts: RecordedOptions): void => {
  const details = fc.check(fc.property(arb, (v) => run(v, () => {})), params<[T]>(opts));
  if (!details.failed) return;
  const inputs: Input[] = [];
  if (details.counterexample !== null) {
    try {
      run(details.counterexample[0], (i) => void inputs.push(i));
    } catch {
      // Expected: it is the failing case.
    }
  }
  throw report(details, opts, inputs);
};

/** The async twin of assertRecorded (properties over real sockets). */
export const assertRecordedAsync = async <T>(
  arb: fc.Arbitrary<T>,
  run: (value: T, record: Record) => Promise<void>,
  opts: RecordedOptions,
): Promise<void> => {
  const details = await fc.check(fc.asyncProperty(arb, (v) => run(v, () => {})), params<[T]>(opts));
  if (!details.failed) return;
  const inputs: Input[] = [];
  if (details.counterexample !== null) {
    try {
      await run(details.counterexample[0], (i) => void inputs.push(i));
    } catch {
      // Expected: it is the failing case.
    }
  }
  throw report(details, opts, inputs);
};

/**
 * The common case: the value IS the session. `check` gets the whole input list and fails by
 * throwing; the written counterexample is the shrunk session itself.
 */
export const assertSession = (arb: fc.Arbitrary<Input[]>, check: (inputs: Input[]) => void, opts: RecordedOptions): void =>
  assertRecorded(
    arb,
    (inputs, record) => {
      for (const i of inputs) record(i);
      check(inputs);
    },
    opts,
  );
