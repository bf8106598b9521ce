// Properties of what the core emits over random sessions (test/gen.ts), seen per line and per
// client: who a line may come from, the welcome coming first and once, nothing after a Close,
// nothing to ids that never connected. (Parsing, byte limits and CR/LF/NUL are checked in
// core-properties.test.ts.) Failures are written as replay logs + transcripts (failures.ts).
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { recipientsOf, type Effect } from '../src/core/effect.js';
import { apply, type Input } from '../src/core/input.js';
import { checkInvariants, checkProgress } from '../src/core/invariants.js';
import { parse } from '../src/core/message.js';
import { defaultConfig, initialState, sourceOf, type ClientId, type State } from '../src/core/state.js';
import { assertSession } from './failures.js';
import { sessionArb } from './gen.js';
import { runs } from './runs.js';

// Flood control off: the generator sends a line per ms, and held lines would hide most output.
const config = { ...defaultConfig, createdAt: 1_700_000_000_000, motd: ['hello'], flood: { ...defaultConfig.flood, enabled: false } };

interface Stepped {
  readonly input: Input;
  readonly before: State;
  readonly after: State;
  readonly effects: readonly Effect[];
}

/** Run a session, checking the invariants after every step; every step with its states. */
const run = (inputs: readonly Input[]): Stepped[] => {
  let state = initialState(config);
  const out: Stepped[] = [];
  for (const input of inputs) {
    const [next, effects] = apply(state, input);
    const bad = [...checkInvariants(next), ...checkProgress(state, next)];
    if (bad.length > 0) throw new Error(`after seq ${input.seq}: ${bad.join('; ')}`);
    out.push({ input, before: state, after: next, effects });
    state = next;
  }
  return out;
};

/** What the shell makes of a line: one char per byte (it decodes sockets as latin1). */
const latin1 = (line: string): string => Buffer.from(line, 'latin1').toString('latin1');

/** Lines with latin1 bytes that String#toUpperCase would widen (ÿ → U+0178, ß → SS, µ → U+039C). */
const WIDE_ON_UPPER = ['\xff\xdf', 'HELP \xff\xdf\xb5', 'CAP \xff', 'CAP LS \xff', 'MODE #\xff +\xff', 'PRIVMSG \xff :\xdf'];

/** Put each `[at, line]` in the session as a line from the client that sent the input at `at`. */
const insertLines = (inputs: Input[], extra: readonly (readonly [number, string])[]): Input[] => {
  const out = [...inputs];
  for (const [at, line] of extra) {
    const i = at % (out.length + 1);
    const before = out[i - 1];
    if (before === undefined || !('client' in before) || before._tag === 'ClientDisconnected') continue;
    out.splice(i, 0, { _tag: 'LineReceived', seq: before.seq, at: before.at, client: before.client, line });
  }
  return out;
};

/**
 * Sessions where some clients never send the generator's NICK/USER: they must register (or
 * not) through the random lines, which exercises the pre-registration paths.
 */
const mixedSessionArb: fc.Arbitrary<Input[]> = fc
  .tuple(sessionArb(50), fc.uniqueArray(fc.integer({ min: 1, max: 8 }), { maxLength: 4 }), fc.array(fc.tuple(fc.nat(), fc.constantFrom(...WIDE_ON_UPPER))))
  .map(([inputs, unregistered, extra]) =>
    insertLines(inputs, extra)
      .filter(
        (i) => !(i._tag === 'LineReceived' && unregistered.includes(i.client) && (i.line === `NICK n${i.client}` || i.line.startsWith(`USER u${i.client} `))),
      )
      .map((i) => (i._tag === 'LineReceived' ? { ...i, line: latin1(i.line) } : i)),
  );

const fail = (s: Stepped, why: string): never => {
  throw new Error(`at seq ${s.input.seq} (${JSON.stringify(s.input)}): ${why}`);
};

/** Pre-registration replies a client may get before 001: CAP, PONG, error numerics, ERROR. */
const allowedBeforeWelcome = (verb: string): boolean => verb === 'CAP' || verb === 'PONG' || verb === 'ERROR' || /^[45]\d\d$/.test(verb);

describe('output of the core over random sessions', () => {
  it('every line comes from the server or from a client that exists or just left, or is a bare ERROR/PING', () => {
    assertSession(
      mixedSessionArb,
      (inputs) => {
        for (const s of run(inputs)) {
          let sources: Set<string> | null = null;
          for (const e of s.effects) {
            if (e._tag !== 'Send') continue;
            const p = parse(e.line);
            if (!p.ok) fail(s, `unparsable line ${e.line}`);
            const m = p.ok ? p.message : null;
            if (m === null) continue;
            if (m.source === undefined) {
              if (m.verb !== 'ERROR' && m.verb !== 'PING') fail(s, `line without source: ${e.line}`);
              continue;
            }
            if (m.source === config.serverName) continue;
            if (!/^[^!@\s]+![^!@\s]+@[^!@\s]+$/.test(m.source)) fail(s, `malformed source in ${e.line}`);
            sources ??= new Set([...s.before.clients.values(), ...s.after.clients.values()].filter((c) => c.nick !== null).map(sourceOf));
            if (!sources.has(m.source)) fail(s, `source of ${e.line} is no client before or after the step`);
          }
        }
      },
      { name: 'output-sources', config, numRuns: runs(150) },
    );
  });

  it('every line is a byte string (no char above 0xFF), as the shell writes it in latin1', () => {
    assertSession(
      mixedSessionArb,
      (inputs) => {
        for (const s of run(inputs))
          for (const e of s.effects) {
            // Input lines are latin1 byte strings; anything wider was made up by the core.
            if (e._tag === 'Send' && /[^\x00-\xff]/.test(e.line))
              fail(s, `non-byte char in ${JSON.stringify(e.line)}`);
          }
      },
      { name: 'output-bytes', config, numRuns: runs(150) },
    );
  });

  it('a client is sent 001 once, and before it only CAP, PONG, error numerics or ERROR', () => {
    assertSession(
      mixedSessionArb,
      (inputs) => {
        const welcomed = new Map<ClientId, number>();
        for (const s of run(inputs)) {
          for (const e of s.effects) {
            if (e._tag !== 'Send') continue;
            const p = parse(e.line);
            const verb = p.ok ? p.message.verb : '?';
            for (const id of recipientsOf(e)) {
              if (verb === '001') {
                if (welcomed.has(id)) fail(s, `client ${id} welcomed twice`);
                welcomed.set(id, s.input.seq);
              } else if (!welcomed.has(id) && !allowedBeforeWelcome(verb)) fail(s, `client ${id} got ${e.line} before 001`);
            }
          }
          // Registered in the state exactly when welcomed (checked for the clients this step touched).
          for (const c of s.after.clients.values()) {
            if (c.registered !== welcomed.has(c.id)) fail(s, `client ${c.id} registered=${c.registered} but welcomed=${welcomed.has(c.id)}`);
          }
        }
      },
      { name: 'output-welcome', config, numRuns: runs(150) },
    );
  });

  it('nothing is sent to a client after its Close, nor to an id that never connected', () => {
    assertSession(
      mixedSessionArb,
      (inputs) => {
        const connected = new Set<ClientId>();
        const closed = new Set<ClientId>();
        for (const s of run(inputs)) {
          if (s.input._tag === 'ClientConnected') connected.add(s.input.client);
          for (const e of s.effects) {
            if (e._tag === 'Send' || e._tag === 'TaggedSend') {
              for (const id of recipientsOf(e)) {
                if (!connected.has(id)) fail(s, `sent ${e.line} to ${id}, which never connected`);
                if (closed.has(id)) fail(s, `sent ${e.line} to ${id} after its Close`);
              }
            } else if (e._tag === 'Close') {
              if (closed.has(e.client)) fail(s, `closed ${e.client} twice`);
              closed.add(e.client);
            }
          }
          // A closed client is gone from the state: no later step can reach it.
          for (const id of closed) if (s.after.clients.has(id)) fail(s, `client ${id} closed but still in the state`);
        }
      },
      { name: 'output-after-close', config, numRuns: runs(150) },
    );
  });
});
