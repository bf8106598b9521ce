// Case-mapping of nicknames and channel names (ISUPPORT CASEMAPPING). Keys in State are folds,
// the original spelling is kept for display.
const table = (mapping) => {
    const t = [];
    for (let c = 0; c < 256; c++)
        t.push(String.fromCharCode(c));
    for (let c = 65; c <= 90; c++)
        t[c] = String.fromCharCode(c + 32);
    if (mapping !== 'ascii') {
        t[91] = '{'; // [
        t[93] = '}'; // ]
        t[92] = '|'; // backslash
        if (mapping === 'rfc1459')
            t[126] = '^'; // ~
    }
    return t;
};
const TABLES = {
    rfc1459: table('rfc1459'),
    ascii: table('ascii'),
    'strict-rfc1459': table('strict-rfc1459'),
};
/** Fold a name to its case-insensitive key. Only bytes that fold are rewritten. */
export const fold = (name, mapping = 'rfc1459') => {
    const t = TABLES[mapping];
    let i = 0;
    for (; i < name.length; i++) {
        const c = name.charCodeAt(i);
        if (c < 256 && t[c] !== name[i])
            break;
    }
    if (i === name.length)
        return name;
    let out = name.slice(0, i);
    for (; i < name.length; i++) {
        const c = name.charCodeAt(i);
        out += c < 256 ? t[c] : name[i];
    }
    return out;
};
//# sourceMappingURL=casemap.js.map