// checkStep, the incremental invariant check `pureircd replay --check` runs after every step,
// against checkInvariants, the whole-state check: over random sessions they agree after every
// step, and on states broken in each way an invariant names they report the same sentences.
import fc from 'fast-check';
import { List } from 'immutable';
import { describe, expect, it } from 'vitest';
import { apply, type Input } from '../src/core/input.js';
import { checkInvariants, checkProgress, checkStep } from '../src/core/invariants.js';
import { defaultConfig, foldName, initialState, withChannel, withClient, withLiveness, withState, type State } from '../src/core/state.js';
import { sessionArb } from './gen.js';
import { runs } from './runs.js';

const config = { ...defaultConfig, createdAt: 1_700_000_000_000, motd: ['hello'] };

/** Every state of a session, the initial one first. */
const states = (inputs: readonly Input[]): State[] => {
  const out = [initialState(config)];
  for (const input of inputs) out.push(apply(out[out.length - 1]!, input)[0]);
  return out;
};

const sorted = (xs: readonly string[]): string[] => [...xs].sort();

/**
 * Three clients (ids 101-103, apart from the random sessions' 1, 2, ...) in #a and #b, one
 * with a topic: so that every breakage below finds channels and members to break.
 */
const PREFIX: Input[] = (() => {
  const at = config.createdAt;
  const out: Input[] = [];
  const line = (client: number, text: string) => out.push({ _tag: 'LineReceived', seq: out.length + 1, at, client, line: text });
  for (const id of [101, 102, 103]) {
    out.push({ _tag: 'ClientConnected', seq: out.length + 1, at, client: id, address: `10.0.0.${id}`, tls: false });
    line(id, `NICK p${id}`);
    line(id, `USER p${id} 0 * :p ${id}`);
    line(id, 'JOIN #a,#b');
  }
  line(101, 'TOPIC #a :the topic');
  line(101, 'MONITOR + p102,ghost');
  line(103, 'MONITOR + p101');
  return out;
})();

/** One way to break a state, or null when the state has nothing it applies to. */
type Breakage = (s: State, pick: number) => State | null;

const nth = <T>(xs: readonly T[], pick: number): T | undefined => (xs.length === 0 ? undefined : xs[pick % xs.length]);
const someClient = (s: State, pick: number) => nth([...s.clients.values()], pick);
const someChannel = (s: State, pick: number) => nth([...s.channels], pick);
const someMember = (s: State, pick: number) => {
  const [key, ch] = someChannel(s, pick) ?? [];
  return key === undefined || ch === undefined ? undefined : { key, ch, at: pick % ch.memberIds.length };
};

const BREAKAGES: Record<string, Breakage> = {
  'nick entry dropped': (s, p) => {
    const c = nth([...s.clients.values()].filter((x) => x.nick !== null), p);
    return c ? withState(s, { nicks: s.nicks.delete(foldName(s, c.nick!)) }) : null;
  },
  'nick entry to a missing client': (s, p) => {
    const k = nth([...s.nicks.keys()], p);
    return k === undefined ? null : withState(s, { nicks: s.nicks.set(k, 999) });
  },
  'stray nick entry': (s, p) => {
    const c = someClient(s, p);
    return c ? withState(s, { nicks: s.nicks.set('ghost', c.id) }) : null;
  },
  'client gone, all else kept': (s, p) => {
    const c = someClient(s, p);
    return c ? withState(s, { clients: s.clients.delete(c.id) }) : null;
  },
  'member removed, client still lists it': (s, p) => {
    const m = someMember(s, p);
    if (!m) return null;
    const ch = withChannel(m.ch, { memberIds: m.ch.memberIds.toSpliced(m.at, 1), memberModes: m.ch.memberModes.toSpliced(m.at, 1) });
    return withState(s, { channels: s.channels.set(m.key, ch) });
  },
  'client lists a channel it is not in': (s, p) => {
    const c = nth([...s.clients.values()].filter((x) => x.registered), p);
    return c ? withState(s, { clients: s.clients.set(c.id, withClient(c, { channels: [...c.channels, '#nowhere'] })) }) : null;
  },
  'stale source': (s, p) => {
    const c = someClient(s, p);
    return c ? withState(s, { clients: s.clients.set(c.id, withClient(c, { source: 'x!y@z' })) }) : null;
  },
  'unregistered client in a channel': (s, p) => {
    const c = nth([...s.clients.values()].filter((x) => x.channels.length > 0), p);
    return c ? withState(s, { clients: s.clients.set(c.id, withClient(c, { registered: false })) }) : null;
  },
  'census off by one': (s) => withState(s, { census: { ...s.census, registered: s.census.registered + 1 } }),
  'a host miscounted': (s, p) => {
    const c = someClient(s, p);
    return c ? withState(s, { hostCounts: s.hostCounts.set(c.host, (s.hostCounts.get(c.host) ?? 0) + 1) }) : null;
  },
  'a host kept at zero': (s) => withState(s, { hostCounts: s.hostCounts.set('198.51.100.9', 0) }),
  'a host forgotten': (s, p) => {
    const c = someClient(s, p);
    return c ? withState(s, { hostCounts: s.hostCounts.delete(c.host) }) : null;
  },
  'seen time lost': (s, p) => {
    const c = someClient(s, p);
    return c ? withState(s, { liveness: withLiveness(s.liveness, { seen: s.liveness.seen.delete(c.id) }) }) : null;
  },
  'seen in the future': (s, p) => {
    const c = someClient(s, p);
    return c ? withState(s, { liveness: withLiveness(s.liveness, { seen: s.liveness.seen.set(c.id, Math.floor(s.now / 1000) + 1) }) }) : null;
  },
  'pinged in the future': (s, p) => {
    const c = someClient(s, p);
    return c ? withState(s, { liveness: withLiveness(s.liveness, { pinged: s.liveness.pinged.set(c.id, s.now + 1) }) }) : null;
  },
  'an idle time kept for a missing client': (s) => withState(s, { liveness: withLiveness(s.liveness, { active: s.liveness.active.set(4242, Math.floor(s.now / 1000)) }) }),
  'a flood clock kept for a missing client': (s) => withState(s, { liveness: withLiveness(s.liveness, { flood: s.liveness.flood.set(4242, s.now) }) }),
  'throttled without held lines': (s, p) => {
    const c = someClient(s, p);
    return c ? withState(s, { throttled: s.throttled.add(c.id) }) : null;
  },
  'throttled lists a missing client': (s) => withState(s, { throttled: s.throttled.add(4242) }),
  'held bytes wrong': (s, p) => {
    const c = someClient(s, p);
    return c ? withState(s, { clients: s.clients.set(c.id, withClient(c, { held: List(['PING x']), heldBytes: 3 })), throttled: s.throttled.add(c.id) }) : null;
  },
  'channel emptied': (s, p) => {
    const [key, ch] = someChannel(s, p) ?? [];
    return key && ch ? withState(s, { channels: s.channels.set(key, withChannel(ch, { memberIds: [], memberModes: [] })) }) : null;
  },
  'member twice': (s, p) => {
    const m = someMember(s, p);
    return m ? withState(s, { channels: s.channels.set(m.key, withChannel(m.ch, { memberIds: [...m.ch.memberIds, m.ch.memberIds[m.at]!], memberModes: [...m.ch.memberModes, ''] })) }) : null;
  },
  'member modes out of step': (s, p) => {
    const m = someMember(s, p);
    return m ? withState(s, { channels: s.channels.set(m.key, withChannel(m.ch, { memberModes: m.ch.memberModes.with(m.at, 'x') })) }) : null;
  },
  'channel keyed under another name': (s, p) => {
    const [key, ch] = someChannel(s, p) ?? [];
    return key && ch ? withState(s, { channels: s.channels.set(key, withChannel(ch, { name: '#elsewhere' })) }) : null;
  },
  'channel serial beyond the counter': (s, p) => {
    const [key, ch] = someChannel(s, p) ?? [];
    return key && ch ? withState(s, { channels: s.channels.set(key, withChannel(ch, { serial: s.counters.channels + 1 })) }) : null;
  },
  'empty topic': (s, p) => {
    const [key, ch] = someChannel(s, p) ?? [];
    return key && ch ? withState(s, { channels: s.channels.set(key, withChannel(ch, { topic: { text: '', setBy: 'x', setAt: 0 } })) }) : null;
  },
  'bad limit and mask': (s, p) => {
    const [key, ch] = someChannel(s, p) ?? [];
    if (!key || !ch) return null;
    const broken = withChannel(ch, { modes: { ...ch.modes, limit: -1 }, bans: List([{ mask: 'bad mask', setBy: 'x', setAt: 0 }]) });
    return withState(s, { channels: s.channels.set(key, broken) });
  },
  'monitors a nick without being indexed': (s, p) => {
    const c = someClient(s, p);
    return c ? withState(s, { clients: s.clients.set(c.id, withClient(c, { monitoring: [...c.monitoring, 'Zed'] })) }) : null;
  },
  'watcher index lists a non-watcher': (s, p) => {
    const c = someClient(s, p);
    return c ? withState(s, { watchers: s.watchers.set('nobody', [c.id]) }) : null;
  },
  'counters behind the clients': (s) => (s.clients.size === 0 ? null : withState(s, { counters: { ...s.counters, maxUsers: 0, connections: 0 } })),
};

describe('checkStep: the invariants from what a step changed', () => {
  it('agrees with the whole-state check after every step of random sessions', () => {
    fc.assert(
      fc.property(sessionArb(), (inputs) => {
        const all = states(inputs);
        for (let i = 1; i < all.length; i++) expect(sorted(checkStep(all[i - 1]!, all[i]!))).toEqual(sorted(checkInvariants(all[i]!)));
      }),
      { numRuns: runs(150) },
    );
  });

  it('reports what the whole-state check reports for a state broken in any of the ways it names', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(sessionArb(30), fc.nat(), fc.nat(), fc.constantFrom(...Object.keys(BREAKAGES)), (inputs, at, pick, how) => {
        const all = states([...PREFIX, ...inputs]);
        // A step of the random part (or the prefix's last, if it has none).
        const i = PREFIX.length + (at % (all.length - PREFIX.length));
        const before = all[i - 1]!;
        const after = all[i]!;
        const broken = BREAKAGES[how]!(after, pick);
        if (broken === null) return;
        const whole = checkInvariants(broken);
        if (whole.length === 0) return;
        seen.add(how);
        expect(sorted(checkStep(before, broken))).toEqual(sorted(whole));
      }),
      { numRuns: runs(600) },
    );
    // Every kind of breakage was met at least once on a state it applies to.
    expect([...seen].sort()).toEqual(Object.keys(BREAKAGES).sort());
  });

  it('checks the whole state after a new configuration, which its entity checks read', () => {
    const nick: Input = { _tag: 'LineReceived', seq: PREFIX.length + 1, at: config.createdAt, client: 103, line: 'NICK p[3]' };
    const last = states([...PREFIX, nick]).at(-1)!;
    // Nothing changed but the case-mapping, and p[3]'s entry is keyed by the old one's fold.
    const other = withState(last, { config: { ...last.config, casemapping: 'ascii' } });
    expect(sorted(checkStep(last, other))).toEqual(sorted(checkInvariants(other)));
    expect(checkStep(last, other)).toContain('nick p{3} points to client 103 named p[3]');
  });

  it('holds limits to what a step admits: a REHASH below them drops nobody and breaks nothing', () => {
    const before = states(PREFIX).at(-1)!;
    const limits = { ...before.config.limits, maxChannels: 1, topicLen: 3 };
    const at = config.createdAt;
    const [after] = apply(before, { _tag: 'ConfigReloaded', seq: 100, at, config: { ...before.config, limits }, requestedBy: null });
    // Every client is still in two channels, #a keeps its topic, and all of it is sound.
    expect(after.clients.get(101)!.channels).toHaveLength(2);
    expect(after.channels.get('#a')!.topic!.text).toBe('the topic');
    expect([...checkInvariants(after), ...checkStep(before, after), ...checkProgress(before, after)]).toEqual([]);
    // What the core refuses (a third channel, a longer topic) is what a step may not do.
    const c = after.clients.get(102)!;
    const joined = withState(after, { clients: after.clients.set(102, withClient(c, { channels: [...c.channels, '#c'] })) });
    expect(checkProgress(after, joined)).toEqual(['client 102 joined a channel beyond CHANLIMIT 1 (now in 3)']);
    const ch = after.channels.get('#b')!;
    const topic = { text: 'long', setBy: 'p102', setAt: at };
    const set = withState(after, { channels: after.channels.set('#b', withChannel(ch, { topic })) });
    expect(checkProgress(after, set)).toEqual(['channel #b topic set with length 4 (TOPICLEN 3)']);
    // And the core itself refuses them.
    const [tried] = apply(after, { _tag: 'LineReceived', seq: 101, at, client: 102, line: 'JOIN #c' });
    expect(tried.clients.get(102)!.channels).toHaveLength(2);
  });

  it('checkProgress notices a reused client id among the changed clients', () => {
    const last = states(PREFIX).at(-1)!;
    const c = last.clients.get(102)!;
    const reused = withState(last, { clients: last.clients.set(c.id, withClient(c, { connectedAt: c.connectedAt + 1 })) });
    expect(checkProgress(last, reused)).toEqual(['client id 102 reused']);
  });
});
