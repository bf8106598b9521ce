// Signals (SIGTERM with a record log is in cli.test.ts): SIGINT stops cleanly too, queued output
// is flushed before the ERROR, shutdown is bounded even with a client that never reads, and a
// second signal exits at once.
import { beforeAll, describe, expect, it } from 'vitest';
import { configFile, ensureBuilt, startDaemon } from './daemon.js';
import { RawClient } from './shell-client.js';

beforeAll(ensureBuilt, 120_000);

describe('stopping the daemon', () => {
  it("SIGINT: a slow reader's queue is flushed, then ERROR (Server shutting down), exit 0", async () => {
    const d = await startDaemon(['--config', configFile({ flood: { enabled: false } }), '--log-level', 'silent']);
    const alice = await RawClient.connect(d.port);
    const bob = await RawClient.connect(d.port);
    await alice.register('alice');
    await bob.register('bob');
    bob.socket.pause(); // bob's lines queue up in the daemon
    const N = 2000;
    alice.write(Array.from({ length: N }, (_, i) => `PRIVMSG bob :${i} ${'q'.repeat(300)}\r\n`).join(''));
    alice.send('PING :queued'); // its PONG means all N are queued for bob
    await alice.waitLine('PONG');
    const t0 = performance.now();
    d.child.kill('SIGINT');
    bob.socket.resume();
    await bob.closed;
    expect(await d.exited).toBe(0);
    const ms = performance.now() - t0;
    console.log(`[signals] SIGINT with ${N} lines queued to a slow reader: exit 0 after ${ms.toFixed(0)} ms`);
    const got = bob.lines.filter((l) => l.includes('PRIVMSG bob'));
    expect(got).toHaveLength(N);
    expect(bob.lines.at(-1)).toBe('ERROR :Closing link: bob@127.0.0.1 (Server shutting down)');
    expect(alice.lines.at(-1)).toBe('ERROR :Closing link: alice@127.0.0.1 (Server shutting down)');
  }, 30_000);

  it('a client that never reads delays the stop by the close grace at most', async () => {
    const d = await startDaemon(['--log-level', 'silent']);
    const stuck = await RawClient.connect(d.port);
    stuck.socket.pause(); // never reads its ERROR nor the FIN
    await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    d.child.kill('SIGTERM');
    expect(await d.exited).toBe(0);
    const ms = performance.now() - t0;
    console.log(`[signals] SIGTERM with a client that never reads: exit 0 after ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(5000);
    stuck.destroy();
  }, 30_000);

  it('a second signal exits at once', async () => {
    const d = await startDaemon(['--log-level', 'silent']);
    const stuck = await RawClient.connect(d.port);
    stuck.socket.pause(); // holds the first stop in its grace period
    await new Promise((r) => setTimeout(r, 50));
    d.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    d.child.kill('SIGTERM');
    expect(await d.exited).toBe(143); // 128 + SIGTERM: not a clean stop, and says so
    expect(performance.now() - t0).toBeLessThan(1000); // well inside the 2 s grace
    stuck.destroy();
  }, 30_000);
});
