// Effects: plain-data orders from the core to the shell. JSON-serializable, never a function,
// a promise or a socket.
import type { ClientId } from './state.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type Effect =
  /** Write `line` + CRLF to every client in `to`; serialized once for all of them. */
  | { readonly _tag: 'Send'; readonly to: readonly ClientId[]; readonly line: string }
  /** Flush what was sent to the client, then close its connection. */
  | { readonly _tag: 'Close'; readonly client: ClientId; readonly reason: string }
  | { readonly _tag: 'Log'; readonly level: LogLevel; readonly text: string }
  /**
   * Re-read the config file (REHASH). The shell answers with a ConfigReloaded or
   * ConfigReloadFailed input carrying `requestedBy`, so the outcome is recorded and replayed.
   */
  | { readonly _tag: 'ReloadConfig'; readonly requestedBy: ClientId | null };

export const send = (to: readonly ClientId[], line: string): Effect => ({ _tag: 'Send', to, line });
export const close = (client: ClientId, reason: string): Effect => ({ _tag: 'Close', client, reason });
export const log = (level: LogLevel, text: string): Effect => ({ _tag: 'Log', level, text });
