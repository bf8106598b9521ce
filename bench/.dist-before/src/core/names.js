// Untrusted names decoded into branded types with io-ts, so a handler never holds an unchecked
// nickname, channel name or key. A failed decode becomes a numeric reply, never an exception.
import * as t from 'io-ts';
import { isRight } from 'fp-ts/lib/Either.js';
// RFC 2812 §2.3.1: nickname = ( letter / special ) *( letter / digit / special / "-" ),
// special = [ ] \ ` _ ^ { | }
const NICK = /^[A-Za-z[\]\\`_^{|}][A-Za-z0-9[\]\\`_^{|}-]*$/;
/** Channel prefixes advertised in CHANTYPES. */
export const CHANTYPES = '#&';
// A channel name: a prefix then anything but space, BELL, comma, colon and NUL/CR/LF.
const CHANNEL = /^[#&][^\s\x07,:\0]+$/;
// A key: printable, no space or comma (ergo/InspIRCd refuse those), at most 23 bytes here.
const KEY = /^[\x21-\x2b\x2d-\x7e]{1,23}$/;
const memo = (make) => {
    const cache = new Map();
    return (n) => {
        let c = cache.get(n);
        if (c === undefined)
            cache.set(n, (c = make(n)));
        return c;
    };
};
export const NicknameC = memo((maxLen) => t.brand(t.string, (s) => s.length <= maxLen && NICK.test(s), 'Nickname'));
export const ChannelNameC = memo((maxLen) => t.brand(t.string, (s) => s.length <= maxLen && CHANNEL.test(s), 'ChannelName'));
export const ChannelKeyC = t.brand(t.string, (s) => KEY.test(s), 'ChannelKey');
const check = (codec) => (s) => {
    const r = codec.decode(s);
    return isRight(r) ? r.right : null;
};
export const decodeNick = (s, maxLen) => check(NicknameC(maxLen))(s);
export const decodeChannelName = (s, maxLen) => check(ChannelNameC(maxLen))(s);
export const decodeKey = (s) => check(ChannelKeyC)(s);
export const isChannelName = (s) => s.length > 0 && CHANTYPES.includes(s[0]);
//# sourceMappingURL=names.js.map