// Drives the pure core the way the shell does, with a virtual clock, and collects what each
// client received. Used by unit, property and transcript tests.
import { recipientsOf, stamped, taggedLine, type Effect } from '../src/core/effect.js';
import { apply, type Input } from '../src/core/input.js';
import { assertInvariants } from '../src/core/invariants.js';
import { parse } from '../src/core/message.js';
import { defaultConfig, initialState, type ServerConfig, type State } from '../src/core/state.js';

export const T0 = 1_700_000_000_000;

export class Harness {
  state: State;
  now = T0;
  seq = 0;
  nextId = 1;
  readonly ids = new Map<string, number>();
  readonly received = new Map<number, string[]>();
  readonly closed = new Set<number>();
  /** Clients with IRCv3 server-time. */
  readonly timed = new Set<number>();
  /** Clients with IRCv3 message-tags. */
  readonly tagged = new Set<number>();
  readonly inputs: Input[] = [];
  readonly effects: Effect[] = [];

  /** Flood control is off unless a test configures it: tests send many lines at one instant. */
  constructor(config: Partial<ServerConfig> = {}, readonly checkInvariants = true) {
    this.state = initialState({ ...defaultConfig, createdAt: T0, flood: { ...defaultConfig.flood, enabled: false }, ...config });
  }

  feed(input: Input): Effect[] {
    this.inputs.push(input);
    const [next, effects] = apply(this.state, input);
    this.state = next;
    if (this.checkInvariants) assertInvariants(next);
    for (const e of effects) {
      this.effects.push(e);
      if (e._tag === 'Send')
        for (const id of recipientsOf(e)) if (!this.closed.has(id)) this.inbox(id).push(this.timed.has(id) ? stamped(e.line, next.now) : e.line);
      if (e._tag === 'Close') this.closed.add(e.client);
      // IRCv3 server-time: the shell stamps this client's lines from now on (or stops).
      if (e._tag === 'ServerTime') {
        if (e.on) this.timed.add(e.client);
        else this.timed.delete(e.client);
      }
      if (e._tag === 'TaggedSend')
        for (const id of recipientsOf(e)) {
          const text = this.closed.has(id) ? null : taggedLine(e, next.now, this.timed.has(id), this.tagged.has(id));
          if (text !== null) this.inbox(id).push(text);
        }
      if (e._tag === 'MessageTags') {
        if (e.on) this.tagged.add(e.client);
        else this.tagged.delete(e.client);
      }
    }
    return effects;
  }

  inbox(id: number): string[] {
    let box = this.received.get(id);
    if (!box) this.received.set(id, (box = []));
    return box;
  }

  id(name: string): number {
    const id = this.ids.get(name);
    if (id === undefined) throw new Error(`no client ${name}`);
    return id;
  }

  connect(name: string, address = '127.0.0.1', tls = false): number {
    const id = this.nextId++;
    this.ids.set(name, id);
    this.feed({ _tag: 'ClientConnected', seq: ++this.seq, at: this.now, client: id, address, tls });
    return id;
  }

  send(name: string, line: string): void {
    this.feed({ _tag: 'LineReceived', seq: ++this.seq, at: this.now, client: this.id(name), line });
  }

  /** The connection is gone: like the shell, deliver nothing more to it. */
  disconnect(name: string, reason = 'Connection closed'): void {
    this.closed.add(this.id(name));
    this.feed({ _tag: 'ClientDisconnected', seq: ++this.seq, at: this.now, client: this.id(name), reason });
  }

  /** Let time pass and deliver a tick. */
  advance(ms: number): void {
    this.now += ms;
    this.feed({ _tag: 'TimeAdvanced', seq: ++this.seq, at: this.now });
  }

  /** Connect and register `name` (nick = user = name), then forget the welcome burst. */
  register(name: string, address = '127.0.0.1'): number {
    const id = this.connect(name, address);
    if (this.state.config.password !== null) this.send(name, `PASS ${this.state.config.password}`);
    this.send(name, `NICK ${name}`);
    this.send(name, `USER ${name} 0 * :${name}`);
    this.take(name);
    return id;
  }

  /** What `name` received since the last take. */
  take(name: string): string[] {
    const box = this.inbox(this.id(name));
    return box.splice(0, box.length);
  }

  /** The verbs/numerics of what `name` received since the last take. */
  takeVerbs(name: string): string[] {
    return this.take(name).map((l) => {
      const p = parse(l);
      return p.ok ? p.message.verb : '?';
    });
  }
}
