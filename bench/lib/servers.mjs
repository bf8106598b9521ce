// Starting the servers under test: pureircd (this repository, built to dist/) and the peers
// ngircd and InspIRCd from Debian, each with a generated configuration in a temporary directory:
// loopback only, its own port, flood/penalty limits off (except in the `flood` scenario), connection limits raised, no ident or
// DNS lookups, a one-line MOTD (so every server's welcome burst is of similar size).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The pureircd build to run: dist/ by default, or a snapshot (PUREIRCD_DIST=bench/.dist). */
export const DIST = path.resolve(ROOT, process.env.PUREIRCD_DIST ?? 'dist');
/**
 * Descriptor limit asked for: as many as the hard limit allows (a container may cap it, and
 * only the hard limit can be reached without privileges). 10 000 clients need ~10 050.
 */
export const FD_LIMIT = 200_000;
export const RAISE_FDS = `ulimit -n ${FD_LIMIT} 2>/dev/null || ulimit -n "$(ulimit -Hn)"`;

const PEER_BIN = { ngircd: '/usr/sbin/ngircd', inspircd: '/usr/sbin/inspircd' };

/** Install ngircd and InspIRCd from Debian if either is missing (apt-get update once). */
export function ensurePeers() {
  if (Object.values(PEER_BIN).every((b) => existsSync(b))) return;
  console.error('installing ngircd and inspircd from Debian...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', 'ngircd', 'inspircd'], { stdio: 'inherit', env });
  // Debian starts the packaged daemons on install; they would take CPU and port 6667.
  for (const s of ['ngircd', 'inspircd']) {
    try {
      execFileSync('service', [s, 'stop'], { stdio: 'ignore' });
    } catch {
      /* not running, or no service manager: fine */
    }
  }
}

function ngircdConfig(dir, port, floodDefaults) {
  const motd = path.join(dir, 'motd');
  writeFileSync(motd, 'bench\n');
  const conf = `[Global]
	Name = irc.bench
	Info = bench
	Listen = 127.0.0.1
	Ports = ${port}
	MotdFile = ${motd}
	PidFile = ${path.join(dir, 'ngircd.pid')}
[Limits]
	MaxConnections = 0
	MaxConnectionsIP = 0
	MaxJoins = 0
	MaxNickLength = 30
${floodDefaults ? '' : '\tMaxPenaltyTime = 0\n'}	PingTimeout = 600
	PongTimeout = 600
	IdleTimeout = 0
[Options]
	DNS = no
	Ident = no
	PAM = no
	RequireAuthPing = no
`;
  const file = path.join(dir, 'ngircd.conf');
  writeFileSync(file, conf);
  return [PEER_BIN.ngircd, ['--nodaemon', '--config', file]];
}

function inspircdConfig(dir, port, floodDefaults) {
  const motd = path.join(dir, 'motd');
  writeFileSync(motd, 'bench\n');
  const conf = `<server name="irc.bench" description="bench" network="bench">
<admin name="bench" nick="bench" email="bench@localhost">
<bind address="127.0.0.1" port="${port}" type="clients">
<power diepass="" restartpass="">
<path configdir="${dir}" datadir="${dir}" logdir="${dir}" runtimedir="${dir}">
<pid file="${path.join(dir, 'inspircd.pid')}">
<connect name="bench" allow="*" timeout="60" pingfreq="600"${
    floodDefaults
      ? ''
      : `
         threshold="1000000" commandrate="100000000" fakelag="no"
         softsendq="10485760" hardsendq="104857600" recvq="1048576"`
  }
         localmax="1000000" globalmax="1000000" maxconnwarn="no" limit="1000000"
         resolvehostnames="no" useident="no" maxchans="100">
<files motd="${motd}">
<channels users="100" opers="100">
<dns timeout="1">
<performance netbuffersize="65536" somaxconn="4096" softlimit="100000" clonesonconnect="no" nouserdns="yes">
<options defaultmodes="nt">
<security maxtargets="20">
<log method="file" type="* -USERINPUT -USEROUTPUT" level="default" target="${path.join(dir, 'ircd.log')}">
`;
  const file = path.join(dir, 'inspircd.conf');
  writeFileSync(file, conf);
  return [PEER_BIN.inspircd, ['--config', file, '--nofork', '--runasroot', '--nopid']];
}

function pureircdConfig(dir, port, floodDefaults) {
  if (!existsSync(path.join(DIST, 'src/shell/cli.js'))) throw new Error(`pureircd is not built in ${DIST}: run \`npm run build\` first`);
  // The same policy as the peers': flood control off, no connection limits, one-line MOTD.
  const config = {
    serverName: 'irc.bench',
    motd: ['bench'],
    pingIntervalMs: 600_000,
    ...(floodDefaults ? {} : { flood: { enabled: false } }),
    limits: { maxClients: 0, maxClientsPerHost: 0, maxChannels: 100 },
  };
  const file = path.join(dir, 'pureircd.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  // The daemon runs with the V8 flags `npm start` gives it (package.json config.nodeFlags),
  // then any extra (PUREIRCD_NODE_ARGS, e.g. --cpu-prof).
  const flags = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).config.nodeFlags.split(' ').filter(Boolean);
  const extra = process.env.PUREIRCD_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  return [process.execPath, [...flags, ...extra, path.join(ROOT, 'bench/lib/launch.mjs'), DIST, '--config', file, '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warn']];
}

/** Resolve once something accepts TCP connections on the port (or reject after timeoutMs). */
export async function waitForPort(port, timeoutMs = 15_000, child = null) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child !== null && child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode}`);
    const ok = await new Promise((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listening on port ${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Start a server pinned to `cpu` with a raised descriptor limit. Returns { pid, stop(), log() }.
 * `floodDefaults`: keep the server's own default flood control (the `flood` scenario) instead
 * of turning it off; connection limits stay raised either way.
 * The pid is the server itself (sh and taskset exec into it), so /proc/PID is the server's.
 */
export async function startServer(name, port, cpu, { floodDefaults = false } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `bench-${name}-`));
  const [cmd, args] =
    name === 'ngircd'
      ? ngircdConfig(dir, port, floodDefaults)
      : name === 'inspircd'
        ? inspircdConfig(dir, port, floodDefaults)
        : pureircdConfig(dir, port, floodDefaults);
  const child = spawn('sh', ['-c', `${RAISE_FDS}; exec "$@"`, 'sh', 'taskset', '-c', String(cpu), cmd, ...args], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d) => {
    output = (output + d.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  try {
    await waitForPort(port, 15_000, child);
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${name} did not start: ${e.message}\n${output}`);
  }
  return {
    name,
    pid: child.pid,
    dir,
    log: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
