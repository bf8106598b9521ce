// The shell over real sockets: framing across reads, abrupt closes, overflow limits, IPv6,
// shutdown and the record log.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeLog } from '../src/replay/log.js';
import { defaultConfig, type ServerConfig } from '../src/core/state.js';
import { startServer, type RunningServer, type ServerOptions } from '../src/shell/server.js';
import { RawClient } from './shell-client.js';

const config = (over: Partial<ServerConfig> = {}): ServerConfig => ({ ...defaultConfig, createdAt: Date.now(), ...over });

let servers: RunningServer[] = [];
let clients: RawClient[] = [];

const start = async (opts: Partial<ServerOptions> = {}): Promise<RunningServer> => {
  const s = await startServer({ config: config(), host: '127.0.0.1', port: 0, tickIntervalMs: 0, ...opts });
  servers.push(s);
  return s;
};
const connect = async (port: number, host = '127.0.0.1'): Promise<RawClient> => {
  const c = await RawClient.connect(port, host);
  clients.push(c);
  return c;
};
const until = async (cond: () => boolean, ms = 3000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};
const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

afterEach(async () => {
  for (const c of clients) c.destroy();
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  clients = [];
});

describe('shell server', () => {
  it('frames a line split across many reads (nc + ctrl-D)', async () => {
    const s = await start({ config: config({ password: 'x' }) });
    const c = await connect(s.port);
    c.socket.setNoDelay(true);
    for (const part of ['PA', 'SS x\r\nNI', 'CK bob\r', '\n']) {
      c.write(part);
      await pause(20); // separate reads on the server
    }
    c.send('USER bob 0 * :Bob');
    expect(await c.waitLine(' 001 bob ')).toMatch(/^:irc\.local 001 bob :/);
    await s.settled();
    const bob = s.state().clients.get(1);
    expect(bob?.nick).toBe('bob');
    expect(bob?.registered).toBe(true);
  });

  it('handles many lines in one read and ignores empty lines', async () => {
    const s = await start();
    const c = await connect(s.port);
    c.write('\r\n\nNICK amy\nUSER amy 0 * :Amy\r\n\r\nPING :tok\r\n');
    expect(await c.waitLine('PONG')).toBe(':irc.local PONG irc.local :tok');
    expect(c.lines.filter((l) => / 421 /.test(l))).toEqual([]);
  });

  it('passes bytes through exactly (latin1 both ways)', async () => {
    const s = await start();
    const a = await connect(s.port);
    const b = await connect(s.port);
    await a.register('alice');
    await b.register('bob');
    const text = Buffer.from('PRIVMSG bob :héllo ☃ \x01ACTION\x01\r\n', 'utf8');
    a.write(text);
    const got = await b.waitLine('PRIVMSG bob');
    expect(Buffer.from(got, 'latin1').toString('utf8')).toBe(':alice!alice@127.0.0.1 PRIVMSG bob :héllo ☃ \x01ACTION\x01');
  });

  it('survives an abrupt close (RST): others keep being served, the nick is gone (401)', async () => {
    const s = await start();
    const a = await connect(s.port);
    const b = await connect(s.port);
    await a.register('alice');
    await b.register('bob');
    b.socket.resetAndDestroy();
    await until(() => s.state().nicks.size === 1);
    a.send('PRIVMSG bob :are you there?');
    expect(await a.waitLine(' 401 ')).toBe(':irc.local 401 alice bob :No such nick/channel');
    // A new client still gets in, and can take the freed nick.
    const b2 = await connect(s.port);
    await b2.register('bob');
    a.send('PRIVMSG bob :welcome back');
    expect(await b2.waitLine('welcome back')).toBe(':alice!alice@127.0.0.1 PRIVMSG bob :welcome back');
  });

  it('feeds exactly one ClientDisconnected per dropped client, with its reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pureircd-'));
    const file = join(dir, 'rec.log');
    const s = await start({ recordFile: file });
    const a = await connect(s.port);
    await a.register('alice');
    const b = await connect(s.port);
    await b.register('bob');
    a.send('QUIT :bye'); // the core closes alice: no ClientDisconnected for her
    await a.closed;
    b.socket.end(); // EOF from bob
    await b.closed;
    await until(() => s.state().clients.size === 0);
    await s.close();
    const log = decodeLog(readFileSync(file, 'latin1'));
    expect(log.errors).toEqual([]);
    const gone = log.inputs.filter((i) => i._tag === 'ClientDisconnected');
    expect(gone).toEqual([expect.objectContaining({ client: 2, reason: 'Connection closed' })]);
  });

  it('disconnects a client that sends more than 16 KiB without a line end (RecvQ exceeded)', async () => {
    const s = await start();
    const a = await connect(s.port);
    const b = await connect(s.port);
    await b.register('bob');
    a.write('NICK flood\r\n' + 'x'.repeat(17 * 1024));
    expect(await a.waitLine('ERROR')).toMatch(/^ERROR :Closing link: \*@127\.0\.0\.1 \(RecvQ exceeded\)$/);
    await a.closed;
    b.send('PING :still');
    expect(await b.waitLine('PONG')).toBe(':irc.local PONG irc.local :still');
  });

  it('answers a line over 512 bytes with 417 and keeps the connection', async () => {
    const s = await start();
    const a = await connect(s.port);
    await a.register('alice');
    a.send('PRIVMSG alice :' + 'y'.repeat(1000));
    expect(await a.waitLine(' 417 ')).toMatch(/^:irc\.local 417 alice :/);
    a.send('PING :ok');
    expect(await a.waitLine('PONG')).toBe(':irc.local PONG irc.local :ok');
  });

  it('drops a client whose SendQ overflows, and only that client', async () => {
    const s = await start({ sendQBytes: 64 * 1024, config: config({ flood: { ...defaultConfig.flood, enabled: false } }) });
    const a = await connect(s.port);
    const b = await connect(s.port);
    await a.register('alice');
    await b.register('bob');
    b.socket.pause(); // bob stops reading: the kernel buffers fill, then the SendQ
    const line = 'PRIVMSG bob :' + 'z'.repeat(400) + '\r\n';
    const chunk = line.repeat(200);
    for (let i = 0; i < 400 && s.state().clients.has(2); i++) {
      a.write(chunk);
      await s.settled();
    }
    await until(() => !s.state().clients.has(2));
    a.send('PING :alive');
    expect(await a.waitLine('PONG')).toBe(':irc.local PONG irc.local :alive');
  });

  it('listens on IPv6 too when the host is the default', async () => {
    const s = await start({ host: undefined });
    const v6 = await connect(s.port, '::1');
    const v4 = await connect(s.port, '127.0.0.1');
    await v6.register('six');
    await v4.register('four');
    v4.send('PRIVMSG six :hi');
    expect(await v6.waitLine('PRIVMSG six')).toBe(':four!four@127.0.0.1 PRIVMSG six :hi');
    v6.send('PRIVMSG four :hello');
    // An IPv6 host starting with ':' is written with a leading 0.
    expect(await v4.waitLine('PRIVMSG four')).toBe(':six!six@0::1 PRIVMSG four :hello');
  });

  it('rejects a port in use with a clear error', async () => {
    const s = await start();
    await expect(startServer({ config: config(), host: '127.0.0.1', port: s.port, tickIntervalMs: 0 })).rejects.toThrow(
      `port ${s.port} is already in use`,
    );
  });

  it('close() tells every client, closes them and stops listening', async () => {
    const s = await start();
    const a = await connect(s.port);
    const b = await connect(s.port);
    await a.register('alice');
    await s.close('Server shutting down');
    expect(a.lines.at(-1)).toBe('ERROR :Closing link: alice@127.0.0.1 (Server shutting down)');
    expect(b.lines.at(-1)).toBe('ERROR :Closing link: *@127.0.0.1 (Server shutting down)');
    await Promise.all([a.closed, b.closed]);
    await expect(RawClient.connect(s.port)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('tick() feeds TimeAdvanced: an idle client is pinged, then timed out', async () => {
    let now = 1_700_000_000_000;
    const s = await start({ clock: () => now, config: config({ createdAt: now, pingIntervalMs: 1000, pingTimeoutMs: 1000 }) });
    const a = await connect(s.port);
    await a.register('alice');
    now += 1000;
    s.tick();
    expect(await a.waitLine(/^PING /)).toBe('PING :irc.local');
    now += 1000;
    s.tick();
    expect(await a.waitLine(/^ERROR /)).toBe('ERROR :Closing link: alice@127.0.0.1 (Ping timeout: 2 seconds)');
    await a.closed;
  });

  it('records the header and every input, in order, flushed on close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pureircd-'));
    const file = join(dir, 'rec.log');
    let now = 1_700_000_000_000;
    const cfg = config({ createdAt: now });
    const s = await start({ recordFile: file, clock: () => now++, config: cfg });
    const a = await connect(s.port);
    await a.register('alice');
    // Two lines in one write: one read on loopback, so they arrived together.
    a.socket.write('PRIVMSG alice :one\r\nPRIVMSG alice :two\r\n');
    await a.waitLine('PRIVMSG alice :two');
    await s.close();
    const log = decodeLog(readFileSync(file, 'latin1'));
    expect(log.errors).toEqual([]);
    expect(log.header?.config).toEqual(cfg);
    expect(log.inputs.map((i) => i.seq)).toEqual(log.inputs.map((_, k) => k + 1));
    expect(log.inputs.map((i) => i._tag)).toEqual([
      'ClientConnected',
      'LineReceived',
      'LineReceived',
      'LineReceived',
      'LineReceived',
      'ServerStopping',
    ]);
    expect(log.inputs.filter((i) => i._tag === 'LineReceived').map((i) => (i as { line: string }).line)).toEqual([
      'NICK alice',
      'USER alice 0 * :alice',
      'PRIVMSG alice :one',
      'PRIVMSG alice :two',
    ]);
    // Every input is stamped with a reading of the server's clock (it counts up by one per
    // reading here), in order; the lines of one read share the reading taken for that read.
    const at = log.inputs.map((i) => i.at);
    expect(at[0]).toBe(1_700_000_000_000);
    for (let k = 1; k < at.length; k++) expect(at[k]).toBeGreaterThanOrEqual(at[k - 1]!);
    expect(at[4]).toBe(at[3]);
    expect(at[3]).toBeGreaterThan(at[2]!);
    expect(at[5]).toBeGreaterThan(at[4]!);
  });
});
