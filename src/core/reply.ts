// Building replies: numerics addressed to a client, and messages from a client or the server.
import { send, type Effect } from './effect.js';
import { clean, serialize, serializeParam } from './message.js';
import type { Numeric } from './numerics.js';
import { sourceOf, type Client, type ClientId, type State } from './state.js';

/** The nick numerics are addressed to: `*` before a client has one. */
export const target = (c: Client): string => c.nick ?? '*';

/**
 * `:server CODE nick params... :text`. The trailing text is the numeric's own text unless
 * given; with neither, the last param is written as-is (trailing only when it must be).
 */
export const numericLine = (state: State, c: Client, n: Numeric, params: readonly string[], text?: string): string =>
  numericLineTo(state, target(c), n, params, text);

/** numericLine addressed to a nick (or `*`) rather than to a client. */
export const numericLineTo = (state: State, nick: string, n: Numeric, params: readonly string[], text?: string): string => {
  // The bytes of serialize({ source, verb, params: [nick, ...params, text] }), written directly:
  // registration sends ~20 numerics and a JOIN 3, so no intermediate arrays or message.
  const t = text ?? n.text;
  const last = params.length - 1;
  let line = ':' + state.config.serverName + ' ' + n.code + serializeParam(nick, t === '' && last < 0, false);
  for (let i = 0; i <= last; i++) line += serializeParam(params[i]!, t === '' && i === last, false);
  return t === '' ? line : line + serializeParam(t, true, true);
};

export const numeric = (state: State, c: Client, n: Numeric, params: readonly string[] = [], text?: string): Effect =>
  send([c.id], numericLine(state, c, n, params, text));

/** A message whose source is the server: `:server VERB params`. */
export const fromServer = (state: State, to: readonly ClientId[], verb: string, params: readonly string[], trailing = false): Effect =>
  send(to, serialize({ source: state.config.serverName, verb, params }, trailing));

/** A message whose source is a client: `:nick!user@host VERB params`. */
export const fromClient = (c: Client, to: readonly ClientId[], verb: string, params: readonly string[], trailing = false): Effect =>
  send(to, serialize({ source: sourceOf(c), verb, params }, trailing));

/**
 * `:nick!user@host VERB target :text`, the shape of every PRIVMSG and NOTICE, built directly:
 * the same bytes as fromClient(c, to, verb, [target, text], true) without the intermediate
 * message. `target` is a validated nick or channel name (no space, not empty).
 */
export const textLine = (c: Client, verb: string, target: string, text: string): string =>
  ':' + c.source + ' ' + verb + ' ' + target + ' :' + clean(text);

/** A line with no source (ERROR, PING sent by the server to a client). */
export const bare = (to: readonly ClientId[], verb: string, params: readonly string[]): Effect =>
  send(to, serialize({ verb, params }, true));

/**
 * `items` joined by `sep` into as few pieces as keep each within `budget` bytes (an item longer
 * than that gets a piece of its own): the lists of NAMES, MONITOR and the like, split to fit lines.
 */
export const packed = (items: readonly string[], sep: string, budget: number): string[] => {
  const out: string[] = [];
  let piece = '';
  for (const item of items) {
    if (piece !== '' && piece.length + sep.length + item.length > budget) {
      out.push(piece);
      piece = '';
    }
    piece = piece === '' ? item : piece + sep + item;
  }
  if (piece !== '') out.push(piece);
  return out;
};
