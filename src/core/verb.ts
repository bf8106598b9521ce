// What every command module exports: its spec (the shared checks step() applies before the
// handler runs), its decoder and its handler.
import type { Effect } from './effect.js';
import type { Message } from './message.js';
import type { Client, State } from './state.js';

export type Result = readonly [State, Effect[]];

export interface VerbSpec<C extends { readonly _tag: string }> {
  /** The verbs decoded into this command (a small family may share one module). */
  readonly verbs: readonly string[];
  /** Fewer parameters than this → 461 ERR_NEEDMOREPARAMS, before decode. */
  readonly minParams: number;
  /** Allowed before registration completes; otherwise 451 ERR_NOTREGISTERED. */
  readonly beforeRegistration: boolean;
  /** Only IRC operators; otherwise 481 ERR_NOPRIVILEGES. */
  readonly operOnly: boolean;
  /** Whether this command resets the sender's idle time (WHOIS 317); step() records it. */
  readonly resetsIdle?: (cmd: C) => boolean;
  readonly decode: (m: Message) => C;
  readonly handle: (state: State, client: Client, cmd: C) => Result;
}

export const unchanged = (state: State, effects: Effect[] = []): Result => [state, effects];
