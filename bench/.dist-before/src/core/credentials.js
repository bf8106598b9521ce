// Password checks for PASS and OPER. Pure: the hash is computed by @noble/hashes' scrypt (pure
// JS, audited, no node:crypto), so the same check runs live and in replay. The random salt a
// new hash needs is the shell's business (`pureircd hash-password`); it is passed in here.
//
// A stored password is either plain text or `scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>`.
// Default cost N=2^12, r=8, p=1 (4 MiB of memory): about 15-20 ms per check in pure JS on a
// current x86 core — slow enough to make offline guessing costly, fast enough that one check
// (once per connection for PASS, once per OPER attempt, both flood-limited) does not stall the
// single-threaded server. Node's native scrypt would be ~5x faster, but the core cannot use it.
import { scrypt } from '@noble/hashes/scrypt.js';
export const HASH_PREFIX = 'scrypt$';
export const DEFAULT_SCRYPT = { N: 4096, r: 8, p: 1 };
export const SALT_BYTES = 16;
export const HASH_BYTES = 32;
// Bounds on what a config may ask for: a typo such as N=2^30 would otherwise stall the server
// (and allocate 128·N·r bytes) on every check.
const MAX_N = 2 ** 18;
const MAX_R = 16;
const MAX_P = 16;
/**
 * Equality whose running time depends only on the lengths, not on where the strings differ:
 * every char position of the longer string is visited and differences are OR-ed together.
 */
export const constantTimeEqual = (a, b) => {
    const n = Math.max(a.length, b.length);
    let diff = a.length ^ b.length;
    for (let i = 0; i < n; i++)
        diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
    return diff === 0;
};
const bytesEqual = (a, b) => {
    const n = Math.max(a.length, b.length);
    let diff = a.length ^ b.length;
    for (let i = 0; i < n; i++)
        diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
    return diff === 0;
};
/** The bytes of a password as it came off the wire (lines are bytes kept as latin1 chars). */
export const passwordBytes = (s) => {
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++)
        out[i] = s.charCodeAt(i) & 0xff;
    return out;
};
// ---- base64 (standard alphabet, padded), small enough to keep here and pure ----------------
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
export const toBase64 = (bytes) => {
    let out = '';
    for (let i = 0; i < bytes.length; i += 3) {
        const a = bytes[i];
        const b = bytes[i + 1];
        const c = bytes[i + 2];
        const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
        out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
        out += b === undefined ? '=' : B64[(n >> 6) & 63];
        out += c === undefined ? '=' : B64[n & 63];
    }
    return out;
};
/** Strict: only canonical padded base64 decodes; anything else is null. */
export const fromBase64 = (s) => {
    if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s))
        return null;
    const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
    const out = new Uint8Array((s.length / 4) * 3 - pad);
    let o = 0;
    for (let i = 0; i < s.length; i += 4) {
        let n = 0;
        for (let j = 0; j < 4; j++) {
            const ch = s[i + j];
            n = (n << 6) | (ch === '=' ? 0 : B64.indexOf(ch));
        }
        for (const shift of [16, 8, 0])
            if (o < out.length)
                out[o++] = (n >> shift) & 0xff;
    }
    return toBase64(out) === s ? out : null;
};
// ---- the hash format ------------------------------------------------------------------------
export const isHashed = (stored) => stored.startsWith(HASH_PREFIX);
const isPowerOfTwo = (n) => n >= 2 && (n & (n - 1)) === 0;
/** Parse `scrypt$N$r$p$salt$hash`; null if malformed or its cost is out of bounds. */
export const parseHash = (stored) => {
    const parts = stored.split('$');
    if (parts.length !== 6 || parts[0] !== 'scrypt')
        return null;
    const [N, r, p] = parts.slice(1, 4).map((x) => (/^[1-9][0-9]{0,9}$/.test(x) ? Number(x) : NaN));
    if (!isPowerOfTwo(N) || N > MAX_N || !(r >= 1 && r <= MAX_R) || !(p >= 1 && p <= MAX_P))
        return null;
    const salt = fromBase64(parts[4]);
    const hash = fromBase64(parts[5]);
    if (salt === null || hash === null || salt.length < 8 || hash.length < 16 || hash.length > 64)
        return null;
    return { N, r, p, salt, hash };
};
/** Why a stored password is unusable (a config check), or null when it is fine. */
export const storedPasswordProblem = (stored) => isHashed(stored) && parseHash(stored) === null
    ? `a malformed hash (expected scrypt$N$r$p$<salt base64>$<hash base64>, N a power of 2 up to ${MAX_N}, r up to ${MAX_R}, p up to ${MAX_P})`
    : null;
/** Hash a password with a salt the caller drew at random. */
export const hashPassword = (password, salt, params = DEFAULT_SCRYPT) => {
    const hash = scrypt(passwordBytes(password), salt, { ...params, dkLen: HASH_BYTES });
    return [HASH_PREFIX + String(params.N), params.r, params.p, toBase64(salt), toBase64(hash)].join('$');
};
/**
 * Does `given` (what the client sent) match `stored` (from the config)? Plain text is compared
 * in constant time; a hash is recomputed and compared in constant time. Never throws: a
 * malformed hash (the config codec refuses those) matches nothing.
 */
export const verifyPassword = (given, stored) => {
    if (!isHashed(stored))
        return constantTimeEqual(given, stored);
    const h = parseHash(stored);
    if (h === null)
        return false;
    const computed = scrypt(passwordBytes(given), h.salt, { N: h.N, r: h.r, p: h.p, dkLen: h.hash.length });
    return bytesEqual(computed, h.hash);
};
/**
 * The operator block `name` may log in to, with a constant-time scan of every block's name
 * (timing does not tell which names exist); then ONE password check, against the found block or
 * a stand-in, so the work done is the same whether or not the name exists.
 */
export const checkOper = (opers, name, password) => {
    let found = -1;
    opers.forEach((o, i) => {
        const match = constantTimeEqual(o.name, name);
        if (match && found < 0)
            found = i;
    });
    const block = opers[found < 0 ? 0 : found];
    if (block === undefined)
        return false;
    const passOk = verifyPassword(password, block.password);
    return found >= 0 && passOk;
};
//# sourceMappingURL=credentials.js.map