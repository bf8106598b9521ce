// Liveness: when a client was last heard from (keep-alive) and last sent a message (WHOIS idle),
// to the second. A line is noted in State.heard (one number in a buffer the states of a second
// share) without touching the client or anything it owns; the notes are written to
// State.liveness (seen, active) in one batch once the second is over (src/core/liveness.ts).
// What must hold: noting copies nothing and changes nothing an older state sees; a batch writes each client once;
// the times read through livenessOf are never later than the client's last line (or message) and
// at most a second earlier, before and after a batch alike; a line answers a pending PING; the
// entries follow the clients, and the invariant checks notice when they or the notes do not.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apply, type Input } from '../src/core/input.js';
import { checkInvariants, checkStep } from '../src/core/invariants.js';
import { IdMap } from '../src/core/idmap.js';
import { HEARD_MAX, LIVENESS_RESOLUTION_MS, livenessOf, livenessReader, writeHeard } from '../src/core/liveness.js';
import { defaultConfig, Heard, initialState, withLiveness, withState, type State } from '../src/core/state.js';
import { Harness, T0 } from './harness.js';
import { runs } from './runs.js';

const second = (ms: number): number => Math.floor(ms / 1000);

const pair = (): Harness => {
  const h = new Harness();
  h.register('alice');
  h.register('bob');
  h.send('alice', 'JOIN #a');
  h.send('bob', 'JOIN #a');
  h.take('alice');
  h.take('bob');
  return h;
};

describe('liveness', () => {
  it('a line is noted without copying the client or anything it owns; more lines in a row note nothing more', () => {
    const h = pair();
    h.now += LIVENESS_RESOLUTION_MS;
    h.send('bob', 'PING :z'); // a second on: the notes of pair() are written, bob's is the first of this second
    const { clients, liveness, channels } = h.state;
    const notes = h.state.heard.notes;
    h.send('alice', 'PRIVMSG #a :one');
    expect(h.state.heard.toJSON()).toEqual({ second: second(h.now), notes: [[h.id('bob'), false], [h.id('alice'), true]] });
    expect(h.state.heard.notes).toBe(notes); // the same buffer, one number more
    const heard = h.state.heard;
    h.send('alice', 'PRIVMSG #a :two');
    h.send('alice', 'PING :w'); // an inactive line after an active note: nothing new to say
    expect(h.take('bob')).toEqual([':irc.local PONG irc.local :z', ':alice!alice@127.0.0.1 PRIVMSG #a :one', ':alice!alice@127.0.0.1 PRIVMSG #a :two']);
    expect(h.state.heard).toBe(heard);
    expect(h.state.clients).toBe(clients);
    expect(h.state.liveness).toBe(liveness);
    expect(h.state.channels).toBe(channels);
  });

  it('an older state noting a line in its turn changes nothing a newer one sees', () => {
    const h = pair();
    h.now += LIVENESS_RESOLUTION_MS;
    h.send('alice', 'PING :a');
    const older = h.state;
    const line = (client: number, text: string): Input => ({ _tag: 'LineReceived', seq: older.seq + 1, at: h.now, client, line: text });
    const [one] = apply(older, line(h.id('alice'), 'PRIVMSG #a :one'));
    const [two] = apply(older, line(h.id('bob'), 'PING :b'));
    expect(one.heard.toJSON().notes).toEqual([[h.id('alice'), false], [h.id('alice'), true]]);
    expect(two.heard.toJSON().notes).toEqual([[h.id('alice'), false], [h.id('bob'), false]]);
    expect(older.heard.toJSON().notes).toEqual([[h.id('alice'), false]]);
    expect(checkStep(older, two)).toEqual([]);
  });

  it('a batch, once the second is over, writes each client noted once, with that second', () => {
    const h = pair();
    h.now += LIVENESS_RESOLUTION_MS;
    const first = h.now;
    h.send('alice', 'PING :x'); // seen, not active (a PING is not a message)
    h.now += 300;
    h.send('bob', 'PRIVMSG alice :hi'); // seen and active
    h.send('alice', 'PING :y');
    expect(h.state.heard.count).toBe(3);
    // Read through livenessOf before the batch: the second of the notes.
    const alice = h.state.clients.get(h.id('alice'))!;
    const bob = h.state.clients.get(h.id('bob'))!;
    expect(livenessOf(h.state, alice)).toEqual({ seenAt: first, activeAt: T0, pingSentAt: null });
    expect(livenessOf(h.state, bob)).toEqual({ seenAt: first, activeAt: first, pingSentAt: null });
    expect(h.state.liveness.seen.get(alice.id)).toBe(second(T0));
    expect(h.state.liveness.active.has(alice.id)).toBe(false);
    h.now = first + LIVENESS_RESOLUTION_MS;
    h.send('alice', 'PRIVMSG bob :later');
    expect(h.state.liveness.seen.get(alice.id)).toBe(second(first));
    expect(h.state.liveness.seen.get(bob.id)).toBe(second(first));
    expect(h.state.liveness.active.has(alice.id)).toBe(false);
    expect(h.state.liveness.active.get(bob.id)).toBe(second(first));
    expect(h.state.heard.toJSON()).toEqual({ second: second(h.now), notes: [[alice.id, true]] });
    expect(h.state.clients.get(alice.id)).toBe(alice);
  });

  it('the notes never exceed HEARD_MAX: the next line writes them first', () => {
    const h = new Harness();
    for (const n of ['a', 'b', 'c']) h.register(n);
    h.now += LIVENESS_RESOLUTION_MS;
    const names = ['a', 'b', 'c'];
    for (let i = 0; i < HEARD_MAX; i++) h.send(names[i % 3]!, 'PING :x');
    expect(h.state.heard.count).toBe(HEARD_MAX);
    for (const n of names) expect(h.state.liveness.seen.get(h.id(n))).toBe(second(T0));
    h.send('a', 'PING :x');
    expect(h.state.heard.count).toBe(1);
    for (const n of names) expect(h.state.liveness.seen.get(h.id(n))).toBe(second(h.now));
  });

  it('a line answers a pending keep-alive PING, before and after the batch', () => {
    const h = pair();
    const interval = h.state.config.pingIntervalMs;
    h.advance(interval);
    expect(h.take('alice')).toEqual(['PING :irc.local']);
    const alice = h.state.clients.get(h.id('alice'))!;
    const bob = h.state.clients.get(h.id('bob'))!;
    expect(livenessOf(h.state, alice).pingSentAt).toBe(h.now);
    h.now += 10;
    h.send('alice', 'PONG irc.local');
    expect(livenessOf(h.state, alice).pingSentAt).toBeNull();
    expect(livenessOf(h.state, bob).pingSentAt).toBe(h.now - 10);
    // Past the timeout: bob, silent, is dropped; alice, who answered, is not.
    h.advance(h.state.config.pingTimeoutMs);
    expect(h.take('alice')).toContain(`:bob!bob@127.0.0.1 QUIT :Ping timeout: ${Math.floor((interval + h.state.config.pingTimeoutMs + 10) / 1000)} seconds`);
    expect(h.state.clients.has(bob.id)).toBe(false);
    expect(h.state.clients.has(alice.id)).toBe(true);
    expect(h.state.liveness.pinged.size).toBe(0);
  });

  it('WHOIS and WHO idle count from the noted message, before the batch writes it', () => {
    const h = pair();
    h.now += 5000;
    h.send('bob', 'PRIVMSG #a :hi');
    h.now += 3000;
    h.send('alice', 'WHOIS bob');
    expect(h.take('alice').find((l) => l.includes(' 317 '))).toMatch(/ 317 alice bob 3 /);
    h.send('alice', 'WHO #a %nl');
    expect(h.take('alice').filter((l) => l.includes(' 354 '))).toEqual([':irc.local 354 alice alice 8', ':irc.local 354 alice bob 3']);
    const read = livenessReader(h.state);
    for (const c of h.state.clients.values()) expect(read(c)).toEqual(livenessOf(h.state, c));
  });

  it('follows the clients: made on connect, gone on quit; the notes of the departed are skipped', () => {
    const h = pair();
    expect([...h.state.liveness.seen.keys()]).toEqual([...h.state.clients.keys()]);
    h.connect('carol');
    expect(h.state.liveness.seen.get(h.id('carol'))).toBe(second(h.now));
    h.send('bob', 'QUIT :bye');
    expect(h.state.liveness.seen.has(h.id('bob'))).toBe(false);
    expect(h.state.heard.toJSON().notes.at(-1)).toEqual([h.id('bob'), false]);
    h.advance(LIVENESS_RESOLUTION_MS);
    expect(h.state.heard.count).toBe(0);
    expect([...h.state.liveness.seen.keys()]).toEqual([...h.state.clients.keys()]);
    expect(checkInvariants(h.state)).toEqual([]);
  });

  it('the invariant checks report a client without a seen time and notes past their buffer', () => {
    const h = pair();
    h.send('alice', 'PING :x');
    expect(checkInvariants(h.state)).toEqual([]);
    const broken = withState(h.state, { liveness: withLiveness(h.state.liveness, { seen: h.state.liveness.seen.delete(h.id('bob')) }) });
    expect(checkInvariants(broken)).toEqual([`client ${h.id('bob')} has no seen time`, 'seen has 1 entries for 2 clients']);
    expect(checkInvariants(withState(h.state, { liveness: withLiveness(h.state.liveness, { seen: IdMap.empty() }) }))).toHaveLength(3);
    const { notes, count } = h.state.heard;
    const overrun = withState(h.state, { heard: new Heard(notes, count + 1, h.state.heard.second) });
    const message = `heard holds ${count + 1} notes (buffer used ${notes.used} of ${notes.keys.length}, at most ${HEARD_MAX})`;
    expect(checkInvariants(overrun)).toEqual([message]);
    expect(checkStep(h.state, overrun)).toEqual([message]);
  });
});

// ---- the times against a model of every client's last line ------------------------------------

type Act = { who: number; kind: 'PING' | 'PRIVMSG' | 'NOTICE' | 'tick'; gap: number };
const actArb: fc.Arbitrary<Act> = fc.record({
  who: fc.nat(4),
  kind: fc.constantFrom('PING' as const, 'PRIVMSG' as const, 'NOTICE' as const, 'tick' as const),
  gap: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 3000 })),
});

describe('liveness times', () => {
  it('seen and idle times are never after the last line (or message) and at most a second before it, noted or written', () => {
    fc.assert(
      fc.property(fc.array(actArb, { maxLength: 120 }), fc.boolean(), (acts, flood) => {
        const config = { ...defaultConfig, createdAt: T0, flood: { ...defaultConfig.flood, enabled: flood, penaltyMs: 1 } };
        let state: State = initialState(config);
        let seq = 0;
        let at = T0;
        const lastSeen = new Map<number, number>();
        const lastActive = new Map<number, number>();
        const feed = (input: Input): void => {
          const [next] = apply(state, input);
          const bad = checkStep(state, next);
          if (bad.length > 0) throw new Error(bad.join('; '));
          state = next;
        };
        for (let id = 1; id <= 5; id++) {
          feed({ _tag: 'ClientConnected', seq: ++seq, at, client: id, address: `10.0.0.${id}`, tls: false });
          feed({ _tag: 'LineReceived', seq: ++seq, at, client: id, line: `NICK n${id}` });
          feed({ _tag: 'LineReceived', seq: ++seq, at, client: id, line: `USER u 0 * :u` });
          lastSeen.set(id, at);
          lastActive.set(id, at);
        }
        for (const a of acts) {
          at += a.gap;
          const id = a.who + 1;
          if (a.kind === 'tick') feed({ _tag: 'TimeAdvanced', seq: ++seq, at });
          else {
            feed({ _tag: 'LineReceived', seq: ++seq, at, client: id, line: a.kind === 'PING' ? 'PING :x' : `${a.kind} n1 :hi` });
            lastSeen.set(id, at);
            if (a.kind === 'PRIVMSG') lastActive.set(id, at);
          }
          const written = writeHeard(state);
          expect(checkInvariants(written)).toEqual([]);
          for (let c = 1; c <= 5; c++) {
            const client = state.clients.get(c);
            if (client === undefined) continue; // dropped for a ping timeout
            const l = livenessOf(state, client);
            expect(livenessOf(written, client)).toEqual(l);
            const seen = lastSeen.get(c)!;
            const active = lastActive.get(c)!;
            expect(l.seenAt).toBeLessThanOrEqual(seen);
            expect(l.seenAt).toBeGreaterThan(seen - LIVENESS_RESOLUTION_MS);
            expect(l.activeAt).toBeLessThanOrEqual(active);
            expect(l.activeAt).toBeGreaterThan(active - LIVENESS_RESOLUTION_MS);
          }
        }
      }),
      { numRuns: runs(200) },
    );
  });
});
