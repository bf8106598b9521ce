// Flood control decided by the core from input times (RFC 1459 §8.10 penalty clock).
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/core/state.js';
import { Harness } from './harness.js';

const flood = { enabled: true, penaltyMs: 1000, burstMs: 10_000, maxHeldBytes: 400, exemptOpers: true };

describe('flood control', () => {
  it('serves a burst at once, holds the rest and processes it as the budget refills', () => {
    const h = new Harness({ flood });
    h.register('alice');
    h.register('bob');
    h.now += 20_000; // registration lines have been paid for
    for (let i = 1; i <= 15; i++) h.send('alice', `PRIVMSG bob :${i}`);
    const first = h.take('bob');
    expect(first).toHaveLength(11);
    expect(first.at(-1)).toBe(':alice!alice@127.0.0.1 PRIVMSG bob :11');
    expect(h.state.clients.get(h.id('alice'))!.held.size).toBe(4);
    h.advance(1000);
    expect(h.take('bob')).toEqual([':alice!alice@127.0.0.1 PRIVMSG bob :12']);
    h.advance(3000);
    expect(h.take('bob')).toEqual([13, 14, 15].map((i) => `:alice!alice@127.0.0.1 PRIVMSG bob :${i}`));
    expect(h.state.throttled.size).toBe(0);
  });

  it('keeps the order of held lines behind new ones', () => {
    const h = new Harness({ flood });
    h.register('alice');
    h.register('bob');
    h.now += 20_000;
    for (let i = 1; i <= 12; i++) h.send('alice', `PRIVMSG bob :${i}`);
    h.now += 5000; // budget is back, but a held line is still waiting
    h.send('alice', 'PRIVMSG bob :13');
    expect(h.take('bob').map((l) => l.split(':').at(-1))).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11']);
    h.advance(0);
    expect(h.take('bob').map((l) => l.split(':').at(-1))).toEqual(['12', '13']);
  });

  it('disconnects a client far over budget with Excess Flood, and its peers see the QUIT', () => {
    const h = new Harness({ flood });
    h.register('alice');
    h.register('bob');
    h.now += 20_000;
    for (let i = 0; i < 40; i++) h.send('alice', `PRIVMSG bob :${'x'.repeat(40)}`);
    expect(h.take('alice').at(-1)).toBe('ERROR :Closing link: alice@127.0.0.1 (Excess Flood)');
    expect(h.closed.has(h.id('alice'))).toBe(true);
    expect(h.state.clients.has(h.id('alice'))).toBe(false);
    expect(h.state.throttled.size).toBe(0);
  });

  it('does not throttle operators when they are exempt, nor anyone when disabled', () => {
    const h = new Harness({ flood: { ...flood, enabled: false } });
    h.register('alice');
    h.register('bob');
    for (let i = 0; i < 50; i++) h.send('alice', `PRIVMSG bob :${i}`);
    expect(h.take('bob')).toHaveLength(50);
    expect(defaultConfig.flood.enabled).toBe(true);
  });
});
