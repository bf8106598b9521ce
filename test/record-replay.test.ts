// Record a real multi-client TCP session against the daemon, replay the log through the core,
// and prove every client's bytes received live equal the replayed output, byte for byte.
import net from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { decodeLog } from '../src/replay/log.js';
import { formatTranscript, replay } from '../src/replay/replay.js';
import { baseConfig, runTranscript } from '../src/replay/transcript.js';
import { startServer } from '../src/shell/server.js';

const until = async (cond: () => boolean, ms = 3000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${cond.toString()}`);
    await delay(1);
  }
};

interface Peer {
  socket: net.Socket;
  bytes: Buffer[];
  closed: boolean;
}

describe('record and replay', () => {
  it('replayed output equals what each client received live, byte for byte', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pureircd-rr-'));
    const file = join(dir, 'session.log');
    let now = 1_690_000_000_000;
    const config = { ...baseConfig(), createdAt: now, motd: ['welcome', 'to the test'], flood: { ...baseConfig().flood, enabled: true } };
    const server = await startServer({ config, host: '127.0.0.1', port: 0, clock: () => now, tickIntervalMs: 0, recordFile: file });
    const peers: Peer[] = [];
    let expectedInputs = 0;
    const sync = async (): Promise<void> => {
      await until(() => server.state().seq >= expectedInputs);
      await server.settled();
      await delay(5);
    };
    const connect = async (localAddress = '127.0.0.1'): Promise<Peer> => {
      const socket = net.connect({ host: '127.0.0.1', port: server.port, localAddress });
      const p: Peer = { socket, bytes: [], closed: false };
      socket.on('data', (b: Buffer) => p.bytes.push(b));
      socket.on('close', () => (p.closed = true));
      socket.on('error', () => {});
      await new Promise((r) => socket.once('connect', r));
      peers.push(p);
      expectedInputs++;
      await sync();
      return p;
    };
    const send = async (p: Peer, raw: string, lines: number): Promise<void> => {
      p.socket.write(Buffer.from(raw, 'latin1'));
      expectedInputs += lines;
      await sync();
    };

    try {
      const alice = await connect();
      const bob = await connect('127.0.0.2');
      const carol = await connect();
      await send(alice, 'CAP LS 302\r\nNICK alice\r\nUSER alice 0 * :Alice\r\nCAP REQ :sasl\r\nCAP END\r\n', 5);
      // A line split over several writes, LF-only endings, and bytes beyond ASCII.
      await send(bob, 'NI', 0);
      await send(bob, 'CK bob\nUSER b', 1);
      await send(bob, 'ob 8 * :Bob \xe9\r\n', 1);
      await send(carol, 'NICK carol\r\nUSER carol 0 * :Carol\r\n', 2);
      await send(alice, 'PRIVMSG bob,carol :h\xe9llo \xff\xfe both\r\nNOTICE nobody :x\r\nPRIVMSG nobody :y\r\n', 3);
      await send(bob, 'NICK B[ob]\r\nPRIVMSG alice :' + 'z'.repeat(600) + '\r\nFROB\r\n', 3);
      await send(carol, 'JOIN #room\r\nPRIVMSG #room :anyone?\r\n', 2);
      await send(alice, 'JOIN #room\r\nPRIVMSG #room :me\r\n', 2);
      now += 121_000;
      server.tick();
      expectedInputs++;
      await sync();
      await send(alice, 'PONG :irc.local\r\n', 1);
      await send(carol, 'PONG :irc.local\r\n', 1);
      now += 61_000;
      server.tick(); // bob never answered: ping timeout
      expectedInputs++;
      await sync();
      // A burst fast enough for flood control to hold lines until later ticks.
      await send(carol, Array.from({ length: 14 }, (_, i) => `PRIVMSG alice :flood ${i}\r\n`).join(''), 14);
      for (let i = 0; i < 3; i++) {
        now += 2000;
        server.tick();
        expectedInputs++;
        await sync();
      }
      await send(alice, 'QUIT :see you\r\n', 1);
      carol.socket.destroy(); // abrupt: the others see the QUIT
      expectedInputs++;
      await sync();
      const dave = await connect();
      await send(dave, 'NICK dave\r\nUSER d 0 * :D\r\n', 2);
      expect(bob.closed && carol.closed && alice.closed).toBe(true);
    } finally {
      await server.close('test over');
      await until(() => peers.every((p) => p.closed));
    }

    const log = decodeLog(readFileSync(file, 'utf8'));
    expect(log.errors).toEqual([]);
    const result = replay(log);
    expect(result.errors).toEqual([]);
    expect(result.violations).toEqual([]);
    expect(result.steps.length).toBe(log.inputs.length);
    peers.forEach((p, i) => {
      const live = Buffer.concat(p.bytes);
      const replayed = Buffer.from((result.received.get(i + 1) ?? []).map((l) => l + '\r\n').join(''), 'latin1');
      expect(live.length).toBeGreaterThan(0);
      expect(replayed.toString('latin1')).toBe(live.toString('latin1')); // readable diff first
      expect(replayed.equals(live)).toBe(true);
    });
    // Sanity: the session exercised what it claims to.
    const all = [...result.received.values()].flat().join('\n');
    expect(all).toContain('h\xe9llo \xff\xfe both');
    expect(all).toContain('Ping timeout');
    expect(all).toContain(':alice!alice@127.0.0.1 QUIT :Quit: see you');
    expect(all).toContain('flood 13');
    // And the session exports as a transcript that runs green.
    expect(runTranscript(formatTranscript(result)).failures).toEqual([]);
  }, 30_000);
});
