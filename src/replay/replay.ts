// Replay: fold a decoded record log through the same pure core the daemon ran, and return what
// each client received, the final state, invariant violations and the session as a spec
// transcript. Delivery follows the shell's rules exactly (nothing is written to a client after
// its Close, or once the shell reported it gone), so replayed bytes equal live bytes.
import { isRight } from 'fp-ts/lib/Either.js';
import { decodePartialServerConfig, decodeServerConfig, mergeConfig } from '../core/config.js';
import { stamped, taggedLine, type Effect } from '../core/effect.js';
import { apply, type Input } from '../core/input.js';
import { checkInvariants, checkProgress, checkStep } from '../core/invariants.js';
import { defaultConfig, initialState, type ClientId, type ServerConfig, type State } from '../core/state.js';
import type { DecodedLog, LogError } from './log.js';
import { T0, baseConfig, DEFAULT_ADDRESS } from './transcript.js';

export interface Violation {
  readonly seq: number;
  readonly problems: readonly string[];
}

export interface ReplayOptions {
  /** Stop after the input with this sequence number. */
  readonly until?: number;
  /**
   * Check the invariants and checkProgress after every step. Default true. A step is checked
   * from what it changed (checkStep: about the step's own cost), until a violation is found;
   * after one, each state is checked whole (checkInvariants, O(state)), since checkStep assumes
   * the state before it was sound.
   */
  readonly check?: boolean;
  /**
   * Keep what each client received (`received`, `nicks`). Default true. Off, with `steps` off,
   * a large log folds at nearly the core's own speed: keeping every line of the core
   * benchmark's 1 M inputs (15 M deliveries) made the replay ~6x slower than the fold itself.
   */
  readonly received?: boolean;
  /** Keep every applied input with its effects (`steps`, for the transcript). Default true. */
  readonly steps?: boolean;
}

/** One applied input and what it did. */
export interface Step {
  readonly input: Input;
  readonly effects: readonly Effect[];
}

export interface ReplayResult {
  readonly config: ServerConfig;
  /** Per client, in order of first appearance: every line it was written (without CR LF). */
  readonly received: ReadonlyMap<ClientId, readonly string[]>;
  /** The last nick each client held (clients gone by the end included). */
  readonly nicks: ReadonlyMap<ClientId, string>;
  readonly state: State;
  /** How many inputs were applied (also counted when `steps` are not kept). */
  readonly applied: number;
  readonly steps: readonly Step[];
  readonly violations: readonly Violation[];
  /** Problems with the log (decode errors, a bad header config, an input the core threw on). */
  readonly errors: readonly LogError[];
}

/** The header's config: a full config, or (older logs) a partial one laid over the defaults. */
export const headerConfig = (raw: unknown): { ok: true; config: ServerConfig } | { ok: false; message: string } => {
  const full = decodeServerConfig(raw);
  if (isRight(full)) return { ok: true, config: full.right };
  const partial = decodePartialServerConfig(raw);
  if (isRight(partial)) return { ok: true, config: mergeConfig(defaultConfig, partial.right) };
  return { ok: false, message: `the header's config is invalid: ${full.left}` };
};

/**
 * `s`, flattened in place. A line the core builds is a rope of the pieces it joined; the default
 * output joins each line into the texts of all its recipients (~15 for a channel message), and
 * joining a rope walks it every time. Converting a string to a number makes V8 flatten it in
 * place (the trick the flatstr package is built on), so the walk happens once per line: a 1 M-input
 * log's default replay went from ~27 s to ~16 s.
 */
const flattened = (s: string): string => {
  void Number(s);
  return s;
};

/** Tracks what the shell would have written to whom. */
class Delivery {
  readonly received = new Map<ClientId, string[]>();
  readonly closed = new Set<ClientId>();
  /** Clients with IRCv3 server-time: the shell stamps their lines with the input's time. */
  readonly timed = new Set<ClientId>();
  /** Clients with IRCv3 message-tags: they get client-only tags and TAGMSG. */
  readonly tagged = new Set<ClientId>();

  before(input: Input): void {
    // The shell feeds ClientDisconnected once the socket is gone: nothing more reaches it.
    if (input._tag === 'ClientDisconnected') this.closed.add(input.client);
    if (input._tag === 'ClientConnected') {
      this.closed.delete(input.client);
      this.timed.delete(input.client);
      this.tagged.delete(input.client);
    }
  }

  /** `text` reaches client `id` (a method, not a closure: `after` runs once per input). */
  private give(id: ClientId, line: ((id: ClientId, text: string) => void) | undefined, text: string): void {
    let box = this.received.get(id);
    if (!box) this.received.set(id, (box = []));
    box.push(text);
    line?.(id, text);
  }

  /** Apply the effects of an input the core ran at `at` (state.now); calls `line`/`close` for what actually reaches a client. */
  after(effects: readonly Effect[], at: number, line?: (id: ClientId, text: string) => void, close?: (id: ClientId) => void): void {
    for (const e of effects) {
      if (e._tag === 'Send') {
        const text = flattened(e.line);
        let withTime: string | null = null; // stamped once per Send, for those with server-time
        // recipientsOf(e), without the copy it makes of a channel's member array.
        for (const id of e.to) {
          if (id === e.except || this.closed.has(id)) continue;
          this.give(id, line, this.timed.size !== 0 && this.timed.has(id) ? (withTime ??= flattened(stamped(text, at))) : text);
        }
      } else if (e._tag === 'TaggedSend') {
        for (const id of e.to) {
          if (id === e.except || this.closed.has(id)) continue;
          const out = taggedLine(e, at, this.timed.has(id), this.tagged.has(id));
          if (out !== null) this.give(id, line, out);
        }
      } else if (e._tag === 'ServerTime') {
        if (e.on) this.timed.add(e.client);
        else this.timed.delete(e.client);
      } else if (e._tag === 'MessageTags') {
        if (e.on) this.tagged.add(e.client);
        else this.tagged.delete(e.client);
      } else if (e._tag === 'Close' && !this.closed.has(e.client)) {
        this.closed.add(e.client);
        close?.(e.client);
      }
    }
  }
}

export const replay = (log: DecodedLog, opts: ReplayOptions = {}): ReplayResult => {
  const errors: LogError[] = [...log.errors];
  let config = defaultConfig;
  if (log.header !== null) {
    const h = headerConfig(log.header.config);
    if (h.ok) config = h.config;
    else errors.push({ line: 1, message: h.message });
  }
  const check = opts.check ?? true;
  const keepReceived = opts.received ?? true;
  const keepSteps = opts.steps ?? true;
  let state = initialState(config);
  let applied = 0;
  const steps: Step[] = [];
  const violations: Violation[] = [];
  const delivery = new Delivery();
  const nicks = new Map<ClientId, string>();
  if (log.header !== null && errors.length === log.errors.length) {
    for (const input of log.inputs) {
      if (opts.until !== undefined && input.seq > opts.until) break;
      if (keepReceived) delivery.before(input);
      let next: State;
      let effects: Effect[];
      try {
        [next, effects] = apply(state, input);
      } catch (e) {
        // A bug in the core; the shell would keep the previous state, and so do we.
        errors.push({ line: 0, message: `input seq ${input.seq} made the core throw: ${e instanceof Error ? e.message : String(e)}` });
        continue;
      }
      if (check) {
        const problems = [...(violations.length === 0 ? checkStep(state, next) : checkInvariants(next)), ...checkProgress(state, next)];
        if (problems.length > 0) violations.push({ seq: input.seq, problems });
      }
      state = next;
      applied++;
      if (keepSteps) steps.push({ input, effects });
      if (!keepReceived) continue;
      delivery.after(effects, state.now);
      if ('client' in input) {
        const nick = state.clients.get(input.client)?.nick;
        if (nick) nicks.set(input.client, nick);
      }
    }
  }
  return { config, received: delivery.received, nicks, state, applied, steps, violations, errors };
};

// ---- transcript export ---------------------------------------------------------------------

const NAME = /^[A-Za-z_][\w-]*$/;
const RESERVED = new Set(['config', 'wait', 'clock']);

/** Readable duration that parseDuration reads back exactly. */
const duration = (ms: number): string => (ms % 60_000 === 0 && ms > 0 ? `${ms / 60_000}m` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

/** `config` pairs for what differs from a transcript's base config (createdAt excluded). */
const configLine = (config: ServerConfig): string | null => {
  const base = baseConfig();
  const pairs: string[] = [];
  const scalar = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
  for (const key of Object.keys(config) as (keyof ServerConfig)[]) {
    const v = config[key];
    const b = base[key];
    if (key === 'createdAt' || JSON.stringify(v) === JSON.stringify(b)) continue;
    if (key === 'opers') for (const o of config.opers) pairs.push(`oper=${o.name}:${o.password}`);
    else if (key === 'motd') {
      const m = config.motd;
      pairs.push(`motd=${m === null || m.some((l) => l.includes('|')) || m.length === 0 ? JSON.stringify(m) : m.join('|')}`);
    } else if (key === 'password') pairs.push(`password=${config.password ?? 'null'}`);
    else if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (JSON.stringify(x) !== JSON.stringify((b as unknown as Record<string, unknown>)[k])) pairs.push(`${key}.${k}=${scalar(x)}`);
      }
    } else pairs.push(`${key}=${scalar(v)}`);
  }
  return pairs.length === 0 ? null : `config ${pairs.join(' ')}`;
};

/**
 * The session as a spec transcript (spec/README.md) that runs green: clients are named by their
 * first nick (or `c<id>`), `>` lines come from LineReceived, `<` lines from Send effects. Times
 * are shifted so the server was created at T0, as transcripts assume; gaps between inputs
 * become `clock +…` (no tick) and ticks become `wait …`. It is computed from a fresh run of the
 * steps under the shifted clock, so absolute dates in replies match the transcript's clock.
 */
export const formatTranscript = (result: Pick<ReplayResult, 'config' | 'steps'>): string => {
  const shift = T0 - result.config.createdAt;
  const config: ServerConfig = { ...result.config, createdAt: T0 };
  // Re-run under the shifted clock (the core only sees relative time otherwise), noting each
  // client's first nick from the state after each step.
  let state = initialState(config);
  const runs: Step[] = [];
  const firstNick = new Map<ClientId, string>();
  for (const { input } of result.steps) {
    const moved = { ...input, at: input.at + shift } as Input;
    const [next, effects] = apply(state, moved);
    state = next;
    runs.push({ input: moved, effects });
    if (input._tag === 'ServerStopping') break;
    if ('client' in input && !firstNick.has(input.client)) {
      const nick = state.clients.get(input.client)?.nick;
      if (nick) firstNick.set(input.client, nick);
    }
  }

  const names = new Map<ClientId, string>();
  const taken = new Set<string>();
  const nameOf = (id: ClientId): string => {
    const known = names.get(id);
    if (known !== undefined) return known;
    const nick = firstNick.get(id);
    let name = nick !== undefined && NAME.test(nick) && !RESERVED.has(nick) ? nick : `c${id}`;
    for (let n = 2; taken.has(name); n++) name = `c${id}_${n}`;
    names.set(id, name);
    taken.add(name);
    return name;
  };

  const out: string[] = ['# exported by pureircd replay --transcript'];
  const line = configLine(config);
  if (line) out.push(line);
  const delivery = new Delivery();
  let now = T0;
  for (const { input, effects } of runs) {
    const at = Math.max(now, input.at);
    if (input._tag === 'TimeAdvanced') out.push(`wait ${duration(at - now)}`);
    else {
      if (at > now) out.push(`clock +${duration(at - now)}`);
      switch (input._tag) {
        case 'ClientConnected': {
          const from = input.address === DEFAULT_ADDRESS ? '' : ` from ${input.address}`;
          out.push(`${nameOf(input.client)} connects${from}${input.tls ? ' tls' : ''}`);
          break;
        }
        case 'LineReceived':
          out.push(`${nameOf(input.client)}> ${input.line}`);
          break;
        case 'ClientDisconnected':
          out.push(`${nameOf(input.client)} disconnects${input.reason === '' ? '' : ' ' + input.reason}`);
          break;
        case 'ServerStopping':
          out.push(`# the server stopped here (${input.reason}); what it sent then is not checked`);
          break;
        case 'ConfigReloaded':
        case 'ConfigReloadFailed':
          // A transcript has no statement for these: leave a note and drop what they sent.
          out.push(`# the configuration was ${input._tag === 'ConfigReloaded' ? 'reloaded' : 'not reloaded (' + input.reason + ')'} here; not expressible in a transcript`);
          break;
        default: {
          const unreachable: never = input;
          void unreachable;
        }
      }
    }
    now = at;
    if (input._tag === 'ServerStopping') break;
    if (input._tag === 'ConfigReloaded' || input._tag === 'ConfigReloadFailed') continue;
    delivery.before(input);
    delivery.after(
      effects,
      at,
      (id, text) => out.push(`${nameOf(id)}< ${text}`),
      (id) => out.push(`${nameOf(id)} closed`),
    );
  }
  return out.join('\n') + '\n';
};
