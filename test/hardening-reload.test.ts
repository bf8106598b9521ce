// Reloading the configuration: REHASH (operators only) and SIGHUP re-read the config file;
// the outcome is an input (ConfigReloaded / ConfigReloadFailed), so it is recorded and replays;
// nobody is dropped, an invalid file keeps the old config and the operator is told why.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/core/credentials.js';
import type { Effect } from '../src/core/effect.js';
import { decodeLog } from '../src/replay/log.js';
import { replay } from '../src/replay/replay.js';
import { baseConfig } from '../src/replay/transcript.js';
import { resolveSettings } from '../src/shell/cli.js';
import { startServer, type ReloadOutcome } from '../src/shell/server.js';
import { Harness, T0 } from './harness.js';
import { RawClient } from './shell-client.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'pureircd');
const dir = mkdtempSync(join(tmpdir(), 'pureircd-reload-'));

const oper = { name: 'root', password: 'r00tpw' };

describe('REHASH in the core', () => {
  it('is refused to non-operators with 481 and to unregistered clients with 451', () => {
    const h = new Harness({ opers: [oper] });
    h.register('alice');
    h.send('alice', 'REHASH');
    expect(h.take('alice')).toEqual([":irc.local 481 alice :Permission Denied- You're not an IRC operator"]);
    h.connect('anon');
    h.send('anon', 'REHASH');
    expect(h.take('anon')).toEqual([':irc.local 451 * :You have not registered']);
    expect(h.effects.some((e) => e._tag === 'ReloadConfig')).toBe(false);
  });

  it('answers an operator with 382 <file> and asks the shell to reload', () => {
    const h = new Harness({ opers: [oper], configFile: '/etc/pureircd/ircd.json' });
    const id = h.register('alice');
    h.send('alice', 'OPER root r00tpw');
    h.take('alice');
    h.effects.length = 0;
    h.send('alice', 'REHASH');
    expect(h.take('alice')).toEqual([':irc.local 382 alice ircd.json :Rehashing']);
    expect(h.effects).toContainEqual<Effect>({ _tag: 'ReloadConfig', requestedBy: id });
  });

  it('applies a reloaded config without dropping anyone, keeping the server name and casemapping', () => {
    const h = new Harness({ opers: [oper], motd: ['old motd'] });
    const id = h.register('alice');
    h.register('bob');
    h.send('alice', 'OPER root r00tpw');
    h.send('bob', 'JOIN #a');
    h.take('alice');
    h.take('bob');
    const incoming = { ...h.state.config, serverName: 'other.name', casemapping: 'ascii' as const, motd: ['new motd'], password: 'newpw' };
    h.feed({ _tag: 'ConfigReloaded', seq: ++h.seq, at: h.now, config: incoming, requestedBy: id });
    expect(h.take('alice')).toEqual([':irc.local NOTICE alice :*** Configuration reloaded (kept until restart: serverName irc.local, casemapping rfc1459)']);
    expect(h.take('bob')).toEqual([]);
    expect(h.state.clients.size).toBe(2);
    expect(h.state.config.password).toBe('newpw');
    expect(h.state.config.serverName).toBe('irc.local');
    expect(h.state.config.createdAt).toBe(T0);
    h.send('bob', 'MOTD');
    expect(h.take('bob')).toContain(':irc.local 372 bob :- new motd');
    // The new password applies to the next registration.
    h.connect('carol');
    h.send('carol', 'PASS newpw');
    h.send('carol', 'NICK carol');
    h.send('carol', 'USER carol 0 * :c');
    const burst = h.take('carol');
    expect(burst.some((l) => l.includes(' 001 carol '))).toBe(true);
    // The burst's config-only lines (built once per config) are the new config's.
    expect(burst.filter((l) => / 37[256] /.test(l))).toEqual([
      ':irc.local 375 carol :- irc.local Message of the day - ',
      ':irc.local 372 carol :- new motd',
      ':irc.local 376 carol :End of /MOTD command.',
    ]);
  });

  it('applies lowered limits to what happens next: nobody leaves a channel, no topic is cut', () => {
    // The harness checks every invariant after every input: CHANLIMIT and TOPICLEN hold of what
    // a step admits, not of the state a REHASH finds (they once failed here).
    const h = new Harness();
    h.register('alice');
    h.send('alice', 'JOIN #a,#b');
    h.send('alice', 'TOPIC #a :a topic of some length');
    h.take('alice');
    const limits = { ...h.state.config.limits, maxChannels: 1, topicLen: 5 };
    h.feed({ _tag: 'ConfigReloaded', seq: ++h.seq, at: h.now, config: { ...h.state.config, limits }, requestedBy: null });
    expect(h.state.clients.get(h.id('alice'))!.channels).toEqual(['#a', '#b']);
    h.send('alice', 'TOPIC #a');
    expect(h.take('alice')[0]).toBe(':irc.local 332 alice #a :a topic of some length');
    h.send('alice', 'JOIN #c');
    expect(h.take('alice')).toEqual([':irc.local 405 alice #c :You have joined too many channels']);
    h.send('alice', 'TOPIC #b :longer than five');
    expect(h.take('alice')[0]).toBe(':alice!alice@127.0.0.1 TOPIC #b :longe');
  });

  it('trims WHOWAS to a smaller length', () => {
    const h = new Harness();
    for (const n of ['a1', 'a2', 'a3']) {
      h.register(n);
      h.send(n, 'QUIT');
    }
    expect(h.state.whowas.size).toBe(3);
    h.feed({ _tag: 'ConfigReloaded', seq: ++h.seq, at: h.now, config: { ...h.state.config, limits: { ...h.state.config.limits, whowasLen: 1 } }, requestedBy: null });
    expect(h.state.whowas.size).toBe(1);
    expect(h.state.whowas.first()?.nick).toBe('a3');
  });

  it('keeps the old config when the reload failed, and tells the operator why', () => {
    const h = new Harness({ opers: [oper] });
    const id = h.register('alice');
    const before = h.state.config;
    const effects = h.feed({ _tag: 'ConfigReloadFailed', seq: ++h.seq, at: h.now, reason: 'config file x.json: limits.nickLen: expected a positive integer', requestedBy: id });
    expect(h.take('alice')).toEqual([
      ':irc.local NOTICE alice :*** Rehash failed, the old configuration is kept: config file x.json: limits.nickLen: expected a positive integer',
    ]);
    expect(effects.some((e) => e._tag === 'Log' && e.level === 'warn')).toBe(true);
    expect(h.state.config).toBe(before);
    // SIGHUP (no requester): only the log hears of it.
    h.feed({ _tag: 'ConfigReloadFailed', seq: ++h.seq, at: h.now, reason: 'nope', requestedBy: null });
    expect(h.take('alice')).toEqual([]);
  });
});

const until = async (cond: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${cond.toString()}`);
    await delay(2);
  }
};

describe('REHASH through the shell', () => {
  it('reloads from the file, refuses a bad one, records it all (no password), and replays to the same bytes', async () => {
    const cfg = join(dir, 'shell.json');
    const write = (o: unknown): void => writeFileSync(cfg, typeof o === 'string' ? o : JSON.stringify(o));
    const hashed = hashPassword('s3cretOper', Uint8Array.from({ length: 16 }, (_, i) => i));
    write({ opers: [{ name: 'root', password: hashed }], motd: ['first motd'] });
    const args = { opers: [], configFile: cfg };
    const now = T0;
    const settings = await resolveSettings(args, now);
    const reload = async (): Promise<ReloadOutcome> => {
      try {
        return { ok: true, config: (await resolveSettings(args, now)).config };
      } catch (err) {
        return { ok: false, reason: (err as Error).message };
      }
    };
    const record = join(dir, 'reload.log');
    const server = await startServer({ config: { ...settings.config, flood: baseConfig().flood }, host: '127.0.0.1', port: 0, clock: () => now, tickIntervalMs: 0, recordFile: record, reload });
    const a = await RawClient.connect(server.port);
    const b = await RawClient.connect(server.port);
    try {
      await a.register('alice');
      await b.register('bob');
      a.send('OPER root s3cretOper');
      await a.waitLine(' 381 alice ');
      write({ opers: [{ name: 'root', password: hashed }], motd: ['second motd'], limits: { topicLen: 100 } });
      a.send('REHASH');
      await a.waitLine(':irc.local 382 alice shell.json :Rehashing');
      await a.waitLine('NOTICE alice :*** Configuration reloaded');
      b.send('MOTD');
      await b.waitLine(':irc.local 372 bob :- second motd');
      expect(server.state().config.limits.topicLen).toBe(100);
      // A broken file (holding a password): refused, the reason told, no password echoed.
      write('{"password": "leakyPassw0rd", oops}');
      a.send('REHASH');
      const notice = await a.waitLine('Rehash failed');
      expect(notice).toMatch(/not valid JSON/);
      expect(notice).not.toContain('leakyPassw0rd');
      write({ limits: { nickLen: -1 } });
      a.send('REHASH');
      await a.waitLine('limits.nickLen: expected a positive integer');
      b.send('MOTD');
      await b.waitFor((l) => l === ':irc.local 372 bob :- second motd', 3000, b.lines.length - 0);
      expect(server.state().clients.size).toBe(2);
      a.send('QUIT');
      b.send('QUIT');
      await Promise.all([a.closed, b.closed]);
    } finally {
      await server.close();
    }
    const text = readFileSync(record, 'utf8');
    expect(text).not.toContain('s3cretOper');
    expect(text).not.toContain(hashed);
    expect(text).toContain('"_tag":"ConfigReloaded"');
    expect(text).toContain('"_tag":"ConfigReloadFailed"');
    const result = replay(decodeLog(text));
    expect(result.errors).toEqual([]);
    expect(result.violations).toEqual([]);
    const live = [a.lines, b.lines];
    live.forEach((lines, i) => expect(result.received.get(i + 1)).toEqual(lines));
  }, 20_000);
});

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });

describe('SIGHUP', () => {
  beforeAll(() => {
    const built = join(ROOT, 'dist', 'src', 'core', 'commands', 'rehash.js');
    const srcs = ['src/shell/cli.ts', 'src/shell/server.ts', 'src/core/commands/rehash.ts'].map((f) => statSync(join(ROOT, f)).mtimeMs);
    if (!existsSync(built) || statSync(built).mtimeMs < Math.max(...srcs))
      spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.json')], { stdio: 'ignore' });
  }, 60_000);

  it('reloads the config file of the running daemon without dropping its clients', async () => {
    const cfg = join(dir, 'daemon.json');
    writeFileSync(cfg, JSON.stringify({ host: '127.0.0.1', motd: ['before hup'] }));
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, '--config', cfg, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await until(() => out.includes('listening on'), 10_000);
      const a = await RawClient.connect(port);
      await a.register('alice');
      expect(a.lines.join('\n')).toContain(':- before hup');
      writeFileSync(cfg, JSON.stringify({ host: '127.0.0.1', motd: ['after hup'] }));
      child.kill('SIGHUP');
      // The reload is asynchronous: poll MOTD until the new text shows.
      let seen = false;
      for (let i = 0; i < 50 && !seen; i++) {
        const from = a.lines.length;
        a.send('MOTD');
        await a.waitFor((l) => / 376 | 422 /.test(l), 3000, from);
        seen = a.lines.slice(from).some((l) => l.endsWith(':- after hup'));
        if (!seen) await delay(50);
      }
      expect(seen).toBe(true);
      expect(a.ended).toBe(false);
      a.send('QUIT');
      await a.closed;
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  }, 30_000);
});
