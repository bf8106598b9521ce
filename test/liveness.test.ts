// Liveness (State.liveness): when a client was last heard from, kept apart from its Client record
// so the per-line update is small. What must hold: a line within the resolution of the last one
// writes nothing; a later line writes the liveness alone, never the client; the records follow
// the clients exactly, and the invariant check notices when they do not.
import { describe, expect, it } from 'vitest';
import { checkInvariants } from '../src/core/invariants.js';
import { IdMap } from '../src/core/idmap.js';
import { withState } from '../src/core/state.js';
import { LIVENESS_RESOLUTION_MS } from '../src/core/step.js';
import { Harness, T0 } from './harness.js';

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
  it('a line within the resolution of the last one writes no state at all', () => {
    const h = pair();
    h.now += LIVENESS_RESOLUTION_MS; // alice's first PRIVMSG notes her (seen and active)
    h.send('alice', 'PRIVMSG #a :one');
    const { clients, liveness, channels } = h.state;
    h.now += LIVENESS_RESOLUTION_MS - 1;
    h.send('alice', 'PRIVMSG #a :two');
    expect(h.take('bob')).toEqual([':alice!alice@127.0.0.1 PRIVMSG #a :one', ':alice!alice@127.0.0.1 PRIVMSG #a :two']);
    expect(h.state.clients).toBe(clients);
    expect(h.state.liveness).toBe(liveness);
    expect(h.state.channels).toBe(channels);
  });

  it('a later line writes the liveness alone: the client record is not copied', () => {
    const h = pair();
    const alice = h.state.clients.get(h.id('alice'));
    h.now += LIVENESS_RESOLUTION_MS;
    h.send('alice', 'PING :x'); // seen, not active (a PING is not a message)
    expect(h.state.clients.get(h.id('alice'))).toBe(alice);
    expect(h.state.liveness.get(h.id('alice'))).toEqual({ seenAt: h.now, activeAt: T0, pingSentAt: null, floodAt: T0 });
    h.now += LIVENESS_RESOLUTION_MS;
    h.send('alice', 'PRIVMSG bob :hi');
    expect(h.state.clients.get(h.id('alice'))).toBe(alice);
    expect(h.state.liveness.get(h.id('alice'))).toEqual({ seenAt: h.now, activeAt: h.now, pingSentAt: null, floodAt: T0 });
  });

  it('follows the clients: made on connect, gone on quit', () => {
    const h = pair();
    expect([...h.state.liveness.keys()]).toEqual([...h.state.clients.keys()]);
    h.connect('carol');
    expect(h.state.liveness.get(h.id('carol'))).toEqual({ seenAt: h.now, activeAt: h.now, pingSentAt: null, floodAt: h.now });
    h.send('bob', 'QUIT :bye');
    expect(h.state.liveness.has(h.id('bob'))).toBe(false);
    expect([...h.state.liveness.keys()]).toEqual([...h.state.clients.keys()]);
  });

  it('the invariant check reports a client without liveness', () => {
    const h = pair();
    expect(checkInvariants(h.state)).toEqual([]);
    const broken = withState(h.state, { liveness: h.state.liveness.delete(h.id('bob')) });
    expect(checkInvariants(broken)).toEqual([`client ${h.id('bob')} has no liveness`, 'liveness has 1 entries for 2 clients']);
    expect(checkInvariants(withState(h.state, { liveness: IdMap.empty() }))).toHaveLength(3);
  });
});
