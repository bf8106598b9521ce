// Untrusted names decoded into branded types with io-ts, so a handler never holds an unchecked
// nickname, channel name or key. A failed decode becomes a numeric reply, never an exception.
import * as t from 'io-ts';

export interface NicknameBrand { readonly Nickname: unique symbol }
export interface ChannelNameBrand { readonly ChannelName: unique symbol }
export interface ChannelKeyBrand { readonly ChannelKey: unique symbol }
export type Nickname = t.Branded<string, NicknameBrand>;
export type ChannelName = t.Branded<string, ChannelNameBrand>;
export type ChannelKey = t.Branded<string, ChannelKeyBrand>;

// RFC 2812 §2.3.1: nickname = ( letter / special ) *( letter / digit / special / "-" ),
// special = [ ] \ ` _ ^ { | }
const NICK = /^[A-Za-z[\]\\`_^{|}][A-Za-z0-9[\]\\`_^{|}-]*$/;
/** Channel prefixes advertised in CHANTYPES. */
export const CHANTYPES = '#&';
// A channel name: a prefix then anything but space, BELL, comma, colon and NUL/CR/LF.
const CHANNEL = /^[#&][^\s\x07,:\0]+$/;
// A key: printable, no space or comma (ergo/InspIRCd refuse those), at most 23 bytes here.
const KEY = /^[\x21-\x2b\x2d-\x7e]{1,23}$/;

const memo = <A>(make: (n: number) => A): ((n: number) => A) => {
  const cache = new Map<number, A>();
  return (n) => {
    let c = cache.get(n);
    if (c === undefined) cache.set(n, (c = make(n)));
    return c;
  };
};

export const NicknameC = memo((maxLen: number) =>
  t.brand(t.string, (s): s is Nickname => s.length <= maxLen && NICK.test(s), 'Nickname'),
);
export const ChannelNameC = memo((maxLen: number) =>
  t.brand(t.string, (s): s is ChannelName => s.length <= maxLen && CHANNEL.test(s), 'ChannelName'),
);
export const ChannelKeyC = t.brand(t.string, (s): s is ChannelKey => KEY.test(s), 'ChannelKey');

// A codec's `is` is its refinement without decode's Either and context: these run on every
// NICK and JOIN.
export const decodeNick = (s: string, maxLen: number): Nickname | null => (NicknameC(maxLen).is(s) ? s : null);
export const decodeChannelName = (s: string, maxLen: number): ChannelName | null => (ChannelNameC(maxLen).is(s) ? s : null);
export const decodeKey = (s: string): ChannelKey | null => (ChannelKeyC.is(s) ? s : null);

export const isChannelName = (s: string): boolean => s.length > 0 && CHANTYPES.includes(s[0]!);
