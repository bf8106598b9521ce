#!/usr/bin/env node
// The record log's replay, end to end: the core benchmark's log (lib/corelog.mjs) written as a
// record log file, then `bin/pureircd replay FILE --state` timed from start to exit (node start-up,
// reading, decoding, the fold, printing the state): how long rebuilding a server's state from its
// log takes; and `replay FILE --check` (the invariants after every input) timed the same way.
// It checks the replayed state against an in-process replay of the same file, and
// splits that in-process replay into its parts (read, decode, fold) to say where the time goes.
//
//   npm run build && node bench/replay.mjs [--clients 10000] [--channels 2000] [--per-client 3]
//        [--inputs 1000000] [--seed 1] [--json]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { foldConfig, generateLog } from './lib/corelog.mjs';
import { parseArgs } from './lib/util.mjs';

const { flags } = parseArgs(process.argv.slice(2));
const o = { clients: 10_000, channels: 2000, perClient: 3, inputs: 1_000_000, seed: 1, json: false, ...flags };

const root = new URL('../', import.meta.url);
const load = (path) =>
  import(new URL(`dist/src/${path}`, root).href).catch((e) => {
    console.error(`bench/replay.mjs needs the compiled server (${e.message}): run \`npm run build\` first`);
    process.exit(2);
  });
const { encodeHeader, encodeInput, decodeLog } = await load('replay/log.js');
const { replay } = await load('replay/replay.js');
const { defaultConfig } = await load('core/state.js');
// The in-process replay folds as the CLI does: in a process with the fold's young generation.
const { rerunWithFoldHeap } = await load('replay/heap.js');
const rerun = rerunWithFoldHeap(process.argv[1], process.argv.slice(2));
if (rerun !== null) process.exit(rerun);

// The log file; the generated inputs are dropped once written, so that neither replay below
// shares the machine's memory with them.
const dir = mkdtempSync(join(tmpdir(), 'pureircd-replay-bench-'));
const file = join(dir, 'core.log');
const count = (() => {
  const { setup, joins, mix } = generateLog(o);
  const inputs = [...setup, ...joins, ...mix];
  writeFileSync(file, [encodeHeader(foldConfig(defaultConfig)), ...inputs.map(encodeInput)].join('\n') + '\n', 'utf8');
  return inputs.length;
})();
const fileBytes = statSync(file).size;

// ---- the CLI, end to end ---------------------------------------------------------------------
/** `pureircd replay FILE ...flags`, timed from spawn to exit; its output, or the run fails. */
const cliRun = (flags) => {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [new URL('bin/pureircd', root).pathname, 'replay', file, ...flags], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    console.error(`bench/replay.mjs: pureircd replay ${flags.join(' ')} exited ${r.status}: ${r.stderr}`);
    process.exit(1);
  }
  return { seconds, stdout: r.stdout, stderr: r.stderr };
};
const cli = cliRun(['--state']);
const cliSeconds = cli.seconds;
const replayed = JSON.parse(cli.stdout);
// --check: the invariants after every input (from what each changed, src/core/invariants.ts).
const checked = cliRun(['--check']);
if (!checked.stderr.includes(`${count} inputs replayed, every invariant held`)) {
  console.error(`bench/replay.mjs: pureircd replay --check said: ${checked.stderr}`);
  process.exit(1);
}

// ---- the same replay in this process, by part ------------------------------------------------
let t = process.hrtime.bigint();
const lap = () => {
  const now = process.hrtime.bigint();
  const ms = Number(now - t) / 1e6;
  t = now;
  return ms;
};
const text = readFileSync(file, 'utf8');
const readMs = lap();
const log = decodeLog(text);
const decodeMs = lap();
const result = replay(log, { check: false, received: false, steps: false });
const foldMs = lap();
rmSync(dir, { recursive: true, force: true });

// The CLI rebuilt the state the in-process replay did.
const clients = Object.keys(replayed.clients).length;
if (log.errors.length > 0 || result.applied !== count || clients !== result.state.clients.size || replayed.seq !== result.state.seq) {
  console.error(`bench/replay.mjs: the replays disagree: cli ${clients} clients at seq ${replayed.seq}, in-process ${result.state.clients.size} at seq ${result.state.seq} after ${result.applied} of ${count} inputs`);
  process.exit(1);
}

const out = {
  inputs: count,
  fileBytes,
  cli: { seconds: cliSeconds, inputsPerSec: count / cliSeconds },
  cliCheck: { seconds: checked.seconds, inputsPerSec: count / checked.seconds },
  inProcess: { readMs, decodeMs, foldMs, foldInputsPerSec: count / (foldMs / 1000) },
  clients,
  channels: result.state.channels.size,
};
if (o.json) console.log(JSON.stringify(out));
else {
  const f = (x) => Math.round(x).toLocaleString('en');
  console.log(`pureircd replay --state: ${f(out.inputs)} inputs (${(fileBytes / 1024 / 1024).toFixed(0)} MiB of log) in ${cliSeconds.toFixed(2)} s = ${f(out.cli.inputsPerSec)} inputs/s, end to end`);
  console.log(`pureircd replay --check: ${checked.seconds.toFixed(2)} s = ${f(out.cliCheck.inputsPerSec)} inputs/s, every invariant held after every input`);
  console.log(`  the same replay in-process: read ${f(readMs)} ms, decode ${f(decodeMs)} ms, fold ${f(foldMs)} ms (${f(out.inProcess.foldInputsPerSec)} inputs/s)`);
  console.log(`  state: ${f(clients)} clients, ${f(out.channels)} channels (the CLI's and the in-process replay's agree)`);
}
