// bench/core.mjs, the core-only benchmark, folds a small generated log end to end: it must run
// against the built core and report figures consistent with the log it generated. (Its speed is
// measured by bench/, never asserted here.)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from './daemon.js';
// @ts-expect-error: a plain ES module of the bench, without type declarations
import { selfTime, signTestP } from '../bench/lib/util.mjs';

beforeAll(ensureBuilt, 120_000);

/** core.mjs --json with these log flags: it must succeed quietly; its report. */
const fold = (flags: string[]) => {
  const r = spawnSync(process.execPath, ['--expose-gc', 'bench/core.mjs', ...flags, '--json'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
};

describe('bench/core.mjs', () => {
  it('folds a generated log and reports inputs, deliveries and heap figures that add up', () => {
    const out = fold(['--clients', '300', '--channels', '60', '--per-client', '3', '--inputs', '20000']);
    expect(out.inputs).toBe(20_000);
    // Every client registered; each made 3 joins, and the mix only moves members around.
    expect(out.clients).toBe(300);
    expect(out.phases.register.inputs).toBe(900);
    expect(out.phases.join.inputs).toBe(900);
    expect(out.phases.mix.inputs).toBe(20_000 - 1800);
    expect(out.channels).toBeGreaterThan(0);
    expect(out.channels).toBeLessThanOrEqual(60);
    expect(out.memberships).toBeGreaterThanOrEqual(out.channels);
    // Channel messages dominate the mix, and each reaches the other members of its channel.
    expect(out.sendEffects).toBeGreaterThan(out.phases.mix.inputs * 0.8);
    expect(out.deliveries).toBeGreaterThan(out.sendEffects);
    expect(out.inputsPerSec).toBeGreaterThan(0);
    expect(out.heapPerClientBytes).toBeGreaterThan(0);
    expect(out.heapPerChannelBytes).toBeGreaterThan(0);
  });

  it('folds every client of a log larger than the default connection limit', () => {
    // 10 000 at once is the daemon's default limit; the fold must not refuse the rest.
    const out = fold(['--clients', '10050', '--channels', '200', '--per-client', '1', '--inputs', '25000']);
    expect(out.clients).toBe(10_050);
  });

  it('--warm times a second fold of the same log from a fresh state, with the same outcome as a cold one', () => {
    const log = ['--clients', '300', '--channels', '60', '--per-client', '3', '--inputs', '20000'];
    const cold = fold(log);
    const warm = fold([...log, '--warm']);
    expect(cold.warm).toBe(false);
    expect(warm.warm).toBe(true);
    // A fold on the warm-up's leftover state would refuse every client as already connected.
    for (const k of ['inputs', 'effects', 'sendEffects', 'deliveries', 'clients', 'channels', 'memberships'])
      expect([k, warm[k]]).toEqual([k, cold[k]]);
  });

  it('--runs N folds in N fresh processes and reports each run and the medians', () => {
    const out = fold(['--clients', '300', '--channels', '60', '--per-client', '3', '--inputs', '20000', '--runs', '3']);
    expect(out.runs).toHaveLength(3);
    // Every run folded the same log to the same outcome; only the times differ.
    for (const run of out.runs) {
      expect(run.inputs).toBe(20_000);
      expect(run.deliveries).toBe(out.runs[0].deliveries);
      expect(run.clients).toBe(300);
    }
    const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[1];
    expect(out.median.inputsPerSec).toBe(mid(out.runs.map((r: { inputsPerSec: number }) => r.inputsPerSec)));
    expect(out.median.mix).toBe(mid(out.runs.map((r: { phases: { mix: { perSec: number } } }) => r.phases.mix.perSec)));
    expect(out.median.heapPerClientBytes).toBe(mid(out.runs.map((r: { heapPerClientBytes: number }) => r.heapPerClientBytes)));
    expect(out.target).toBe(500_000);
  });

  it('--runs needs a whole number, and cannot be combined with --profile: exit code 2', () => {
    for (const flags of [['--runs', '0'], ['--runs', '1.5'], ['--runs', 'many'], ['--runs', '2', '--profile', 'x.cpuprofile']]) {
      const r = spawnSync(process.execPath, ['--expose-gc', 'bench/core.mjs', '--inputs', '100', ...flags], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      expect([flags, r.status]).toEqual([flags, 2]);
      expect(r.stderr).toMatch(/--runs|--profile/);
    }
  });

  it('--profile writes a CPU profile of the fold and reports the functions with the most self time', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pureircd-prof-')), 'fold.cpuprofile');
    const out = fold(['--clients', '300', '--channels', '60', '--per-client', '3', '--inputs', '20000', '--profile', file]);
    const written = JSON.parse(readFileSync(file, 'utf8'));
    expect(written.samples.length).toBeGreaterThan(0);
    expect(written.nodes.some((n: { callFrame: { functionName: string } }) => n.callFrame.functionName === 'step')).toBe(true);
    expect(out.profile.length).toBeGreaterThan(0);
    expect(out.profile.length).toBeLessThanOrEqual(15);
    const shares = out.profile.map((p: { share: number }) => p.share);
    expect(shares).toEqual([...shares].sort((a, b) => b - a));
    expect(shares.reduce((a: number, b: number) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-9);
    expect(out.profile.some((p: { name: string }) => / core\/[a-z]+\.js:\d+$/.test(p.name))).toBe(true);
    // The heap readings' full GCs are skipped while profiling: no heap figures.
    expect(out.heapPerClientBytes).toBeNull();
    expect(out.clients).toBe(300);
  });

  it('--profile without a file: a clear message and exit code 2', () => {
    const r = spawnSync(process.execPath, ['--expose-gc', 'bench/core.mjs', '--inputs', '100', '--profile'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--profile needs a file/);
  });

  it('sums a CPU profile by function, largest self time first', () => {
    const frame = (functionName: string, url: string, lineNumber: number) => ({ functionName, url, lineNumber });
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', '', -1) },
        { id: 2, callFrame: frame('step', 'file:///x/dist/src/core/step.js', 9) },
        { id: 3, callFrame: frame('step', 'file:///x/dist/src/core/step.js', 9) }, // the same function, another stack
        { id: 4, callFrame: frame('', 'file:///x/dist/src/core/input.js', 77) },
        { id: 5, callFrame: frame('(garbage collector)', '', -1) },
      ],
      samples: [2, 3, 3, 4, 5, 5, 2, 2],
    };
    expect(selfTime(profile)).toEqual([
      { name: 'step core/step.js:10', share: 5 / 8 },
      { name: '(garbage collector)', share: 2 / 8 },
      { name: '(anonymous) core/input.js:78', share: 1 / 8 },
    ]);
    expect(selfTime(profile, 1)).toHaveLength(1);
  });

  it('refuses to run without --expose-gc, with a clear message and exit code 2', () => {
    const r = spawnSync(process.execPath, ['bench/core.mjs', '--inputs', '100'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--expose-gc/);
  });
});

describe('bench/core-ab.mjs', () => {
  const run = (args: string[]) =>
    spawnSync(process.execPath, ['--expose-gc', 'bench/core-ab.mjs', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });

  it('folds the same log through each snapshot in turn and compares them with the first', () => {
    const r = run(['dist', 'dist/', '--rounds', '2', '--clients', '200', '--channels', '40', '--inputs', '10000']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^core A\/B: 10,000 inputs, 2 rounds, one process \(node .*--max-semi-space-size=64/);
    expect(lines[1]).toMatch(/^dist {2,}median \d+k inputs\/s \(mixed \d+k\) {2}rounds: \d+k \d+k$/);
    expect(lines[2]).toMatch(/^dist\/ +median \d+k inputs\/s \(mixed \d+k\) {2}[\d.]+× of dist \(per round [\d.]+×\), ahead in [012] of 2 rounds \(sign test p = [\d.]+\) {2}rounds: \d+k \d+k$/);
  });

  it('says how likely its count of rounds ahead is by chance (the sign test)', () => {
    // Exact binomial tails: 10 of 10 happens once in 512 two-sided, 21 of 30 about once in 23.
    expect(signTestP(10, 10)).toBeCloseTo(2 / 1024, 10);
    expect(signTestP(0, 10)).toBeCloseTo(2 / 1024, 10);
    expect(signTestP(21, 30)).toBeCloseTo(0.0428, 4);
    expect(signTestP(15, 30)).toBe(1);
    expect(signTestP(1, 2)).toBe(1);
    expect(signTestP(0, 0)).toBe(1);
  });

  it('needs two compiled snapshots: a clear message and exit code 2 otherwise', () => {
    const one = run(['dist']);
    expect(one.status).toBe(2);
    expect(one.stderr).toMatch(/usage: .*core-ab\.mjs <compiled dir> <compiled dir>/);
    const missing = run(['dist', 'bench/no-such-build']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/bench\/no-such-build is not a compiled pureircd .*npx tsc -p \. --outDir bench\/no-such-build/);
  });
});

describe('bench/replay.mjs', () => {
  it('replays the core log through `pureircd replay --state` and checks its state against an in-process replay', () => {
    const r = spawnSync(process.execPath, ['bench/replay.mjs', '--clients', '300', '--channels', '60', '--per-client', '3', '--inputs', '20000', '--json'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.inputs).toBe(20_000);
    expect(out.clients).toBe(300);
    expect(out.channels).toBeGreaterThan(0);
    expect(out.fileBytes).toBeGreaterThan(20_000 * 50);
    expect(out.cli.inputsPerSec).toBeGreaterThan(0);
    expect(out.cliCheck.inputsPerSec).toBeGreaterThan(0);
    for (const part of ['readMs', 'decodeMs', 'foldMs']) expect([part, out.inProcess[part] > 0]).toEqual([part, true]);
  });
});
