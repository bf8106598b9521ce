// The command line: `pureircd [PORT [PASSWORD]] [flags]` and `pureircd replay FILE [...]`.
// Usage errors (bad flag, bad port, missing value, bad config or MOTD file) print ONE line on
// stderr and exit 2; a listener that cannot start exits 1; SIGINT/SIGTERM stop cleanly, exit 0.
import { readFile } from 'node:fs/promises';
import { isLeft } from 'fp-ts/lib/Either.js';
import { ServerName, Text, Word, decodePartialServerConfig, mergeConfig } from '../core/config.js';
import { defaultConfig, type OperCredential, type ServerConfig } from '../core/state.js';
import { DEFAULT_HOST, ListenError } from './listen.js';
import { LOG_LEVELS, isLogLevel } from './logger.js';
import { startServer, type ReloadOutcome } from './server.js';
import { warmUp, warmUpSockets } from './warmup.js';
import { DEFAULT_TLS_PORT, genCert, loadTls, type TlsMaterial } from './tls.js';

export const DEFAULT_PORT = 6667;

export const HELP = `Usage: pureircd [PORT [PASSWORD]] [options]
       pureircd replay FILE [...]     (see pureircd replay --help)
       pureircd gen-cert [--out DIR] [--days N] [--host NAME]
                                      self-signed TLS certificate for development
       pureircd hash-password         scrypt hash of a password read from stdin

An IRC server whose protocol logic is one pure function.

Options (they override the config file):
  PORT                    same as --port (ft_irc form: pureircd 6667 secret)
  PASSWORD                same as --password
  --host ADDR             address to listen on (default ${DEFAULT_HOST}, which adds :: for IPv6)
  --port N                TCP port, 1-65535 (default ${DEFAULT_PORT})
  --password PASS         connection password clients must send with PASS (default: none)
  --server-name NAME      server name (default ${defaultConfig.serverName})
  --server-info TEXT      server description
  --oper NAME:PASSWORD    an operator account for OPER (repeatable)
  --motd FILE             message of the day, one line per line (default: none, 422)
  --tls-port N            also accept TLS connections on port N (default ${DEFAULT_TLS_PORT}
                          when --tls-cert and --tls-key are given)
  --tls-cert FILE         TLS certificate chain (PEM)
  --tls-key FILE          TLS private key (PEM)
  --record FILE           record every input to FILE for pureircd replay (passwords redacted)
  --config FILE           JSON config: any ServerConfig field (serverName, limits.nickLen, ...),
                          plus "host", "port", "tlsPort", "tlsCert", "tlsKey".
                          SIGHUP or REHASH reloads it (and the MOTD file)
  --log-level LEVEL       ${LOG_LEVELS.join(', ')} (default info)
  -h, --help              show this help
`;

export interface CliArgs {
  host?: string;
  port?: number;
  password?: string;
  serverName?: string;
  serverInfo?: string;
  opers: OperCredential[];
  motdFile?: string;
  recordFile?: string;
  configFile?: string;
  logLevel?: string;
  tlsPort?: number;
  tlsCert?: string;
  tlsKey?: string;
}

export type Parsed = { readonly _tag: 'Help' } | { readonly _tag: 'Run'; readonly args: CliArgs } | { readonly _tag: 'Error'; readonly message: string };

const VALUE_FLAGS = [
  '--host',
  '--port',
  '--password',
  '--server-name',
  '--server-info',
  '--oper',
  '--motd',
  '--record',
  '--config',
  '--log-level',
  '--tls-port',
  '--tls-cert',
  '--tls-key',
] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];
const isValueFlag = (s: string): s is ValueFlag => (VALUE_FLAGS as readonly string[]).includes(s);

const parsePort = (s: string): number | null => {
  if (!/^[0-9]{1,5}$/.test(s)) return null;
  const n = Number(s);
  return n >= 1 && n <= 65535 ? n : null;
};

/** Pure: argv (without node and script) → what to do. */
export const parseArgs = (argv: readonly string[]): Parsed => {
  const args: CliArgs = { opers: [] };
  const positional: string[] = [];
  const fail = (message: string): Parsed => ({ _tag: 'Error', message });
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') return { _tag: 'Help' };
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (!isValueFlag(flag)) return fail(`unknown option ${flag} (see --help)`);
    let value: string;
    if (eq > 0) value = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) return fail(`option ${flag} needs a value`);
      value = next;
      i++;
    }
    const error = setFlag(args, flag, value);
    if (error !== null) return fail(error);
  }
  if (positional.length > 2) return fail(`unexpected argument "${positional[2]}" (see --help)`);
  // Positional PORT and PASSWORD are validated like their flags; an explicit flag wins.
  const [port, password] = positional;
  const fromPositional: CliArgs = { opers: [] };
  for (const [flag, value] of [['--port', port], ['--password', password]] as const) {
    if (value === undefined) continue;
    const error = setFlag(fromPositional, flag, value);
    if (error !== null) return fail(error);
  }
  const merged: CliArgs = {
    ...args,
    port: args.port ?? fromPositional.port,
    password: args.password ?? fromPositional.password,
  };
  return { _tag: 'Run', args: merged };
};

/** Validate and store one flag; returns an error message or null. */
const setFlag = (args: CliArgs, flag: ValueFlag, value: string): string | null => {
  switch (flag) {
    case '--host':
      if (value === '') return 'option --host needs an address';
      args.host = value;
      return null;
    case '--port': {
      const port = parsePort(value);
      if (port === null) return `invalid port "${value}" (expected a number from 1 to 65535)`;
      args.port = port;
      return null;
    }
    case '--password':
      if (!Word.is(value)) return 'invalid password: expected a non-empty string without spaces';
      args.password = value;
      return null;
    case '--server-name':
      if (!ServerName.is(value)) return `invalid server name "${value}": expected ${ServerName.name}`;
      args.serverName = value;
      return null;
    case '--server-info':
      if (!Text.is(value)) return 'invalid --server-info: expected text without CR, LF or NUL';
      args.serverInfo = value;
      return null;
    case '--oper': {
      const colon = value.indexOf(':');
      const name = value.slice(0, colon);
      const password = value.slice(colon + 1);
      // The value holds a password: the message must never repeat it.
      if (colon <= 0 || !Word.is(name) || !Word.is(password)) return 'invalid --oper: expected NAME:PASSWORD (no spaces)';
      args.opers = [...args.opers, { name, password }];
      return null;
    }
    case '--motd':
      args.motdFile = value;
      return null;
    case '--record':
      args.recordFile = value;
      return null;
    case '--config':
      args.configFile = value;
      return null;
    case '--tls-port': {
      const port = parsePort(value);
      if (port === null) return `invalid TLS port "${value}" (expected a number from 1 to 65535)`;
      args.tlsPort = port;
      return null;
    }
    case '--tls-cert':
      args.tlsCert = value;
      return null;
    case '--tls-key':
      args.tlsKey = value;
      return null;
    case '--log-level':
      if (!isLogLevel(value)) return `invalid log level "${value}" (one of ${LOG_LEVELS.join(', ')})`;
      args.logLevel = value;
      return null;
    default: {
      const unreachable: never = flag;
      return `unknown option ${String(unreachable)}`;
    }
  }
};

export interface Settings {
  readonly config: ServerConfig;
  readonly host: string;
  readonly port: number;
  readonly recordFile?: string;
  readonly logLevel: string;
  /** TLS listener: both files named, port defaulted to 6697. */
  readonly tls?: { readonly port: number; readonly certFile: string; readonly keyFile: string };
}

const errnoOf = (err: unknown): string =>
  typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : String(err);

/** The MOTD file's lines (bytes kept as latin1 chars, like everything the core sees). */
export const readMotd = async (file: string): Promise<string[]> => {
  const text = await readFile(file, 'latin1');
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
};

/** Read the config and MOTD files and lay the flags over them. Rejects with a one-line message. */
export const resolveSettings = async (args: CliArgs, now: number): Promise<Settings> => {
  let config: ServerConfig = { ...defaultConfig, createdAt: now };
  let host = DEFAULT_HOST;
  let port = DEFAULT_PORT;
  let tlsPort: number | undefined;
  let tlsCert: string | undefined;
  let tlsKey: string | undefined;
  if (args.configFile !== undefined) {
    const where = `config file ${args.configFile}`;
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(args.configFile, 'utf8'));
    } catch (err) {
      // Only the position: V8's message quotes the file's text, which may hold a password.
      throw new Error(err instanceof SyntaxError ? `${where}: not valid JSON${jsonReason(err)}` : `cannot read ${where} (${errnoOf(err)})`);
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`${where}: expected a JSON object`);
    const { host: h, port: p, tlsPort: tp, tlsCert: tc, tlsKey: tk, ...rest } = raw as Record<string, unknown>;
    if (tp !== undefined) {
      if (typeof tp !== 'number' || !Number.isInteger(tp) || tp < 1 || tp > 65535)
        throw new Error(`${where}: tlsPort: expected a number from 1 to 65535`);
      tlsPort = tp;
    }
    for (const [k, v] of [['tlsCert', tc], ['tlsKey', tk]] as const) {
      if (v === undefined) continue;
      if (typeof v !== 'string' || v === '') throw new Error(`${where}: ${k}: expected a file name`);
      if (k === 'tlsCert') tlsCert = v;
      else tlsKey = v;
    }
    if (h !== undefined) {
      if (typeof h !== 'string' || h === '') throw new Error(`${where}: host: expected an address`);
      host = h;
    }
    if (p !== undefined) {
      if (typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > 65535)
        throw new Error(`${where}: port: expected a number from 1 to 65535`);
      port = p;
    }
    const decoded = decodePartialServerConfig(rest);
    if (isLeft(decoded)) throw new Error(`${where}: ${decoded.left}`);
    config = mergeConfig(config, decoded.right);
    config = { ...config, createdAt: now, configFile: args.configFile };
  }
  let motd = config.motd;
  if (args.motdFile !== undefined) {
    try {
      motd = await readMotd(args.motdFile);
    } catch (err) {
      throw new Error(`cannot read MOTD file ${args.motdFile} (${errnoOf(err)})`);
    }
  }
  config = {
    ...config,
    motd,
    ...(args.serverName !== undefined ? { serverName: args.serverName } : {}),
    ...(args.serverInfo !== undefined ? { serverInfo: args.serverInfo } : {}),
    ...(args.password !== undefined ? { password: args.password } : {}),
    ...(args.opers.length > 0 ? { opers: args.opers } : {}),
  };
  tlsPort = args.tlsPort ?? tlsPort;
  tlsCert = args.tlsCert ?? tlsCert;
  tlsKey = args.tlsKey ?? tlsKey;
  if ((tlsCert === undefined) !== (tlsKey === undefined))
    throw new Error(tlsCert === undefined ? 'a TLS key needs its certificate (--tls-cert)' : 'a TLS certificate needs its key (--tls-key)');
  if (tlsPort !== undefined && tlsCert === undefined) throw new Error('--tls-port needs --tls-cert and --tls-key');
  return {
    config,
    ...(tlsCert !== undefined && tlsKey !== undefined
      ? { tls: { port: tlsPort ?? DEFAULT_TLS_PORT, certFile: tlsCert, keyFile: tlsKey } }
      : {}),
    host: args.host ?? host,
    port: args.port ?? port,
    ...(args.recordFile !== undefined ? { recordFile: args.recordFile } : {}),
    logLevel: args.logLevel ?? 'info',
  };
};

/**
 * ` (Unexpected end of JSON input)`: V8's reason without the excerpt of the file it quotes
 * (`..."password": hunter2}" is not valid JSON`) or the offending character, either of which
 * may be part of a password.
 */
const jsonReason = (err: SyntaxError): string => {
  const reason = err.message
    .replace(/, (\.\.\.)?".*$/s, '')
    .replace(/token '.*?'/, 'token')
    .trim();
  return reason === '' ? '' : ` (${reason})`;
};

/** Re-read the config (and MOTD) files, with the flags laid over them again, for REHASH/SIGHUP. */
const reloader =
  (args: CliArgs, createdAt: number) =>
  async (): Promise<ReloadOutcome> => {
    if (args.configFile === undefined && args.motdFile === undefined)
      return { ok: false, reason: 'nothing to reload: the server was started without --config or --motd' };
    try {
      return { ok: true, config: (await resolveSettings(args, createdAt)).config };
    } catch (err) {
      return { ok: false, reason: err instanceof Error ? err.message : String(err) };
    }
  };

const GEN_CERT_HELP = `Usage: pureircd gen-cert [--out DIR] [--days N] [--host NAME]

Writes DIR/cert.pem and DIR/key.pem (default DIR .): a self-signed certificate for NAME
(default localhost), valid N days (default 365), for development. Needs the openssl program.
Then: pureircd --tls-cert DIR/cert.pem --tls-key DIR/key.pem
`;

async function genCertMain(argv: readonly string[]): Promise<number> {
  let outDir = '.';
  let days = 365;
  let host = 'localhost';
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '-h' || flag === '--help') {
      process.stdout.write(GEN_CERT_HELP);
      return 0;
    }
    const value = argv[i + 1];
    if (!['--out', '--days', '--host'].includes(flag)) return (say(`gen-cert: unknown option ${flag}`), 2);
    if (value === undefined) return (say(`gen-cert: option ${flag} needs a value`), 2);
    i++;
    if (flag === '--out') outDir = value;
    else if (flag === '--days') {
      if (!/^[1-9][0-9]{0,4}$/.test(value)) return (say(`gen-cert: invalid --days "${value}" (1 to 99999)`), 2);
      days = Number(value);
    } else {
      if (!ServerName.is(value)) return (say(`gen-cert: invalid --host "${value}": expected ${ServerName.name}`), 2);
      host = value;
    }
  }
  try {
    const { certFile, keyFile } = await genCert({ outDir, days, host });
    process.stdout.write(`wrote ${certFile} and ${keyFile} (self-signed for ${host}, ${days} days)
run: pureircd --tls-cert ${certFile} --tls-key ${keyFile}
`);
    return 0;
  } catch (err) {
    say(err instanceof Error ? err.message : String(err));
    return 2;
  }
}

const say = (line: string): void => {
  process.stderr.write(`pureircd: ${line}\n`);
};

/**
 * Run the CLI; resolves with the exit code (after a signal, for the server). `entry` is the
 * script node was started with (bin/pureircd passes it): `replay` re-runs it under the fold's
 * heap (see replay/heap.ts). Called without it, as a library, replay folds in this process.
 */
export async function main(argv: readonly string[], opts: { readonly entry?: string } = {}): Promise<number> {
  if (argv[0] === 'replay') {
    if (opts.entry !== undefined) {
      const { rerunWithFoldHeap } = await import('../replay/heap.js');
      const code = rerunWithFoldHeap(opts.entry, argv);
      if (code !== null) return code;
    }
    const { replayMain } = await import('../replay/cli.js');
    return replayMain(argv.slice(1));
  }
  if (argv[0] === 'gen-cert') return genCertMain(argv.slice(1));
  if (argv[0] === 'hash-password') {
    const { hashPasswordMain } = await import('./hash-password.js');
    return hashPasswordMain(argv.slice(1));
  }
  const parsed = parseArgs(argv);
  if (parsed._tag === 'Help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (parsed._tag === 'Error') {
    say(parsed.message);
    return 2;
  }
  let settings: Settings;
  try {
    settings = await resolveSettings(parsed.args, Date.now());
  } catch (err) {
    say(err instanceof Error ? err.message : String(err));
    return 2;
  }
  let tls: ({ port: number } & TlsMaterial) | undefined;
  if (settings.tls !== undefined) {
    try {
      tls = { port: settings.tls.port, ...(await loadTls(settings.tls.certFile, settings.tls.keyFile)) };
    } catch (err) {
      say(err instanceof Error ? err.message : String(err));
      return 2;
    }
  }
  // Compile the hot paths before the first client arrives (see warmup.ts): the core's, then
  // the socket path's, each on a throwaway instance.
  warmUp(settings.config);
  await warmUpSockets(settings.config);
  let server;
  try {
    server = await startServer({
      ...(tls !== undefined ? { tls } : {}),
      reload: reloader(parsed.args, settings.config.createdAt),
      config: settings.config,
      host: settings.host,
      port: settings.port,
      logLevel: settings.logLevel,
      ...(settings.recordFile !== undefined ? { recordFile: settings.recordFile } : {}),
    });
  } catch (err) {
    if (err instanceof ListenError) {
      say(err.message);
      return 1;
    }
    say(`cannot write record file ${settings.recordFile ?? ''} (${errnoOf(err)})`);
    return 2;
  }
  const tlsNote = server.tlsPort === null ? '' : ` and TLS port ${server.tlsPort}`;
  process.stdout.write(`pureircd: ${settings.config.serverName} listening on ${settings.host} port ${server.port}${tlsNote}\n`);
  return new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) process.exit(signal === 'SIGINT' ? 130 : 143); // a second signal: at once
      stopping = true;
      server.close('Server shutting down').then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    // SIGHUP: reload the config file (and MOTD) like REHASH; the outcome is logged.
    process.on('SIGHUP', () => server.reload());
  });
}
