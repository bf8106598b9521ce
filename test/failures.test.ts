// The counterexample writer: a property that fails on purpose must name its seed and path and
// leave a replay log that decodes and a transcript that parses and runs green.
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apply, type Input } from '../src/core/input.js';
import { defaultConfig, initialState } from '../src/core/state.js';
import { decodeLog } from '../src/replay/log.js';
import { parseTranscript, runTranscript } from '../src/replay/transcript.js';
import { assertRecorded, assertSession } from './failures.js';

const config = { ...defaultConfig, createdAt: 1_700_000_000_000, flood: { ...defaultConfig.flood, enabled: false } };

/** A tiny session: one client registers, then joins the channels it is given. */
const tinyArb = fc.array(fc.constantFrom('#a', '#b', '#c'), { minLength: 1, maxLength: 5 }).map((chans): Input[] => [
  { _tag: 'ClientConnected', seq: 1, at: 1_700_000_000_000, client: 1, address: '127.0.0.1', tls: false },
  { _tag: 'LineReceived', seq: 2, at: 1_700_000_000_000, client: 1, line: 'NICK alice' },
  { _tag: 'LineReceived', seq: 3, at: 1_700_000_000_000, client: 1, line: 'USER alice 0 * :Alice' },
  ...chans.map((c, i): Input => ({ _tag: 'LineReceived', seq: 4 + i, at: 1_700_000_000_001 + i, client: 1, line: `JOIN ${c}` })),
]);

const caught = (f: () => void): Error => {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('the property did not fail');
};

describe('failing properties become regression files', () => {
  it('writes the shrunk session as a replay log and a transcript, and names seed, path and files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pureircd-failures-test-'));
    // Deliberately false: "alice never joins #b".
    const err = caught(() =>
      assertSession(
        tinyArb,
        (inputs) => {
          let s = initialState(config);
          for (const i of inputs) {
            const [next] = apply(s, i);
            s = next;
          }
          if (s.channels.has('#b')) throw new Error('alice joined #b');
        },
        { name: 'never #b', config, numRuns: 200, seed: 42, dir },
      ),
    );
    expect(err.message).toMatch(/seed: 42, path: "[\d:]+"/);
    const log = /replay log: (\S+)/.exec(err.message)?.[1];
    const transcript = /transcript: (\S+)/.exec(err.message)?.[1];
    expect(log).toBe(join(dir, 'never-b-42.log'));
    expect(transcript).toBe(join(dir, 'never-b-42.irc'));
    expect(existsSync(log!) && existsSync(transcript!)).toBe(true);

    // The shrunk session: registration, then joins including #b.
    const decoded = decodeLog(readFileSync(log!, 'utf8'));
    expect(decoded.errors).toEqual([]);
    const lines = decoded.inputs.map((i) => (i._tag === 'LineReceived' ? i.line : i._tag));
    expect(lines.slice(0, 3)).toEqual(['ClientConnected', 'NICK alice', 'USER alice 0 * :Alice']);
    expect(lines).toContain('JOIN #b');
    const text = readFileSync(transcript!, 'utf8');
    expect(parseTranscript(text).ok).toBe(true);
    expect(text).toContain('alice> JOIN #b');
    expect(text).toContain('alice< :alice!alice@127.0.0.1 JOIN #b');
    expect(runTranscript(text).failures).toEqual([]);
  });

  it('records only the inputs run up to the failure of a stateful run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pureircd-failures-test-'));
    const err = caught(() =>
      assertRecorded(
        fc.array(fc.nat(3), { minLength: 1, maxLength: 8 }),
        (ns, record) => {
          let s = initialState(config);
          ns.forEach((n, i) => {
            const input: Input = { _tag: 'ClientConnected', seq: i + 1, at: 1_700_000_000_000, client: i + 1, address: `10.0.0.${n}`, tls: false };
            record(input);
            s = apply(s, input)[0];
            if (n === 3) throw new Error('a client from 10.0.0.3');
          });
        },
        { name: 'recorded', config, numRuns: 200, seed: 7, dir },
      ),
    );
    expect(err.message).toContain('seed: 7');
    const decoded = decodeLog(readFileSync(join(dir, 'recorded-7.log'), 'utf8'));
    expect(decoded.inputs).toEqual([{ _tag: 'ClientConnected', seq: 1, at: 1_700_000_000_000, client: 1, address: '10.0.0.3', tls: false }]);
  });

  it('passes silently when the property holds', () => {
    expect(() => assertSession(tinyArb, () => {}, { name: 'ok', config, numRuns: 20 })).not.toThrow();
  });
});
