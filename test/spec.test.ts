// Every spec/**/*.irc transcript, one test each, run twice: through the pure core (exact and
// fast) and against the live daemon over real TCP sockets (proving the shell). Both modes parse
// with the same parser and judge each action's lines with the same compareBlock.
import net from 'node:net';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { LineFramer } from '../src/shell/framing.js';
import { startServer, type RunningServer } from '../src/shell/server.js';
import {
  compareBlock,
  DEFAULT_DISCONNECT_REASON,
  dropWelcome,
  parseTranscript,
  registrationLines,
  runTranscript,
  T0,
  type Transcript,
} from '../src/replay/transcript.js';

const SPEC = join(import.meta.dirname, '..', 'spec');

const transcripts = (dir: string): string[] =>
  readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? transcripts(p) : p.endsWith('.irc') ? [p] : [];
    });

const files = transcripts(SPEC);
const read = (file: string): string => readFileSync(file, 'latin1');

describe('spec transcripts (core)', () => {
  it('finds transcripts', () => expect(files.length).toBeGreaterThan(0));
  for (const file of files) {
    it(relative(SPEC, file), () => {
      const result = runTranscript(read(file));
      // The failure text names the line and shows expected vs received per client.
      expect(result.failures.join('\n'), file).toBe('');
      expect(result.ok).toBe(true);
    });
  }
});

// ---- live mode ---------------------------------------------------------------------------

/** Why a transcript cannot run over loopback TCP, or null. */
const liveObstacle = (t: Transcript): string | null => {
  for (const b of t.blocks) {
    const a = b.action;
    if ((a.kind === 'connects' || a.kind === 'registers') && !/^127\.\d+\.\d+\.\d+$/.test(a.address))
      return `line ${b.line}: ${a.address} is not a loopback address`;
    if (a.kind === 'connects' && a.tls) return `line ${b.line}: TLS`;
    if (a.kind === 'disconnects' && a.reason !== DEFAULT_DISCONNECT_REASON)
      return `line ${b.line}: a socket cannot choose its disconnect reason`;
  }
  return null;
};

/** One raw TCP client: collects CRLF lines and notices when the server closes. */
class LiveClient {
  readonly lines: string[] = [];
  closed = false;
  /** We dropped the connection (`disconnects`): whatever comes later is not looked at. */
  gone = false;
  private partial = '';
  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      const text = this.partial + chunk.toString('latin1');
      const parts = text.split('\r\n');
      this.partial = parts.pop()!;
      this.lines.push(...parts);
    });
    socket.on('end', () => (this.closed = true));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => (this.closed = true));
  }

  static connect(port: number, localAddress: string): Promise<LiveClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port, localAddress });
      socket.once('connect', () => resolve(new LiveClient(socket)));
      socket.once('error', reject);
    });
  }
}

const until = async (cond: () => boolean, ms = 3000): Promise<boolean> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) return false;
    await delay(1);
  }
  return true;
};

/** How many inputs the daemon feeds for a line we send (the framer drops empty lines). */
const inputsFor = (text: string): number => new LineFramer().push(Buffer.from(text + '\r\n', 'latin1')).lines.length;

const runLive = async (text: string): Promise<string[]> => {
  const parsed = parseTranscript(text);
  if (!parsed.ok) return parsed.errors.map((e) => `line ${e.line}: ${e.message}`);
  const { config, blocks } = parsed.transcript;
  let fakeNow = T0;
  const server: RunningServer = await startServer({ config, host: '127.0.0.1', port: 0, clock: () => fakeNow, tickIntervalMs: 0 });
  const clients = new Map<string, LiveClient>();
  const all: LiveClient[] = [];
  let inputs = 0;
  const seqReached = (): boolean => server.state().seq >= inputs;
  try {
    for (const block of blocks) {
      const start = new Map([...clients].map(([name, c]) => [name, c.lines.length]));
      const wasClosed = new Set([...clients].filter(([, c]) => c.closed).map(([name]) => name));
      const a = block.action;
      let registering: string | null = null;
      const sendLine = (c: LiveClient, line: string): void => {
        c.socket.write(Buffer.from(line + '\r\n', 'latin1'));
        inputs += inputsFor(line);
      };
      switch (a.kind) {
        case 'connects':
        case 'registers': {
          const c = await LiveClient.connect(server.port, a.address);
          clients.set(a.client, c);
          all.push(c);
          start.set(a.client, 0);
          inputs += 1;
          if (a.kind === 'registers') {
            registering = a.client;
            await until(seqReached);
            for (const l of registrationLines(config, a.client)) sendLine(c, l);
            await until(() => c.closed || c.lines.some((l) => / (376|422) /.test(l)));
          }
          break;
        }
        case 'send':
          sendLine(clients.get(a.client)!, a.text);
          break;
        case 'disconnects': {
          const c = clients.get(a.client)!;
          c.gone = true;
          if (!c.closed) inputs += 1;
          c.socket.end();
          break;
        }
        case 'wait':
          fakeNow += a.ms;
          server.tick();
          inputs += 1;
          break;
        case 'clock':
          fakeNow += a.ms;
          break;
        default: {
          const unreachable: never = a;
          return [`unknown action ${JSON.stringify(unreachable)}`];
        }
      }
      await until(seqReached);
      await server.settled();
      // Wait for what is expected to arrive, then a quiet moment for anything unexpected.
      await until(() =>
        [...block.expect].every(([name, want]) => {
          const c = clients.get(name);
          return c === undefined || c.closed || c.lines.length - (start.get(name) ?? 0) >= want.length;
        }) && [...block.closes].every((name) => clients.get(name)?.closed !== false),
      );
      await delay(5);
      const lines = new Map<string, string[]>();
      const closes = new Set<string>();
      for (const [name, c] of clients) {
        if (c.gone) continue;
        const got = c.lines.slice(start.get(name) ?? 0);
        if (got.length > 0) lines.set(name, got);
        if (c.closed && !wasClosed.has(name)) closes.add(name);
      }
      if (registering !== null) {
        const rest = dropWelcome(lines.get(registering) ?? []);
        if (rest === null) return [`line ${block.line} (${block.source}): no 001 arrived; received ${JSON.stringify(lines.get(registering) ?? [])}`];
        if (rest.length === 0) lines.delete(registering);
        else lines.set(registering, rest);
      }
      const diff = compareBlock(block, { lines, closes });
      if (diff !== null) return [diff];
    }
    return [];
  } finally {
    await server.close();
    for (const c of all) c.socket.destroy();
  }
};

describe('spec transcripts (live daemon over TCP)', () => {
  for (const file of files) {
    const parsed = parseTranscript(read(file));
    const obstacle = parsed.ok ? liveObstacle(parsed.transcript) : null;
    const name = relative(SPEC, file);
    // TLS, non-loopback addresses and chosen disconnect reasons cannot be produced by a plain
    // loopback socket: such transcripts run through the core only (above).
    if (obstacle !== null) continue;
    it(name, async () => {
      const failures = await runLive(read(file));
      expect(failures.join('\n'), file).toBe('');
    }, 30_000);
  }
});

describe('the live runner can fail', () => {
  it('on a wrong line, a missing line, an extra line and a missing close', async () => {
    const base = ['alice registers', 'alice> PING x'];
    expect(await runLive([...base, 'alice< :irc.local PONG irc.local :x'].join('\n'))).toEqual([]);
    const wrong = await runLive([...base, 'alice< :irc.local PONG irc.local :y'].join('\n'));
    expect(wrong[0]).toContain('line 2 (alice> PING x)');
    expect((await runLive(base.join('\n')))[0]).toContain('lines differ');
    expect((await runLive(['alice registers', 'alice> PONG x', 'alice< :irc.local PONG irc.local :x'].join('\n')))[0]).toContain('lines differ');
    const noClose = await runLive(['alice registers', 'alice> QUIT', 'alice< ERROR :Closing link: alice@127.0.0.1 (Client Quit)'].join('\n'));
    expect(noClose[0]).toContain('closed the connection unexpectedly');
  }, 30_000);
});
