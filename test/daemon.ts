// The real daemon (bin/pureircd, built to dist/) as a child process, for tests that measure it
// from outside: its memory (Linux /proc), its exit code and time after a signal, its logs.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');
export const BIN = join(ROOT, 'bin', 'pureircd');

const newest = (d: string): number =>
  readdirSync(d, { withFileTypes: true }).reduce((m, e) => {
    const p = join(d, e.name);
    if (e.isDirectory()) return Math.max(m, newest(p));
    return e.name.endsWith('.ts') ? Math.max(m, statSync(p).mtimeMs) : m;
  }, 0);

/** Build dist/ when it is older than src/ (type errors elsewhere do not stop the emit). */
export const ensureBuilt = (): void => {
  const built = join(ROOT, 'dist', 'src', 'shell', 'cli.js');
  if (existsSync(built) && statSync(built).mtimeMs >= newest(join(ROOT, 'src'))) return;
  spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.json')], {
    stdio: 'ignore',
  });
  if (!existsSync(built)) throw new Error('tsc did not produce dist/');
};

export const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

/** Write a JSON config file to a fresh temporary directory; returns its path. */
export const configFile = (config: unknown): string => {
  const p = join(mkdtempSync(join(tmpdir(), 'pureircd-daemon-')), 'config.json');
  writeFileSync(p, JSON.stringify(config));
  return p;
};

export interface Daemon {
  readonly child: ChildProcess;
  readonly port: number;
  readonly exited: Promise<number | null>;
  stderr(): string;
}

/** Spawn `bin/pureircd ARGV` and wait for its "listening" line; reject if it exits first. */
export const spawnDaemon = async (argv: string[], nodeArgs: string[] = []): Promise<Omit<Daemon, 'port'>> => {
  const child = spawn(process.execPath, [...nodeArgs, BIN, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('listening on')) resolve();
    });
    void exited.then((code) => reject(new Error(`daemon exited ${code}: ${err}`)));
  });
  return { child, exited, stderr: () => err };
};

/**
 * Spawn the daemon on a free loopback port and wait for its "listening" line. `nodeArgs` go to
 * node itself, e.g. a small young generation so RSS follows live memory, not GC slack.
 */
export const startDaemon = async (args: string[] = [], nodeArgs: string[] = []): Promise<Daemon> => {
  const port = await freePort();
  return { ...(await spawnDaemon(['--host', '127.0.0.1', '--port', String(port), ...args], nodeArgs)), port };
};

/** A process's resident set now and at its peak (VmRSS, VmHWM), in bytes (Linux). */
export const memoryOf = (pid: number): { rss: number; peak: number } => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
};

export const MiB = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
