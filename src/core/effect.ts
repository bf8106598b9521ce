// Effects: plain-data orders from the core to the shell. JSON-serializable, never a function,
// a promise or a socket.
import type { ClientId } from './state.js';
import { isoTime } from './time.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type Effect =
  /**
   * Write `line` + CRLF to every client in `to` but `except` (a channel message's sender);
   * serialized once for all of them. `to` may be a channel's own member array, shared rather
   * than copied, so a channel message costs no O(members) work in the core.
   */
  | { readonly _tag: 'Send'; readonly to: readonly ClientId[]; readonly except: ClientId | undefined; readonly line: string }
  /** Flush what was sent to the client, then close its connection. */
  | { readonly _tag: 'Close'; readonly client: ClientId; readonly reason: string }
  | { readonly _tag: 'Log'; readonly level: LogLevel; readonly text: string }
  /**
   * Re-read the config file (REHASH). The shell answers with a ConfigReloaded or
   * ConfigReloadFailed input carrying `requestedBy`, so the outcome is recorded and replayed.
   */
  | { readonly _tag: 'ReloadConfig'; readonly requestedBy: ClientId | null }
  /**
   * From now on every line to `client` carries the IRCv3 server-time tag (`on`), or no longer
   * does. Lines are built without it; whoever delivers them adds it per recipient (`stamped`),
   * so a channel message is still serialized once for all its members.
   */
  | { readonly _tag: 'ServerTime'; readonly client: ClientId; readonly on: boolean }
  /**
   * A message with client-only tags (IRCv3 message-tags): as Send, and those of `to` that
   * enabled message-tags get `tags` (`+key=value;...`, escaped) before it, with the time when
   * they have server-time. With `tagsOnly` (TAGMSG) the others get nothing at all.
   */
  | {
      readonly _tag: 'TaggedSend';
      readonly to: readonly ClientId[];
      readonly except: ClientId | undefined;
      readonly line: string;
      readonly tags: string;
      readonly tagsOnly: boolean;
    }
  /** From now on `client` receives client-only tags and TAGMSG (`on`), or no longer does. */
  | { readonly _tag: 'MessageTags'; readonly client: ClientId; readonly on: boolean };

export const send = (to: readonly ClientId[], line: string, except?: ClientId): Effect => ({ _tag: 'Send', to, except, line });

/** The clients a Send (or TaggedSend) is addressed to, in order. */
export const recipientsOf = (e: Effect & { _tag: 'Send' | 'TaggedSend' }): readonly ClientId[] =>
  e.except === undefined ? e.to : e.to.filter((id) => id !== e.except);
export const close = (client: ClientId, reason: string): Effect => ({ _tag: 'Close', client, reason });
export const log = (level: LogLevel, text: string): Effect => ({ _tag: 'Log', level, text });
export const serverTime = (client: ClientId, on: boolean): Effect => ({ _tag: 'ServerTime', client, on });
export const messageTags = (client: ClientId, on: boolean): Effect => ({ _tag: 'MessageTags', client, on });
export const taggedSend = (to: readonly ClientId[], line: string, tags: string, tagsOnly: boolean, except?: ClientId): Effect => ({
  _tag: 'TaggedSend',
  to,
  except,
  line,
  tags,
  tagsOnly,
});

/**
 * What one recipient of a TaggedSend gets, given whether it enabled server-time and
 * message-tags (null: nothing, a TAGMSG to a client without message-tags). Every deliverer
 * (the shell, the transcript, replay and test runners) goes through this.
 */
export const taggedLine = (e: Effect & { _tag: 'TaggedSend' }, at: number, time: boolean, tags: boolean): string | null => {
  if (!tags) return e.tagsOnly ? null : time ? stamped(e.line, at) : e.line;
  const t = !time ? e.tags : e.tags === '' ? `time=${isoTime(at)}` : `time=${isoTime(at)};${e.tags}`;
  return t === '' ? e.line : `@${t} ${e.line}`;
};

/**
 * The server-time prefix of lines sent at `at`: the time the core gave the input that caused
 * them (state.now after it: an input's own stamp, unless the clock stepped back).
 */
export const timeTag = (at: number): string => `@time=${isoTime(at)} `;

/** `line` as a client with server-time receives it, sent at `at` (see timeTag). */
export const stamped = (line: string, at: number): string => timeTag(at) + line;
