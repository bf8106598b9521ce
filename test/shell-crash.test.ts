// If the core throws (a bug), the shell logs the input's seq, keeps the previous state and
// keeps serving. The core is made to throw on one chosen line by wrapping apply().
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { defaultConfig } from '../src/core/state.js';
import { startServer } from '../src/shell/server.js';
import { RawClient } from './shell-client.js';

vi.mock('../src/core/input.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/core/input.js')>();
  return {
    ...real,
    apply: (state: Parameters<typeof real.apply>[0], input: Parameters<typeof real.apply>[1]) => {
      if (input._tag === 'LineReceived' && input.line === 'BOOM') throw new Error('core bug');
      return real.apply(state, input);
    },
  };
});

describe('a throwing core', () => {
  it('is logged with the seq, the state is kept, and serving goes on', async () => {
    const logs: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logs.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const server = await startServer({
      config: { ...defaultConfig, createdAt: Date.now() },
      host: '127.0.0.1',
      port: 0,
      tickIntervalMs: 0,
      logger: pino({ level: 'error' }, sink),
    });
    try {
      const a = await RawClient.connect(server.port);
      await a.register('alice'); // inputs 1-3
      const before = server.state();
      a.send('BOOM'); // input 4
      a.send('PING :after');
      expect(await a.waitLine('PONG')).toBe(':irc.local PONG irc.local :after');
      expect(logs).toEqual([expect.objectContaining({ level: 50, seq: 4, msg: 'core threw; input ignored' })]);
      // The throwing input changed nothing; the next one was applied to the kept state.
      expect(server.state().clients.get(1)?.nick).toBe(before.clients.get(1)?.nick);
      expect(server.state().seq).toBe(5);
      a.destroy();
    } finally {
      await server.close();
    }
  });
});
