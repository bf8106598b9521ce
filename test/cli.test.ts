// The CLI: argument parsing in-process, and the real bin/pureircd spawned for exit codes,
// one-line errors, port in use and a clean SIGTERM shutdown.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeLog } from '../src/replay/log.js';
import { defaultConfig } from '../src/core/state.js';
import { HELP, parseArgs, resolveSettings } from '../src/shell/cli.js';
import { BIN, ensureBuilt, freePort, spawnDaemon } from './daemon.js';
import { RawClient } from './shell-client.js';

const dir = mkdtempSync(join(tmpdir(), 'pureircd-cli-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const run = (args: string[]): { code: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 10_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

/** Spawn the daemon and wait for its "listening" line. */
const daemon = (args: string[]): ReturnType<typeof spawnDaemon> => spawnDaemon(args);

// `npm test` builds first; run alone, build when dist/ is older than the sources.
beforeAll(ensureBuilt, 120_000);

describe('parseArgs', () => {
  it('takes the ft_irc form PORT PASSWORD', () => {
    expect(parseArgs(['6667', 'secret'])).toEqual({ _tag: 'Run', args: { opers: [], port: 6667, password: 'secret' } });
  });

  it('takes every flag, --flag VALUE and --flag=VALUE, with --oper repeatable', () => {
    const p = parseArgs([
      '--host', '::1', '--port=7000', '--password', 'pw', '--server-name', 'irc.example.org', '--server-info', 'Hello there',
      '--oper', 'root:toor', '--oper=ann:x:y', '--motd', 'm.txt', '--record', 'r.log', '--config', 'c.json', '--log-level', 'debug',
    ]);
    expect(p).toEqual({
      _tag: 'Run',
      args: {
        host: '::1',
        port: 7000,
        password: 'pw',
        serverName: 'irc.example.org',
        serverInfo: 'Hello there',
        opers: [
          { name: 'root', password: 'toor' },
          { name: 'ann', password: 'x:y' },
        ],
        motdFile: 'm.txt',
        recordFile: 'r.log',
        configFile: 'c.json',
        logLevel: 'debug',
      },
    });
  });

  it('lets --port and --password override the positional forms', () => {
    expect(parseArgs(['6667', 'a', '--port', '7000', '--password', 'b'])).toMatchObject({ args: { port: 7000, password: 'b' } });
  });

  it.each([
    [['--bogus'], 'unknown option --bogus (see --help)'],
    [['0'], 'invalid port "0" (expected a number from 1 to 65535)'],
    [['65536'], 'invalid port "65536" (expected a number from 1 to 65535)'],
    [['--port', 'abc'], 'invalid port "abc" (expected a number from 1 to 65535)'],
    [['--port'], 'option --port needs a value'],
    [['--record', '--port', '1'], 'option --record needs a value'],
    [['1', 'pw', 'extra'], 'unexpected argument "extra" (see --help)'],
    [['--oper', 'nocolon'], 'invalid --oper: expected NAME:PASSWORD (no spaces)'],
    [['--oper', 'root:with space'], 'invalid --oper: expected NAME:PASSWORD (no spaces)'],
    [['--log-level', 'loud'], 'invalid log level "loud" (one of fatal, error, warn, info, debug, trace, silent)'],
    [['--server-name', 'bad name'], `invalid server name "bad name": expected a server name (letters, digits, '.' and '-', at most 63 characters)`],
  ])('rejects %j', (argv, message) => {
    expect(parseArgs(argv)).toEqual({ _tag: 'Error', message });
  });
});

describe('resolveSettings', () => {
  it('lays flags over the config file over the defaults, and reads the MOTD', async () => {
    const config = file('ok.json', JSON.stringify({ port: 7001, serverName: 'irc.file', network: 'FileNet', limits: { nickLen: 9 } }));
    const motd = file('motd.txt', 'Welcome\r\n\r\nsecond line\n');
    const p = parseArgs(['--config', config, '--server-name', 'irc.flag', '--motd', motd]);
    if (p._tag !== 'Run') throw new Error('parse failed');
    const s = await resolveSettings(p.args, 1234);
    expect(s.port).toBe(7001);
    expect(s.host).toBe('0.0.0.0');
    expect(s.config).toEqual({
      ...defaultConfig,
      createdAt: 1234,
      serverName: 'irc.flag',
      network: 'FileNet',
      limits: { ...defaultConfig.limits, nickLen: 9 },
      motd: ['Welcome', '', 'second line'],
      configFile: config, // REHASH shows its name (382) and re-reads it
    });
  });

  it('defaults to port 6667, irc.local, no password, no MOTD', async () => {
    const s = await resolveSettings({ opers: [] }, 5);
    expect([s.port, s.host, s.config.serverName, s.config.password, s.config.motd]).toEqual([6667, '0.0.0.0', 'irc.local', null, null]);
  });
});

describe('bin/pureircd', () => {
  it('runs under the V8 flags npm start gives the daemon (package.json config.nodeFlags)', () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { config: { nodeFlags: string }; scripts: { start: string } };
    expect(pkg.config.nodeFlags).toMatch(/^--max-semi-space-size=\d+$/);
    expect(pkg.scripts.start).toContain('node $npm_package_config_nodeFlags bin/pureircd');
    // Run as an executable, the shebang gives the same flags.
    expect(readFileSync(BIN, 'utf8').split('\n')[0]).toBe(`#!/usr/bin/env -S node ${pkg.config.nodeFlags}`);
    const r = spawnSync(BIN, ['--help'], { encoding: 'utf8', timeout: 10_000 });
    expect([r.status, r.stdout]).toEqual([0, HELP]);
  });

  it('--help lists every option and exits 0', () => {
    const r = run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(HELP);
    for (const flag of ['--host', '--port', '--password', '--server-name', '--server-info', '--oper', '--motd', '--record', '--config', '--log-level', 'replay'])
      expect(r.stdout).toContain(flag);
  });

  it.each([
    [['--bogus'], 'pureircd: unknown option --bogus (see --help)\n'],
    [['99999'], 'pureircd: invalid port "99999" (expected a number from 1 to 65535)\n'],
    [['--port'], 'pureircd: option --port needs a value\n'],
  ])('%j prints one line and exits 2', (argv, stderr) => {
    expect(run(argv)).toEqual({ code: 2, stdout: '', stderr });
  });

  it('names the bad field of a config file and exits 2', () => {
    const bad = file('bad.json', JSON.stringify({ limits: { nickLen: 0 } }));
    expect(run(['--config', bad])).toEqual({
      code: 2,
      stdout: '',
      stderr: `pureircd: config file ${bad}: limits.nickLen: expected a positive integer\n`,
    });
    const typo = file('typo.json', JSON.stringify({ serverNmae: 'x' }));
    expect(run(['--config', typo]).stderr).toBe(`pureircd: config file ${typo}: serverNmae: unknown field\n`);
  });

  it('rejects unreadable or malformed files with exit 2', () => {
    const missing = join(dir, 'nope.json');
    expect(run(['--config', missing])).toEqual({ code: 2, stdout: '', stderr: `pureircd: cannot read config file ${missing} (ENOENT)\n` });
    const r = run(['--config', file('broken.json', '{"port": ')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^pureircd: config file .*broken\.json: not valid JSON \(.*\)\n$/);
    expect(run(['--motd', join(dir, 'nomotd.txt')]).stderr).toBe(`pureircd: cannot read MOTD file ${join(dir, 'nomotd.txt')} (ENOENT)\n`);
  });

  it('says so and exits 1 when the port is in use', async () => {
    const blocker = net.createServer();
    const port = await new Promise<number>((resolve) =>
      blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)),
    );
    try {
      const r = spawn(process.execPath, [BIN, '--host', '127.0.0.1', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      r.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => r.on('exit', resolve));
      expect(code).toBe(1);
      expect(stderr).toBe(`pureircd: port ${port} is already in use\n`);
    } finally {
      blocker.close();
    }
  });

  it('on SIGTERM tells clients, flushes the record log and exits 0', async () => {
    const port = await freePort();
    const record = join(dir, 'session.log');
    const d = await daemon(['--host', '127.0.0.1', String(port), 'pw', '--record', record, '--log-level', 'silent']);
    const a = await RawClient.connect(port);
    await a.register('alice', 'pw');
    const b = await RawClient.connect(port);
    d.child.kill('SIGTERM');
    await Promise.all([a.closed, b.closed]);
    expect(a.lines.at(-1)).toBe('ERROR :Closing link: alice@127.0.0.1 (Server shutting down)');
    expect(b.lines.at(-1)).toBe('ERROR :Closing link: *@127.0.0.1 (Server shutting down)');
    expect(await d.exited).toBe(0);
    const log = decodeLog(readFileSync(record, 'latin1'));
    expect(log.errors).toEqual([]);
    // Passwords are redacted in record files (src/core/redact.ts).
    expect(log.header?.config).toMatchObject({ password: '<redacted>', serverName: 'irc.local' });
    expect(log.inputs.map((i) => i._tag)).toEqual([
      'ClientConnected', 'LineReceived', 'LineReceived', 'LineReceived', 'ClientConnected', 'ServerStopping',
    ]);
  });

  it('dispatches "replay" to the replay CLI', () => {
    // Whatever replay prints, a missing file must not be a success.
    const r = run(['replay', join(dir, 'no-such.log')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).not.toBe('');
  });
});

