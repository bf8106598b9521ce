// Replay of record logs: the same core gives the same lines, --until stops early, a corrupt
// line keeps the valid prefix, and the exported transcript runs green.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { isLeft } from 'fp-ts/lib/Either.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InputC, type Input } from '../src/core/input.js';
import { defaultConfig, type ServerConfig } from '../src/core/state.js';
import { replayMain } from '../src/replay/cli.js';
import { FOLD_HEAP_ENV, FOLD_NODE_FLAGS, foldHeapArgs } from '../src/replay/heap.js';
import { main } from '../src/shell/cli.js';
import { decodeLog, encodeHeader, encodeInput } from '../src/replay/log.js';
import { formatTranscript, replay } from '../src/replay/replay.js';
import { runTranscript } from '../src/replay/transcript.js';
import { Harness } from './harness.js';
import { recipientsOf } from '../src/core/effect.js';
import { BIN, ensureBuilt } from './daemon.js';

const START = 1_690_000_000_000; // a recorded session: not the transcripts' T0

/** A small session driven through the harness (which records its inputs). */
const session = (config: Partial<ServerConfig> = {}): { h: Harness; config: ServerConfig } => {
  const h = new Harness({ createdAt: START, ...config });
  h.now = START + 5000;
  h.register('alice');
  h.register('bob', '10.0.0.7');
  h.send('alice', 'PRIVMSG bob :hi bob \xe9\xff');
  h.send('bob', 'NICK b[0b');
  h.send('alice', 'PRIVMSG b{0b,nobody :x');
  h.now += 1500;
  h.connect('carol');
  h.send('carol', 'NICK carol');
  h.send('carol', 'USER c 0 * :Carol');
  h.advance(120_000);
  h.send('alice', 'PONG :irc.local');
  h.send('carol', 'QUIT :bye');
  h.advance(60_000);
  h.disconnect('alice', 'Connection reset by peer');
  return { h, config: h.state.config };
};

const logText = (config: ServerConfig, inputs: readonly Input[]): string =>
  [encodeHeader(config), ...inputs.map(encodeInput)].join('\n') + '\n';

/** Everything each client was sent in the harness run, whatever was taken since. */
const harnessReceived = (h: Harness): Map<number, string[]> => {
  const out = new Map<number, string[]>();
  const closed = new Set<number>();
  for (const e of h.effects) {
    if (e._tag === 'Send') for (const id of recipientsOf(e)) if (!closed.has(id)) out.set(id, [...(out.get(id) ?? []), e.line]);
    if (e._tag === 'Close') closed.add(e.client);
  }
  return out;
};

describe('replay', () => {
  it('gives every client exactly the lines of the original run', () => {
    const { h, config } = session();
    const r = replay(decodeLog(logText(config, h.inputs)));
    expect(r.errors).toEqual([]);
    expect(r.violations).toEqual([]);
    const expected = harnessReceived(h);
    // The harness hands alice the ERROR of her own disconnect; the shell (and replay) cannot
    // write to a socket that is gone.
    expect(expected.get(1)!.pop()).toBe('ERROR :Closing link: alice@127.0.0.1 (Connection reset by peer)');
    expect(new Map(r.received)).toEqual(expected);
    expect(r.received.get(2)!.some((l) => l.includes('hi bob \xe9\xff'))).toBe(true);
    // bob never answered the PING (timed out), carol quit, alice dropped.
    expect(r.state.clients.size).toBe(0);
    expect(r.received.get(2)!.at(-1)).toBe('ERROR :Closing link: bob@10.0.0.7 (Ping timeout: 181 seconds)');
    expect([...r.nicks]).toEqual([[1, 'alice'], [2, 'b[0b'], [3, 'carol']]);
    expect(r.steps.length).toBe(h.inputs.length);
  });

  it('keeps only what it is asked to, with the same state and count', () => {
    const { h, config } = session();
    const log = decodeLog(logText(config, h.inputs));
    const full = replay(log);
    const bare = replay(log, { received: false, steps: false });
    expect(full.applied).toBe(h.inputs.length);
    expect(bare.applied).toBe(full.applied);
    expect(bare.state).toEqual(full.state);
    expect(bare.violations).toEqual(full.violations);
    expect([bare.received.size, bare.nicks.size, bare.steps.length]).toEqual([0, 0, 0]);
    // Steps alone: the same steps, and the same transcript from them.
    const steps = replay(log, { received: false });
    expect(steps.steps).toEqual(full.steps);
    expect(steps.received.size).toBe(0);
    expect(formatTranscript(steps)).toBe(formatTranscript(full));
    // Lines alone: the same lines and nicks.
    const lines = replay(log, { steps: false });
    expect(new Map(lines.received)).toEqual(new Map(full.received));
    expect([...lines.nicks]).toEqual([...full.nicks]);
    expect(lines.steps).toEqual([]);
  });

  it('stops after --until N', () => {
    const { h, config } = session();
    const r = replay(decodeLog(logText(config, h.inputs)), { until: 5 });
    expect(r.steps.map((s) => s.input.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(r.state.seq).toBe(5);
    expect(r.state.clients.get(1)?.nick).toBe('alice');
    expect(r.state.clients.get(2)?.registered).toBe(false);
  });

  it('reports a truncated line by number and replays the valid prefix', () => {
    const { h, config } = session();
    const text = logText(config, h.inputs);
    const lines = text.split('\n');
    const cut = [...lines.slice(0, 8), lines[8]!.slice(0, 20)].join('\n');
    const r = replay(decodeLog(cut));
    expect(r.errors).toEqual([{ line: 9, message: 'line 9 is not valid JSON (truncated or corrupt)' }]);
    expect(r.steps.length).toBe(7);
  });

  it('reads an older header with a partial config over the defaults, and refuses a bad one', () => {
    const partial = JSON.stringify({ format: 'pureircd-log', version: 1, config: { serverName: 'old.test' } });
    const input = encodeInput({ _tag: 'ClientConnected', seq: 1, at: 5, client: 1, address: '127.0.0.1', tls: false });
    const ping = encodeInput({ _tag: 'LineReceived', seq: 2, at: 5, client: 1, line: 'PING x' });
    const r = replay(decodeLog([partial, input, ping].join('\n')));
    expect(r.errors).toEqual([]);
    expect(r.received.get(1)).toEqual([':old.test PONG old.test :x']);
    const bad = JSON.stringify({ format: 'pureircd-log', version: 1, config: { serverName: 42 } });
    const rb = replay(decodeLog([bad, input].join('\n')));
    expect(rb.errors[0]?.message).toMatch(/header's config is invalid: serverName/);
    expect(rb.steps).toEqual([]);
  });

  it('exports a transcript that runs green through the transcript runner', () => {
    const { h, config } = session({ motd: ['hello | world', 'two'], password: null, limits: { ...defaultConfig.limits, nickLen: 12 } });
    const r = replay(decodeLog(logText(config, h.inputs)));
    const t = formatTranscript(r);
    expect(t).toContain('config ');
    expect(t).toContain('limits.nickLen=12');
    expect(t).toContain('bob connects from 10.0.0.7');
    expect(t).toContain('clock +1500ms');
    expect(t).toContain('wait 2m');
    expect(t).toContain('alice disconnects Connection reset by peer');
    expect(t).toMatch(/^carol closed$/m);
    const run = runTranscript(t);
    expect(run.failures).toEqual([]);
    // The exported run is the same session: same number of inputs, same final clients.
    expect(run.inputs.length).toBe(h.inputs.length);
    expect([...run.state.nicks.keys()].sort()).toEqual([...h.state.nicks.keys()].sort());
  });

  it('a changed transcript no longer passes (the export is checked, not echoed)', () => {
    const { h, config } = session();
    const t = formatTranscript(replay(decodeLog(logText(config, h.inputs))));
    expect(runTranscript(t.replace('PRIVMSG bob :hi bob', 'PRIVMSG bob :hi rob')).ok).toBe(false);
  });
});

describe('the record log codec', () => {
  const header = encodeHeader(defaultConfig);
  /** The general way, line by line: JSON.parse and the io-ts codec (what every line once took). */
  const reference = (lines: readonly string[]): { inputs: unknown[]; errors: unknown[] } => {
    const inputs: unknown[] = [];
    const errors: unknown[] = [];
    lines.forEach((raw, i) => {
      const n = i + 2;
      if (raw.trim() === '' || errors.length > 0) return;
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        return void errors.push({ line: n, message: `line ${n} is not valid JSON (truncated or corrupt)` });
      }
      const d = InputC.decode(value);
      if (isLeft(d)) return void errors.push({ line: n, message: `line ${n} is not a valid input` });
      inputs.push(d.right);
    });
    return { inputs, errors };
  };
  const text = fc.string({ unit: fc.oneof(fc.constantFrom('"', '\\', '}', '\n', '\r', '\t', '\u0000', '\u001f', '\u2028', '\ud800', 'é', 'ÿ', '😀'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) });
  const lineInput = fc.record({
    _tag: fc.constant('LineReceived' as const),
    seq: fc.oneof(fc.nat(), fc.maxSafeNat()),
    // Any finite time (JSON has no Infinity; -0 is written as 0).
    at: fc.oneof(fc.nat(), fc.maxSafeNat(), fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => x + 0)),
    client: fc.nat(),
    line: text,
  });

  it('reads back every LineReceived it writes, whatever the line holds', () => {
    fc.assert(
      fc.property(fc.array(lineInput, { maxLength: 20 }), (inputs) => {
        const log = decodeLog([header, ...inputs.map(encodeInput)].join('\n'));
        expect(log.errors).toEqual([]);
        expect(log.inputs).toEqual(inputs.map((i) => ({ seq: i.seq, at: i.at, _tag: i._tag, client: i.client, line: i.line })));
      }),
      { numRuns: 300 },
    );
  });

  it('reads the near misses of the quick way as the general way does', () => {
    const ok = '{"seq":12,"at":34,"_tag":"LineReceived","client":5,"line":"PRIVMSG #a :hi"}';
    const near = [
      ok.replace('"seq":12', '"seq":012'), // JSON has no leading zeros
      ok.replace('"at":34', '"at":-34'),
      ok.replace('"at":34', '"at":3.4e1'),
      ok.replace('"client":5', '"client":12345678901234567890'),
      ok.replace(':hi', ':h\u0001i'), // raw control character
      ok.replace(':hi', ':h\\u0001i'), // escaped: fine
      ok.replace(':hi', ':h\\qi'), // no such escape
      ok.replace(':hi', ':h\\"i'),
      ok.replace(':hi', ':h"i'),
      ok.replace('}', ',"extra":1}'),
      ok.replace('"seq":12,"at":34', '"at":34,"seq":12'),
      ok + ' ',
      ok + '\r',
      ' ' + ok,
      ok.replace('"LineReceived"', '"ClientDisconnected"'),
    ];
    for (const line of near) {
      const log = decodeLog([header, line].join('\n'));
      expect([line, { inputs: log.inputs, errors: log.errors }]).toEqual([line, reference([line])]);
    }
  });

  it('decodes any damaged line as the general JSON and io-ts way does: the same inputs, the same errors', () => {
    // Where: in the stamps and keys, in the line's text, or in its close ('"}'); then how far in.
    const damage = fc.tuple(lineInput, fc.constantFrom('stamps', 'text', 'close'), fc.nat(), fc.nat({ max: 3 }), fc.constantFrom('"', '\\', '}', '{', '0', '-', '1e3', ' ', '\n', '\u0001', 'x', ',"extra":1', '\\u00'));
    fc.assert(
      fc.property(fc.array(damage, { minLength: 1, maxLength: 5 }), (cases) => {
        const lines = cases.map(([input, where, by, cut, put]) => {
          const raw = encodeInput(input);
          const text = raw.indexOf('"line":"') + 8;
          const [from, to] = where === 'stamps' ? [0, text] : where === 'text' ? [text, raw.length - 2] : [raw.length - 2, raw.length];
          const i = from + (by % (to - from + 1));
          return raw.slice(0, i) + put + raw.slice(i + cut);
        });
        const log = decodeLog([header, ...lines].join('\n'));
        // Lines holding a '\n' split in two, as in the decoder.
        const ref = reference([header, ...lines].join('\n').split('\n').slice(1));
        expect({ inputs: log.inputs, errors: log.errors }).toEqual(ref);
      }),
      { numRuns: 500 },
    );
  });
});

describe('pureircd replay (cli)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pureircd-replay-'));
  const out: string[] = [];
  const err: string[] = [];
  const capture = () => {
    out.length = 0;
    err.length = 0;
    const grab = (into: string[]) => (chunk: unknown) => {
      into.push(Buffer.isBuffer(chunk) ? chunk.toString('latin1') : String(chunk));
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(grab(out) as never);
    vi.spyOn(process.stderr, 'write').mockImplementation(grab(err) as never);
  };
  afterEach(() => vi.restoreAllMocks());
  const file = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text, 'utf8');
    return p;
  };

  it('prints what each client received, bytes as latin1', async () => {
    const { h, config } = session();
    const p = file('s.log', logText(config, h.inputs));
    capture();
    expect(await replayMain([p])).toBe(0);
    const text = out.join('');
    expect(text).toContain('== client 2 (b[0b)');
    expect(text).toContain(':alice!alice@127.0.0.1 PRIVMSG bob :hi bob \xe9\xff\n');
  });

  it('--state prints JSON, --until limits it, --check reports success', async () => {
    const { h, config } = session();
    const p = file('s2.log', logText(config, h.inputs));
    capture();
    expect(await replayMain(['replay', p, '--until', '3', '--state'])).toBe(0);
    const state = JSON.parse(out.join(''));
    expect(state.seq).toBe(3);
    expect(state.clients['1'].nick).toBe('alice');
    expect(state.clients['1'].channels).toEqual([]);
    capture();
    expect(await replayMain([p, '--check'])).toBe(0);
    expect(err.join('')).toContain(`${h.inputs.length} inputs replayed, every invariant held`);
    // --state alone prints only the state: not a line of what the clients received.
    capture();
    expect(await replayMain([p, '--state'])).toBe(0);
    expect(JSON.parse(out.join('')).seq).toBe(h.inputs.length);
  });

  it('--transcript prints a runnable transcript', async () => {
    const { h, config } = session();
    const p = file('s3.log', logText(config, h.inputs));
    capture();
    expect(await replayMain([p, '--transcript'])).toBe(0);
    expect(runTranscript(out.join('')).failures).toEqual([]);
  });

  it('a corrupt line: reported with its number on stderr, prefix replayed, exit 1', async () => {
    const { h, config } = session();
    const lines = logText(config, h.inputs).split('\n');
    lines[5] = '{"seq":5,"at":';
    const p = file('bad.log', lines.join('\n'));
    capture();
    expect(await replayMain([p])).toBe(1);
    expect(err.join('')).toContain('line 6 is not valid JSON');
    expect(out.join('')).toContain('== client 1 (alice)');
  });

  it('bad usage exits 2 with one line', async () => {
    for (const argv of [[], ['--until'], ['x.log', '--until', 'soon'], ['x.log', '--frob'], ['a.log', 'b.log'], [join(dir, 'missing.log')]]) {
      capture();
      expect(await replayMain(argv)).toBe(2);
      const text = err.join('');
      expect(text.trim().split('\n')).toHaveLength(1);
      expect(text).toMatch(/^pureircd replay: /);
    }
  });
});

describe('the fold heap (replay/heap.ts)', () => {
  it('re-runs the script and its arguments with the fold flags in place of any young-generation size', () => {
    const argv = foldHeapArgs({}, ['--max-semi-space-size=4', '--expose-gc', '--min_semi_space_size=2'], '/x/bin/pureircd', ['replay', 'f.log', '--state']);
    expect(argv).toEqual(['--expose-gc', ...FOLD_NODE_FLAGS, '/x/bin/pureircd', 'replay', 'f.log', '--state']);
  });

  it('does not re-run the re-run', () => {
    expect(foldHeapArgs({ [FOLD_HEAP_ENV]: '1' }, [], '/x/bin/pureircd', ['replay', 'f.log'])).toBeNull();
  });

  it('main() called as a library (no entry script) replays in this process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pureircd-foldheap-'));
    const { h, config } = session();
    const log = join(dir, 's.log');
    writeFileSync(log, logText(config, h.inputs), 'utf8');
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: unknown) => {
      out.push(Buffer.isBuffer(chunk) ? chunk.toString('latin1') : String(chunk));
      return true;
    }) as never);
    try {
      expect(await main(['replay', log])).toBe(0);
    } finally {
      vi.restoreAllMocks();
    }
    // A re-run child would have written to the real stdout, not through this process's.
    expect(out.join('')).toContain(':alice!alice@127.0.0.1 PRIVMSG bob :hi bob');
  });

  it('ends quietly when its reader goes away (replay big.log | head), and says so when its output cannot be written', async () => {
    ensureBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'pureircd-pipe-'));
    // One client and 8000 PINGs: ~300 KB of PONGs, more than a pipe holds.
    const at = START;
    const inputs: Input[] = [
      { _tag: 'ClientConnected', seq: 1, at, client: 1, address: '127.0.0.1', tls: false },
      { _tag: 'LineReceived', seq: 2, at, client: 1, line: 'NICK alice' },
      { _tag: 'LineReceived', seq: 3, at, client: 1, line: 'USER a 0 * :A' },
    ];
    for (let i = 0; i < 8000; i++) inputs.push({ _tag: 'LineReceived', seq: inputs.length + 1, at, client: 1, line: `PING token-${i}` });
    const log = join(dir, 'big.log');
    writeFileSync(log, logText({ ...defaultConfig, createdAt: START, flood: { ...defaultConfig.flood, enabled: false } }, inputs), 'utf8');
    // The reader takes the first chunk and goes.
    const child = spawn(process.execPath, [BIN, 'replay', log], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // A full disk is not a reader going away: one line on stderr, exit 1.
    const full = spawnSync(process.execPath, [BIN, 'replay', log], { stdio: ['ignore', openSync('/dev/full', 'w'), 'pipe'], encoding: 'utf8', timeout: 20_000 });
    expect(full.stderr).toBe('pureircd replay: the output could not be written: ENOSPC\n');
    expect(full.status).toBe(1);
  }, 60_000);

  it('bin/pureircd replay folds in a child started with the fold flags, passing output and exit code through', () => {
    ensureBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'pureircd-foldheap-'));
    const { h, config } = session();
    const log = join(dir, 's.log');
    writeFileSync(log, logText(config, h.inputs), 'utf8');
    // A preload in every node process of the run reports the flags that process was started with.
    const preload = join(dir, 'flags.mjs');
    writeFileSync(preload, "process.stderr.write('execArgv ' + JSON.stringify(process.execArgv) + '\\n');\n");
    const env = { ...process.env, NODE_OPTIONS: `--import ${preload}` };
    delete env[FOLD_HEAP_ENV];
    const r = spawnSync(process.execPath, ['--max-semi-space-size=4', BIN, 'replay', log, '--until', '3', '--state'], { encoding: 'utf8', env, timeout: 20_000 });
    expect(r.status).toBe(0);
    const seen = r.stderr.split('\n').filter((l) => l.startsWith('execArgv ')).map((l) => JSON.parse(l.slice(9)) as string[]);
    expect(seen).toEqual([['--max-semi-space-size=4'], [...FOLD_NODE_FLAGS]]);
    expect(JSON.parse(r.stdout).seq).toBe(3);
    const bad = join(dir, 'bad.log');
    writeFileSync(bad, 'not json\n');
    expect(spawnSync(process.execPath, [BIN, 'replay', bad], { encoding: 'utf8', env, timeout: 20_000 }).status).toBe(1);
  }, 60_000);
});
