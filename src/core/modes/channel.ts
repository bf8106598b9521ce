// MODE on a channel (RFC 2811 §4, Modern IRC "MODE message" and "Channel modes").
//   MODE #c                 → 324 RPL_CHANNELMODEIS, 329 RPL_CREATIONTIME
//   MODE #c b | e | I       → the list: 367/368, 348/349, 346/347
//   MODE #c +o-v+k alice bob key ...
// Letters follow ISUPPORT CHANMODES=beI,k,l,imnpst and PREFIX=(ov)@+:
//   type A (b e I) always take a parameter except when listing; type B (k) always takes one
//   (`-k` consumes one if present, shown as `*`); type C (l) takes one only when set;
//   type D (i m n p s t) never; prefixes (o v) always.
// A mode missing its parameter is skipped (Modern IRC: "the server MUST ignore that mode").
// Changes need channel operator status: 442 for non-members, 482 for members, sent once; the
// other modes of the command are not applied. Listing and unknown letters (472) need no
// privilege. IRC operators get no override here: like InspIRCd without its override module
// and ergo without the chanreg capability, an oper is an ordinary user on a channel.
// At most MODES (limits.modesPerLine) parameterised modes are processed; later ones are
// ignored. The result is ONE MODE line to all members listing only what actually changed
// (split in two only if long masks would push it past 512 bytes, as servers do).
import { List } from 'immutable';
import type { Effect } from '../effect.js';
import { isMember, memberModesOf } from '../channel.js';
import { fromClient, numeric } from '../reply.js';
import { decodeKey } from '../names.js';
import { fold } from '../casemap.js';
import { normaliseMask } from '../mask.js';
import * as N from '../numerics.js';
import { clientByNick, setChannel, sourceOf, type Channel, type Client, type ListEntry, type State, withChannel } from '../state.js';
import { unixSeconds } from '../time.js';
import type { Result } from '../verb.js';
import { FLAG_MODES, channelModeIs, isFlagMode, renderChanges, splitToFit, toggle, type ModeChange } from './render.js';

type ListMode = 'b' | 'e' | 'I';
const LIST_FIELD = { b: 'bans', e: 'excepts', I: 'invex' } as const;
const LIST_REPLY = {
  b: [N.RPL_BANLIST, N.RPL_ENDOFBANLIST],
  e: [N.RPL_EXCEPTLIST, N.RPL_ENDOFEXCEPTLIST],
  I: [N.RPL_INVITELIST, N.RPL_ENDOFINVITELIST],
} as const;
const isListMode = (m: string): m is ListMode => m === 'b' || m === 'e' || m === 'I';

/** A stored mask: nick!user@host with no empty part, and nothing that would break a line. */
const MASK = /^[^!@\s:][^!@\s]*![^!@\s]+@[^\s]+$/;

/** Largest +l accepted: what a 32-bit server would hold; beyond it the value is refused. */
const MAX_LIMIT = 2_147_483_647;

/** 324 then 329: the channel's modes (key for members only) and its creation time. */
export const channelModeReply = (state: State, c: Client, ch: Channel): Effect[] => [
  numeric(state, c, N.RPL_CHANNELMODEIS, [ch.name, ...channelModeIs(ch, isMember(ch, c.id))]),
  numeric(state, c, N.RPL_CREATIONTIME, [ch.name, unixSeconds(ch.createdAt)]),
];

const listReply = (state: State, c: Client, ch: Channel, mode: ListMode): Effect[] => {
  const [item, end] = LIST_REPLY[mode];
  const out = ch[LIST_FIELD[mode]].map((e) => numeric(state, c, item, [ch.name, e.mask, e.setBy, unixSeconds(e.setAt)])).toArray();
  out.push(numeric(state, c, end, [ch.name]));
  return out;
};

export const channelMode = (state: State, c: Client, key: string, modestring: string, args: readonly string[]): Result => {
  const start = state.channels.get(key);
  if (start === undefined) return [state, []];
  let ch = start;
  const out: Effect[] = [];
  const changes: ModeChange[] = [];
  const member = memberModesOf(ch, c.id);
  const privileged = member !== undefined && member.includes('o');
  let denied = false;
  const listed = new Set<string>();
  const unknown = new Set<string>();
  const maxParams = state.config.limits.modesPerLine;
  let used = 0;
  let argi = 0;
  let add = true;

  /** May this client change modes? Says why not, once per command. */
  const allowed = (): boolean => {
    if (privileged) return true;
    if (!denied) out.push(numeric(state, c, member === undefined ? N.ERR_NOTONCHANNEL : N.ERR_CHANOPRIVSNEEDED, [ch.name]));
    denied = true;
    return false;
  };
  /** The next parameter, or null when none is left or the MODES budget is spent. */
  const param = (): string | null => {
    if (argi >= args.length || used >= maxParams) return null;
    used++;
    return args[argi++]!;
  };
  const invalid = (mode: string, value: string, why: string): void => {
    out.push(numeric(state, c, N.ERR_INVALIDMODEPARAM, [ch.name, mode, value], why));
  };

  for (const m of modestring) {
    if (m === '+' || m === '-') {
      add = m === '+';
      continue;
    }
    if (isListMode(m)) {
      if (argi >= args.length) {
        // No parameter: a query for the list, answered once per letter, to anyone.
        if (!listed.has(m)) out.push(...listReply(state, c, ch, m));
        listed.add(m);
        continue;
      }
      const raw = param();
      if (!allowed() || raw === null) continue;
      const [next, change] = editList(state, c, ch, m, add, raw, out);
      ch = next;
      if (change !== null) changes.push(change);
      continue;
    }
    if (isFlagMode(m)) {
      if (!allowed()) continue;
      const field = FLAG_MODES[m];
      if (ch.modes[field] !== add) {
        ch = withChannel(ch, { modes: { ...ch.modes, [field]: add } });
        toggle(changes, { add, mode: m, param: null });
      }
      continue;
    }
    switch (m) {
      case 'k': {
        const raw = param();
        if (!allowed()) continue;
        if (!add) {
          // -k: any parameter (or none) removes the key, shown as `*` (as ergo does).
          if (ch.modes.key !== null) {
            ch = withChannel(ch, { modes: { ...ch.modes, key: null } });
            changes.push({ add, mode: m, param: '*' });
          }
          continue;
        }
        if (raw === null) continue;
        // A key starting with ':' could not travel as a middle parameter (324, the broadcast).
        const k = raw.startsWith(':') ? null : decodeKey(raw);
        // Modern IRC "Key channel mode": an invalid value SHOULD get 696 ERR_INVALIDMODEPARAM.
        if (k === null) invalid(m, '*', 'Invalid key: it must be 1-23 printable characters without spaces or commas');
        else if (ch.modes.key !== k) {
          ch = withChannel(ch, { modes: { ...ch.modes, key: k } });
          changes.push({ add, mode: m, param: k });
        }
        continue;
      }
      case 'l': {
        const raw = add ? param() : null;
        if (!allowed()) continue;
        if (!add) {
          if (ch.modes.limit !== null) {
            ch = withChannel(ch, { modes: { ...ch.modes, limit: null } });
            changes.push({ add, mode: m, param: null });
          }
          continue;
        }
        if (raw === null) continue;
        const n = /^[0-9]{1,10}$/.test(raw) ? Number(raw) : NaN;
        if (!(n >= 1 && n <= MAX_LIMIT)) invalid(m, raw, 'Invalid limit: it must be a positive number');
        else if (ch.modes.limit !== n) {
          ch = withChannel(ch, { modes: { ...ch.modes, limit: n } });
          changes.push({ add, mode: m, param: String(n) });
        }
        continue;
      }
      case 'o':
      case 'v': {
        const nick = param();
        if (!allowed() || nick === null) continue;
        const target = clientByNick(state, nick);
        if (target === undefined || !target.registered) {
          out.push(numeric(state, c, N.ERR_NOSUCHNICK, [nick]));
          continue;
        }
        const at = ch.memberIds.indexOf(target.id);
        const had = at < 0 ? undefined : ch.memberModes[at]!;
        if (had === undefined) {
          out.push(numeric(state, c, N.ERR_USERNOTINCHANNEL, [target.nick!, ch.name]));
          continue;
        }
        const o = m === 'o' ? add : had.includes('o');
        const v = m === 'v' ? add : had.includes('v');
        const now = (o ? 'o' : '') + (v ? 'v' : '');
        if (now !== had) {
          ch = withChannel(ch, { memberModes: ch.memberModes.with(at, now) });
          changes.push({ add, mode: m, param: target.nick! });
        }
        continue;
      }
      default:
        if (!unknown.has(m)) out.push(numeric(state, c, N.ERR_UNKNOWNMODE, [m]));
        unknown.add(m);
    }
  }
  if (changes.length === 0) return [state, out];
  const to = ch.memberIds;
  for (const part of splitToFit(changes, (cs) => fromClient(c, to, 'MODE', [ch.name, ...renderChanges(cs)]))) out.push(part);
  return [setChannel(state, key, ch), out];
};

/**
 * +b/-b, +e/-e, +I/-I with a mask. Masks are normalised (`nick` → `nick!*@*`) and compared
 * under the case-mapping; adding a present mask or removing an absent one changes nothing.
 * MAXLIST=beI:n bounds the three lists together (478 ERR_BANLISTFULL past it).
 */
const editList = (
  state: State,
  c: Client,
  ch: Channel,
  m: ListMode,
  add: boolean,
  raw: string,
  out: Effect[],
): readonly [Channel, ModeChange | null] => {
  const field = LIST_FIELD[m];
  const list: List<ListEntry> = ch[field];
  const mask = normaliseMask(raw);
  const cm = state.config.casemapping;
  const folded = fold(mask, cm);
  const at = list.findIndex((e) => fold(e.mask, cm) === folded);
  if (!add) {
    if (at < 0) return [ch, null];
    const gone = list.get(at)!;
    return [withChannel(ch, { [field]: list.delete(at) }), { add, mode: m, param: gone.mask }];
  }
  if (!MASK.test(mask)) {
    out.push(numeric(state, c, N.ERR_INVALIDMODEPARAM, [ch.name, m, raw], 'Invalid mask'));
    return [ch, null];
  }
  if (at >= 0) return [ch, null];
  if (ch.bans.size + ch.excepts.size + ch.invex.size >= state.config.limits.maxList) {
    out.push(numeric(state, c, N.ERR_BANLISTFULL, [ch.name, m]));
    return [ch, null];
  }
  const entry: ListEntry = { mask, setBy: sourceOf(c), setAt: state.now };
  return [withChannel(ch, { [field]: list.push(entry) }), { add, mode: m, param: mask }];
};
