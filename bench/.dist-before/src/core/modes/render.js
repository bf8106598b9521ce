import { MAX_LINE_BYTES } from '../message.js';
/** Channel flags without a parameter (CHANMODES type D), with the field each one sets. */
export const FLAG_MODES = {
    i: 'inviteOnly',
    m: 'moderated',
    n: 'noExternal',
    p: 'private',
    s: 'secret',
    t: 'topicLocked',
};
export const isFlagMode = (m) => Object.hasOwn(FLAG_MODES, m);
/**
 * Record a parameterless change. Such a change undoes an earlier one of the same letter
 * (only real changes are recorded, so the earlier one had the other sign): the pair cancels,
 * so `+i-i` reports nothing and `+i-i+i-i...` cannot grow the reply.
 */
export const toggle = (changes, change) => {
    const earlier = changes.findIndex((x) => x.mode === change.mode && x.param === null);
    if (earlier >= 0)
        changes.splice(earlier, 1);
    else
        changes.push(change);
};
/**
 * `+ov-k alice bob *`: changes in the order they were applied, a sign written only when it
 * differs from the previous one, parameters after the letters in the same order. Returns the
 * MODE parameters after the target ([] for no change).
 */
export const renderChanges = (changes) => {
    if (changes.length === 0)
        return [];
    let letters = '';
    let sign = '';
    const params = [];
    for (const ch of changes) {
        const s = ch.add ? '+' : '-';
        if (s !== sign)
            letters += sign = s;
        letters += ch.mode;
        if (ch.param !== null)
            params.push(ch.param);
    }
    return [letters, ...params];
};
/**
 * The 324 parameters after the channel name: `+klnt key 10`, letters in alphabetical order
 * (as InspIRCd lists them) and parameters in the same order. The key is shown only to
 * members (RFC 2811 §4.2.10); others see `*` in its place, so parameters stay aligned.
 */
export const channelModeIs = (ch, showKey) => {
    const m = ch.modes;
    let letters = '+';
    const params = [];
    if (m.inviteOnly)
        letters += 'i';
    if (m.key !== null) {
        letters += 'k';
        params.push(showKey ? m.key : '*');
    }
    if (m.limit !== null) {
        letters += 'l';
        params.push(String(m.limit));
    }
    if (m.moderated)
        letters += 'm';
    if (m.noExternal)
        letters += 'n';
    if (m.private)
        letters += 'p';
    if (m.secret)
        letters += 's';
    if (m.topicLocked)
        letters += 't';
    return [letters, ...params];
};
/**
 * The MODE lines for `changes`: one, unless it would exceed MAX_LINE_BYTES (CR LF included);
 * then the changes are cut greedily into as few lines as fit. `line` builds the Send effect.
 */
export const splitToFit = (changes, line) => {
    const fits = (e) => e._tag !== 'Send' || e.line.length + 2 <= MAX_LINE_BYTES;
    const whole = line(changes);
    if (fits(whole))
        return [whole];
    const out = [];
    let chunk = [];
    for (const ch of changes) {
        if (chunk.length > 0 && !fits(line([...chunk, ch]))) {
            out.push(line(chunk));
            chunk = [];
        }
        chunk.push(ch);
    }
    if (chunk.length > 0)
        out.push(line(chunk));
    return out;
};
//# sourceMappingURL=render.js.map