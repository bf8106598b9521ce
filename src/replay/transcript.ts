// Spec transcripts (spec/README.md): parse the `.irc` format into blocks (one action and the
// lines it must cause) and run them through the pure core with a virtual clock. The live runner
// (test/spec.test.ts) reuses the parser, the blocks and `compareBlock`, so both modes judge a
// transcript by exactly the same rules.
import { recipientsOf, stamped, taggedLine, type Effect } from '../core/effect.js';
import { isLeft } from 'fp-ts/lib/Either.js';
import { decodeServerConfig } from '../core/config.js';
import { apply, type Input } from '../core/input.js';
import { checkInvariants } from '../core/invariants.js';
import { parse } from '../core/message.js';
import { defaultConfig, initialState, type ServerConfig, type State } from '../core/state.js';

/** The clock's start and the server's creation time in every transcript. */
export const T0 = 1_700_000_000_000;

export type Action =
  | { readonly kind: 'connects'; readonly client: string; readonly address: string; readonly tls: boolean }
  | { readonly kind: 'registers'; readonly client: string; readonly address: string }
  | { readonly kind: 'send'; readonly client: string; readonly text: string }
  | { readonly kind: 'disconnects'; readonly client: string; readonly reason: string }
  | { readonly kind: 'wait'; readonly ms: number }
  /** The clock moves with no tick: how exported sessions keep the time between two inputs. */
  | { readonly kind: 'clock'; readonly ms: number };

/** An action and everything it must cause, per client, in order. */
export interface Block {
  /** 1-based line of the action in the file. */
  readonly line: number;
  /** The action's source text, for messages. */
  readonly source: string;
  readonly action: Action;
  readonly expect: ReadonlyMap<string, readonly string[]>;
  /** Clients whose connection the server must close during this action. */
  readonly closes: ReadonlySet<string>;
}

export interface Transcript {
  readonly config: ServerConfig;
  readonly blocks: readonly Block[];
}

export interface ParseError {
  readonly line: number;
  readonly message: string;
}

export type ParseOutcome =
  | { readonly ok: true; readonly transcript: Transcript }
  | { readonly ok: false; readonly errors: readonly ParseError[] };

// Default connection address and the client login `registers` uses.
export const DEFAULT_ADDRESS = '127.0.0.1';
export const DEFAULT_DISCONNECT_REASON = 'Connection closed';

const NAME = '([A-Za-z_][\\w-]*)';
const RE = {
  config: /^config(?:\s+(.*))?$/,
  wait: /^wait\s+(\S+)$/,
  clock: /^clock\s+\+(\S+)$/,
  send: new RegExp(`^${NAME}>(?: (.*))?$`),
  expect: new RegExp(`^${NAME}<(?: (.*))?$`),
  connects: new RegExp(`^${NAME} connects(?: from (\\S+))?( tls)?$`),
  registers: new RegExp(`^${NAME} registers(?: from (\\S+))?$`),
  disconnects: new RegExp(`^${NAME} disconnects(?: (.+))?$`),
  closed: new RegExp(`^${NAME} closed$`),
};

/** `500ms`, `30s`, `2m`, `1h` → milliseconds; null if malformed. */
export const parseDuration = (s: string): number | null => {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(s);
  if (!m) return null;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(m[1]) * unit);
};

const parseJson = (s: string): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(s) };
  } catch {
    return { ok: false };
  }
};

/**
 * `KEY=VALUE ...` pairs. A value runs to the next ` key=` so `motd=Hello|Second line` keeps
 * its space.
 */
const splitPairs = (text: string): [string, string][] | null => {
  const starts = [...text.matchAll(/(?:^|\s+)([A-Za-z][\w.]*)=/g)];
  if (starts.length === 0 || text.slice(0, starts[0]!.index).trim() !== '') return null;
  return starts.map((m, i) => {
    const end = i + 1 < starts.length ? starts[i + 1]!.index : text.length;
    return [m[1]!, text.slice(m.index + m[0].length, end)];
  });
};

/**
 * Apply one `key=value` over a config. The value's type follows the default's: numbers and
 * booleans must parse as JSON of that type, strings stay raw, `motd` splits on `|`, `oper`
 * appends `name:password`. Returns an error message or the new config.
 */
export const applyConfigPair = (config: ServerConfig, key: string, raw: string): ServerConfig | string => {
  if (key === 'oper') {
    const colon = raw.indexOf(':');
    if (colon <= 0) return `oper must be name:password, got '${raw}'`;
    return { ...config, opers: [...config.opers, { name: raw.slice(0, colon), password: raw.slice(colon + 1) }] };
  }
  if (key === 'motd') {
    const j = parseJson(raw);
    if (j.ok && (j.value === null || (Array.isArray(j.value) && j.value.every((x) => typeof x === 'string'))))
      return { ...config, motd: j.value as string[] | null };
    return { ...config, motd: raw.split('|') };
  }
  if (key === 'password') return { ...config, password: raw === 'null' ? null : raw };
  if (key === 'configFile') return { ...config, configFile: raw === 'null' ? null : raw };
  const path = key.split('.');
  const set = (obj: Record<string, unknown>, i: number): Record<string, unknown> | string => {
    const k = path[i]!;
    if (!Object.prototype.hasOwnProperty.call(obj, k)) return `unknown config key '${key}'`;
    const current = obj[k];
    if (i < path.length - 1) {
      if (typeof current !== 'object' || current === null || Array.isArray(current)) return `unknown config key '${key}'`;
      const inner = set(current as Record<string, unknown>, i + 1);
      return typeof inner === 'string' ? inner : { ...obj, [k]: inner };
    }
    const j = parseJson(raw);
    if (typeof current === 'string') return { ...obj, [k]: j.ok && typeof j.value === 'string' ? j.value : raw };
    if (!j.ok || (current !== null && typeof j.value !== typeof current) || Array.isArray(j.value) !== Array.isArray(current))
      return `config ${key} wants ${Array.isArray(current) ? 'a JSON array' : typeof current}, got '${raw}'`;
    return { ...obj, [k]: j.value };
  };
  const next = set(config as unknown as Record<string, unknown>, 0);
  return typeof next === 'string' ? next : (next as unknown as ServerConfig);
};

/**
 * A transcript's starting config: the defaults, created at T0, flood control off (transcripts
 * send many lines at one instant; `config flood.enabled=true` turns it on).
 */
export const baseConfig = (): ServerConfig => ({
  ...defaultConfig,
  createdAt: T0,
  flood: { ...defaultConfig.flood, enabled: false },
});

/** Parse a transcript. Every problem is reported with its line number; none throws. */
export const parseTranscript = (text: string): ParseOutcome => {
  const errors: ParseError[] = [];
  const blocks: Block[] = [];
  let config = baseConfig();
  let current: { line: number; source: string; action: Action; expect: Map<string, string[]>; closes: Set<string> } | null = null;
  const known = new Set<string>();
  const flush = (): void => {
    if (current) blocks.push(current);
    current = null;
  };
  const begin = (line: number, source: string, action: Action): void => {
    flush();
    current = { line, source, action, expect: new Map(), closes: new Set() };
  };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const raw = lines[i]!.replace(/\r$/, '');
    const s = raw.replace(/^\s+/, '');
    if (s === '' || s.startsWith('#')) continue;
    const err = (message: string): void => void errors.push({ line: n, message });
    const needClient = (name: string): boolean => {
      if (known.has(name)) return true;
      err(`'${name}' is used before it connects`);
      return false;
    };
    let m: RegExpExecArray | null;
    if ((m = RE.config.exec(s))) {
      if (blocks.length > 0 || current) {
        err('config must come before any client');
        continue;
      }
      const pairs = splitPairs(m[1] ?? '');
      if (pairs === null) {
        err('config wants KEY=VALUE pairs');
        continue;
      }
      for (const [k, v] of pairs) {
        const next = applyConfigPair(config, k, v);
        if (typeof next === 'string') err(next);
        else config = next;
      }
    } else if ((m = RE.wait.exec(s))) {
      const ms = parseDuration(m[1]!);
      if (ms === null) err(`bad duration '${m[1]}' (use 500ms, 30s, 2m, 1h)`);
      else begin(n, s, { kind: 'wait', ms });
    } else if ((m = RE.clock.exec(s))) {
      const ms = parseDuration(m[1]!);
      if (ms === null) err(`bad duration '${m[1]}' (use +500ms, +30s, +2m, +1h)`);
      else begin(n, s, { kind: 'clock', ms });
    } else if ((m = RE.send.exec(s))) {
      if (needClient(m[1]!)) begin(n, s, { kind: 'send', client: m[1]!, text: m[2] ?? '' });
    } else if ((m = RE.expect.exec(s))) {
      const cur = current as { expect: Map<string, string[]>; closes: Set<string> } | null;
      if (cur === null) err('an expected line before any action');
      else if (needClient(m[1]!)) {
        if (cur.closes.has(m[1]!)) err(`'${m[1]}' receives a line after it was closed`);
        let box = cur.expect.get(m[1]!);
        if (!box) cur.expect.set(m[1]!, (box = []));
        box.push(m[2] ?? '');
      }
    } else if ((m = RE.connects.exec(s))) {
      known.add(m[1]!);
      begin(n, s, { kind: 'connects', client: m[1]!, address: m[2] ?? DEFAULT_ADDRESS, tls: m[3] !== undefined });
    } else if ((m = RE.registers.exec(s))) {
      known.add(m[1]!);
      begin(n, s, { kind: 'registers', client: m[1]!, address: m[2] ?? DEFAULT_ADDRESS });
    } else if ((m = RE.disconnects.exec(s))) {
      if (needClient(m[1]!)) begin(n, s, { kind: 'disconnects', client: m[1]!, reason: m[2] ?? DEFAULT_DISCONNECT_REASON });
    } else if ((m = RE.closed.exec(s))) {
      const cur = current as { closes: Set<string> } | null;
      if (cur === null) err('closed before any action');
      else if (needClient(m[1]!)) cur.closes.add(m[1]!);
    } else {
      err(`cannot understand '${s}'`);
    }
  }
  flush();
  const checked = decodeServerConfig(config);
  if (isLeft(checked)) errors.push({ line: 1, message: `config: ${checked.left}` });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, transcript: { config, blocks } };
};

/** What one action caused: lines per client name in order, and the clients closed. */
export interface Observed {
  readonly lines: ReadonlyMap<string, readonly string[]>;
  readonly closes: ReadonlySet<string>;
}

const indent = (lines: readonly string[]): string =>
  lines.length === 0 ? '      (nothing)' : lines.map((l) => '      ' + JSON.stringify(l).slice(1, -1)).join('\n');

/** Compare what a block expects with what happened; null when they agree, else readable text. */
export const compareBlock = (block: Block, seen: Observed): string | null => {
  const names = new Set([...block.expect.keys(), ...seen.lines.keys(), ...block.closes, ...seen.closes]);
  const parts: string[] = [];
  for (const name of [...names].sort()) {
    const want = block.expect.get(name) ?? [];
    const got = seen.lines.get(name) ?? [];
    if (want.length !== got.length || want.some((l, i) => l !== got[i])) {
      const at = want.findIndex((l, i) => l !== got[i]);
      parts.push(
        `  ${name}: lines differ${at >= 0 ? ` from line ${at + 1}` : ` (${got.length} received, ${want.length} expected)`}\n` +
          `    expected:\n${indent(want)}\n    received:\n${indent(got)}`,
      );
    }
    const wantClose = block.closes.has(name);
    if (wantClose !== seen.closes.has(name))
      parts.push(`  ${name}: ${wantClose ? 'expected the server to close the connection; it did not' : 'the server closed the connection unexpectedly'}`);
  }
  return parts.length === 0 ? null : `line ${block.line} (${block.source}):\n${parts.join('\n')}`;
};

/**
 * What `registers` does with the registering client's lines: drop the welcome burst (through
 * 376 or 422), keep anything after it. Returns null when no 001 arrived.
 */
export const dropWelcome = (lines: readonly string[]): string[] | null => {
  const verb = (l: string): string => {
    const p = parse(l);
    return p.ok ? p.message.verb : '';
  };
  const first = lines.findIndex((l) => verb(l) === '001');
  if (first < 0) return null;
  const end = lines.findIndex((l, i) => i > first && (verb(l) === '376' || verb(l) === '422'));
  return [...lines.slice(0, first), ...lines.slice(end < 0 ? lines.length : end + 1)];
};

/** The lines `registers` sends for `name` under `config`. */
export const registrationLines = (config: ServerConfig, name: string): string[] => [
  ...(config.password !== null ? [`PASS ${config.password}`] : []),
  `NICK ${name}`,
  `USER ${name} 0 * :${name}`,
];

export interface RunResult {
  readonly ok: boolean;
  /** The first failure, as readable text (parse errors, a mismatch, an invariant, a throw). */
  readonly failures: readonly string[];
  readonly state: State;
  readonly inputs: readonly Input[];
}

/** Run a transcript through the pure core. Stops at the first failing block. */
export const runTranscript = (text: string): RunResult => {
  const parsed = parseTranscript(text);
  const empty = initialState(baseConfig());
  if (!parsed.ok)
    return { ok: false, failures: parsed.errors.map((e) => `line ${e.line}: ${e.message}`), state: empty, inputs: [] };
  const { config, blocks } = parsed.transcript;
  let state = initialState(config);
  let now = T0;
  let seq = 0;
  let nextId = 1;
  const inputs: Input[] = [];
  const ids = new Map<string, number>();
  const names = new Map<number, string>();
  const closed = new Set<number>();
  /** Clients with IRCv3 server-time: their lines are stamped, as the shell does. */
  const timed = new Set<number>();
  /** Clients with IRCv3 message-tags: they get client-only tags and TAGMSG. */
  const tagged = new Set<number>();

  for (const block of blocks) {
    const lines = new Map<string, string[]>();
    const closes = new Set<string>();
    const feed = (input: Input): void => {
      inputs.push(input);
      const [next, effects] = apply(state, input);
      const bad = checkInvariants(next);
      if (bad.length > 0) throw new Error(`invariant broken after input ${input.seq}: ${bad.join('; ')}`);
      state = next;
      collect(effects, next.now);
    };
    /** `text` reaches client `id` (not after its Close: the shell writes nothing then). */
    const give = (id: number, text: string | null): void => {
      if (text === null || closed.has(id)) return;
      const name = names.get(id) ?? `#${id}`;
      let box = lines.get(name);
      if (!box) lines.set(name, (box = []));
      box.push(text);
    };
    const collect = (effects: readonly Effect[], at: number): void => {
      for (const e of effects) {
        if (e._tag === 'Send') {
          for (const id of recipientsOf(e)) give(id, timed.has(id) ? stamped(e.line, at) : e.line);
        } else if (e._tag === 'TaggedSend') {
          for (const id of recipientsOf(e)) give(id, taggedLine(e, at, timed.has(id), tagged.has(id)));
        } else if (e._tag === 'ServerTime') {
          if (e.on) timed.add(e.client);
          else timed.delete(e.client);
        } else if (e._tag === 'MessageTags') {
          if (e.on) tagged.add(e.client);
          else tagged.delete(e.client);
        } else if (e._tag === 'Close' && !closed.has(e.client)) {
          closed.add(e.client);
          closes.add(names.get(e.client) ?? `#${e.client}`);
        }
      }
    };
    const connect = (name: string, address: string, tls: boolean): number => {
      const id = nextId++;
      ids.set(name, id);
      names.set(id, name);
      feed({ _tag: 'ClientConnected', seq: ++seq, at: now, client: id, address, tls });
      return id;
    };
    const line = (name: string, text: string): void =>
      feed({ _tag: 'LineReceived', seq: ++seq, at: now, client: ids.get(name)!, line: text });
    try {
      const a = block.action;
      switch (a.kind) {
        case 'connects':
          connect(a.client, a.address, a.tls);
          break;
        case 'registers': {
          connect(a.client, a.address, false);
          for (const l of registrationLines(config, a.client)) line(a.client, l);
          const rest = dropWelcome(lines.get(a.client) ?? []);
          if (rest === null) {
            const got = lines.get(a.client) ?? [];
            return fail(`line ${block.line} (${block.source}): no 001 arrived; received:\n${indent(got)}`);
          }
          lines.set(a.client, rest);
          if (rest.length === 0) lines.delete(a.client);
          break;
        }
        case 'send':
          line(a.client, a.text);
          break;
        case 'disconnects':
          closed.add(ids.get(a.client)!); // the socket is gone: it receives nothing more
          feed({ _tag: 'ClientDisconnected', seq: ++seq, at: now, client: ids.get(a.client)!, reason: a.reason });
          break;
        case 'wait':
          now += a.ms;
          feed({ _tag: 'TimeAdvanced', seq: ++seq, at: now });
          break;
        case 'clock':
          now += a.ms;
          break;
        default: {
          const unreachable: never = a;
          return fail(`unknown action ${JSON.stringify(unreachable)}`);
        }
      }
    } catch (e) {
      return fail(`line ${block.line} (${block.source}): ${e instanceof Error ? e.message : String(e)}`);
    }
    const diff = compareBlock(block, { lines, closes });
    if (diff !== null) return fail(diff);
  }
  return { ok: true, failures: [], state, inputs };

  function fail(message: string): RunResult {
    return { ok: false, failures: [message], state, inputs };
  }
};
