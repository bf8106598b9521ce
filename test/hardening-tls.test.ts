// TLS: gen-cert makes a usable self-signed certificate, the daemon serves plain TCP and TLS
// together through one core (a real client library on each side exchanging messages), and bad
// TLS settings fail at start-up with one line and exit code 2. Needs the openssl program.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/core/state.js';
import { startServer, type RunningServer } from '../src/shell/server.js';
import { genCert, loadTls } from '../src/shell/tls.js';
import { Client, type IrcClient as Framework } from './irc-framework.js';

interface IrcEvent {
  nick: string;
  target: string;
  message: string;
}
type IrcClient = Framework<IrcEvent>;

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'pureircd');
const dir = mkdtempSync(join(tmpdir(), 'pureircd-tls-'));
let certFile = '';
let keyFile = '';

const run = (args: string[]): { code: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

beforeAll(async () => {
  ({ certFile, keyFile } = await genCert({ outDir: join(dir, 'certs'), days: 2, host: 'localhost' }));
  // The CLI tests run bin/pureircd, i.e. dist/: build when it is older than these sources.
  const built = join(ROOT, 'dist', 'src', 'shell', 'tls.js');
  const mine = ['src/shell/tls.ts', 'src/shell/cli.ts', 'src/shell/hash-password.ts'].map((f) => statSync(join(ROOT, f)).mtimeMs);
  if (!existsSync(built) || statSync(built).mtimeMs < Math.max(...mine))
    spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.json')], { stdio: 'ignore' });
}, 60_000);

describe('gen-cert', () => {
  it('writes a certificate and a private key readable only by the owner', async () => {
    expect(readFileSync(certFile, 'utf8')).toContain('BEGIN CERTIFICATE');
    expect(readFileSync(keyFile, 'utf8')).toContain('PRIVATE KEY');
    expect(statSync(keyFile).mode & 0o077).toBe(0);
    const material = await loadTls(certFile, keyFile);
    expect(material.cert.length).toBeGreaterThan(100);
  });

  it('refuses to overwrite existing files', async () => {
    await expect(genCert({ outDir: join(dir, 'certs'), days: 2, host: 'localhost' })).rejects.toThrow(/already exists/);
  });
});

describe('plain and TLS clients on one server', () => {
  let server: RunningServer | null = null;
  const clients: IrcClient[] = [];
  afterAll(async () => {
    for (const c of clients) c.quit('bye');
    await server?.close();
  });

  const connect = (opts: Record<string, unknown>, nick: string): Promise<{ next: () => Promise<IrcEvent> }> =>
    new Promise((resolve, reject) => {
      const client = new Client<IrcEvent>({ auto_reconnect: false });
      clients.push(client);
      const inbox: IrcEvent[] = [];
      const waiters: ((e: IrcEvent) => void)[] = [];
      client.on('privmsg', (e) => {
        const w = waiters.shift();
        if (w) w(e);
        else inbox.push(e);
      });
      const next = (): Promise<IrcEvent> => {
        const e = inbox.shift();
        return e ? Promise.resolve(e) : new Promise((r) => waiters.push(r));
      };
      client.once('registered', () => resolve({ next }));
      client.once('close', () => reject(new Error(`${nick} closed before registering`)));
      client.connect({ host: '127.0.0.1', nick, username: nick, gecos: nick, ...opts });
    });

  it('registers a TLS client (irc-framework) and exchanges messages with a plain one', async () => {
    const material = await loadTls(certFile, keyFile);
    server = await startServer({ config: { ...defaultConfig, createdAt: Date.now() }, host: '127.0.0.1', port: 0, tls: { port: 0, ...material } });
    expect(server.tlsPort).not.toBeNull();
    expect(server.tlsPort).not.toBe(server.port);
    const secure = await connect({ port: server.tlsPort, tls: true, rejectUnauthorized: false }, 'secure');
    const plain = await connect({ port: server.port }, 'plain');
    clients[0]!.say('plain', 'hello over TLS');
    expect(await plain.next()).toMatchObject({ nick: 'secure', message: 'hello over TLS' });
    clients[1]!.say('secure', 'hello in the clear');
    expect(await secure.next()).toMatchObject({ nick: 'plain', message: 'hello in the clear' });
    // The core was told which connection is TLS (WHOIS shows 671 from this flag).
    const byNick = new Map([...server.state().clients.values()].map((c) => [c.nick, c.tls]));
    expect(byNick.get('secure')).toBe(true);
    expect(byNick.get('plain')).toBe(false);
  }, 20_000);
});

describe('bad TLS settings stop the start-up with one line and exit code 2', () => {
  const garbage = join(dir, 'garbage.pem');
  writeFileSync(garbage, 'not a certificate\n');
  const cases: [string, string[], RegExp][] = [
    ['missing certificate file', ['--tls-cert', join(dir, 'nope.pem'), '--tls-key', join(dir, 'certs', 'key.pem')], /cannot read TLS certificate .*nope\.pem \(ENOENT\)/],
    ['certificate without key', ['--tls-cert', join(dir, 'certs', 'cert.pem')], /needs its key/],
    ['key without certificate', ['--tls-key', join(dir, 'certs', 'key.pem')], /needs its certificate/],
    ['TLS port without files', ['--tls-port', '6697'], /--tls-port needs --tls-cert and --tls-key/],
    ['unparseable certificate', ['--tls-cert', garbage, '--tls-key', join(dir, 'certs', 'key.pem')], /invalid TLS certificate .*garbage\.pem/],
  ];
  for (const [name, args, message] of cases) {
    it(name, () => {
      const r = run(['--port', '1', ...args]);
      expect(r.code).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
    });
  }
});
