// Slow readers: a client that stops reading while its channel is busy is dropped with "SendQ
// exceeded" once its queue passes limits.sendQ; its channel peers see the QUIT; the daemon's
// memory stays bounded. Measured on the real daemon (a child process) so the figures are its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/core/state.js';
import { MiB, configFile, ensureBuilt, memoryOf, startDaemon, type Daemon } from './daemon.js';
import { RawClient } from './shell-client.js';

/** Resolves when `text` has arrived on the client's socket (checked on each chunk, cheaply). */
const seen = (c: RawClient, text: string): Promise<void> =>
  new Promise((resolve, reject) => {
    void c.closed.then(() => reject(new Error(`connection closed before ${text}`)));
    let tail = '';
    const onData = (d: string): void => {
      const hay = tail + d;
      if (hay.includes(text)) {
        c.socket.off('data', onData);
        resolve();
      }
      tail = hay.slice(-text.length);
    };
    c.socket.on('data', onData);
  });

const write = (c: RawClient, text: string): Promise<void> =>
  new Promise((resolve, reject) => c.socket.write(text, 'latin1', (err) => (err ? reject(err) : resolve())));

let d: Daemon;
const SENDQ = defaultConfig.limits.sendQ;

beforeAll(async () => {
  ensureBuilt();
  // Flood control off: the sender must be able to outrun a stalled reader (as a busy channel does).
  // A 2 MiB young generation (default 16) so RSS follows live memory rather than GC slack.
  d = await startDaemon(['--config', configFile({ flood: { enabled: false } }), '--log-level', 'silent'], ['--max-semi-space-size=2']);
}, 120_000);

afterAll(async () => {
  d.child.kill('SIGKILL');
  await d.exited;
});

describe('a client that never reads', () => {
  it('is dropped with SendQ exceeded, its peers see the QUIT, and the daemon stays small', async () => {
    const [alice, bob, carol] = await Promise.all([RawClient.connect(d.port), RawClient.connect(d.port), RawClient.connect(d.port)]);
    for (const [c, nick] of [[alice, 'alice'], [bob, 'bob'], [carol, 'carol']] as const) {
      await c.register(nick);
      c.send('JOIN #busy');
      await c.waitLine(' 366 ');
    }
    await carol.waitLine('JOIN #busy'); // everyone is in before the flood starts
    const before = memoryOf(d.child.pid!);
    const quit = seen(carol, ':bob!bob@127.0.0.1 QUIT :SendQ exceeded');
    let dropped = false;
    void quit.then(() => (dropped = true));

    bob.socket.pause(); // bob stops reading: the kernel buffers fill, then his SendQ
    const t0 = performance.now();
    const chunk = `PRIVMSG #busy :${'x'.repeat(400)}\r\n`.repeat(100); // ~41 KB per write
    let sent = 0;
    let peak = before.rss;
    // Paced by carol (a marker every ~200 KB) so that she, a reader, never falls a SendQ behind.
    let n = 0;
    const pump = async (): Promise<void> => {
      await write(alice, chunk);
      sent += chunk.length;
      if (++n % 5 !== 0) return;
      const mark = seen(carol, `:mark-${n}`);
      alice.send(`PRIVMSG #busy :mark-${n}`);
      await mark;
    };
    while (!dropped && performance.now() - t0 < 60_000) {
      await pump();
      if (n % 5 === 0) peak = Math.max(peak, memoryOf(d.child.pid!).rss);
    }
    await quit;
    const detectMs = performance.now() - t0;
    const after = memoryOf(d.child.pid!);
    peak = Math.max(peak, after.rss);

    console.log(
      `[slow reader] SendQ ${MiB(SENDQ)}: dropped after ${(detectMs / 1000).toFixed(2)} s and ${MiB(sent)} sent to the channel; ` +
        `daemon RSS ${MiB(before.rss)} before, ${MiB(peak)} at peak (sampled), ${MiB(after.rss)} after; ` +
        `peak-since-start (VmHWM) ${MiB(after.peak)}`,
    );
    // The daemon's memory grew by a bounded amount: the SendQ, read buffers and V8 garbage.
    expect(sent).toBeGreaterThan(SENDQ);
    expect(carol.ended).toBe(false);
    expect(peak - before.rss).toBeLessThan(96 * 1024 * 1024);
    // The traffic goes on: four times as much again passes through, and the daemon does not grow
    // with it (with no SendQ it would have queued all of it for bob).
    const first = sent;
    while (sent < 5 * first) await pump();
    alice.send('PING :still-here');
    expect(await alice.waitLine('PONG')).toBe(':irc.local PONG irc.local :still-here');
    const later = memoryOf(d.child.pid!);
    console.log(`[slow reader] after ${MiB(sent - first)} more through the channel: daemon RSS ${MiB(later.rss)}`);
    expect(later.rss - peak).toBeLessThan(32 * 1024 * 1024);
    // The others are still served.
    carol.send('PING :carol-too');
    expect(await carol.waitLine('carol-too')).toBe(':irc.local PONG irc.local :carol-too');
    for (const c of [alice, bob, carol]) c.destroy();
  }, 90_000);
});
