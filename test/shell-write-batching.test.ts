// The shell's write path: a turn's output is gathered per connection and written once at the end
// of the turn. These drive the shell with a stand-in core (the test-only `apply` hook) that answers
// a BURST line with many Send effects, so one turn carries a large, known batch.
import { afterEach, describe, expect, it } from 'vitest';
import { close, send, type Effect } from '../src/core/effect.js';
import { apply } from '../src/core/input.js';
import { defaultConfig } from '../src/core/state.js';
import { startServer, type RunningServer } from '../src/shell/server.js';
import { RawClient } from './shell-client.js';

let servers: RunningServer[] = [];
let clients: RawClient[] = [];

afterEach(async () => {
  for (const c of clients) c.destroy();
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  clients = [];
});

/**
 * `BURST n` from client 1: n lines to clients 1 and 2 with a private line to 1 after every tenth;
 * `BURSTCLOSE n`: n lines to client 1, then Close(1), then one more line to 1 that must not go out;
 * `ECHO x`: one line back to its sender.
 */
const burstCore: typeof apply = (s, input) => {
  if (input._tag !== 'LineReceived') return apply(s, input);
  const [verb, count] = input.line.split(' ');
  const n = Number(count);
  const effects: Effect[] = [];
  if (verb === 'BURST') {
    for (let i = 0; i < n; i++) {
      effects.push(send([1, 2], `:srv NOTICE * :shared ${i}`));
      if (i % 10 === 9) effects.push(send([1], `:srv NOTICE * :private ${i}`));
    }
    return [s, effects];
  }
  if (verb === 'ECHO') return [s, [send([input.client], `:srv NOTICE * :echo ${count}`)]];
  if (verb === 'BURSTCLOSE') {
    for (let i = 0; i < n; i++) effects.push(send([1], `:srv NOTICE * :line ${i}`));
    effects.push(close(1, 'bye'), send([1], ':srv NOTICE * :after close'));
    return [s, effects];
  }
  return apply(s, input);
};

const start = async (): Promise<RunningServer> => {
  const s = await startServer({ config: { ...defaultConfig, createdAt: Date.now() }, host: '127.0.0.1', port: 0, tickIntervalMs: 0, apply: burstCore });
  servers.push(s);
  return s;
};
const connect = async (port: number): Promise<RawClient> => {
  const c = await RawClient.connect(port);
  clients.push(c);
  return c;
};

describe('shell write path', () => {
  it('delivers a large batch of one turn complete and in order to every recipient', async () => {
    const s = await start();
    const a = await connect(s.port);
    const b = await connect(s.port);
    await s.settled();
    const n = 2000;
    a.send(`BURST ${n}`);
    await b.waitLine(`shared ${n - 1}`);
    await a.waitLine(`shared ${n - 1}`);
    const notices = (c: RawClient): string[] => c.lines.filter((l) => l.includes(' NOTICE * :')).map((l) => l.slice(l.indexOf(':', 1) + 1));
    const expectedA: string[] = [];
    const expectedB: string[] = [];
    for (let i = 0; i < n; i++) {
      expectedA.push(`shared ${i}`);
      expectedB.push(`shared ${i}`);
      if (i % 10 === 9) expectedA.push(`private ${i}`);
    }
    expect(notices(b)).toEqual(expectedB);
    // The private line after shared 1999 may still be in flight: wait for it, then compare all.
    await a.waitLine(`private ${n - 1}`);
    expect(notices(a)).toEqual(expectedA);
  });

  it('flushes what was sent before a Close, then ends the connection; nothing after the Close', async () => {
    const s = await start();
    const a = await connect(s.port);
    const b = await connect(s.port);
    await s.settled();
    a.send('BURSTCLOSE 500');
    await a.closed;
    const got = a.lines.filter((l) => l.includes(' NOTICE * :'));
    expect(got).toHaveLength(500);
    expect(got[0]).toBe(':srv NOTICE * :line 0');
    expect(got[499]).toBe(':srv NOTICE * :line 499');
    expect(a.lines.some((l) => l.includes('after close'))).toBe(false);
    // The server is still serving the other client.
    b.send('PING :still-here');
    await b.waitLine('still-here');
  });

  it('a read of more lines than one turn writes at once still answers every line, in order', async () => {
    // One write of 3000 lines arrives in a few reads, each a turn longer than the shell's bound
    // on inputs per write (500), so output goes out in several writes within a turn.
    const s = await start();
    const a = await connect(s.port);
    const b = await connect(s.port);
    await s.settled();
    const n = 1500;
    a.write(Array.from({ length: n }, (_, i) => `BURST 1\r\nECHO ${i}\r\n`).join(''));
    await a.waitLine(`echo ${n - 1}`, 10_000);
    const mine = a.lines.filter((l) => l.includes(' NOTICE * :')).map((l) => l.slice(l.indexOf(':', 1) + 1));
    expect(mine).toEqual(Array.from({ length: n }, (_, i) => ['shared 0', `echo ${i}`]).flat());
    await b.waitFor(() => b.lines.filter((l) => l.endsWith('shared 0')).length === n, 10_000);
  });
});
