// io-ts codecs for the server configuration. Pure. Used by the shell to decode config files
// (every field optional, merged over defaults) and by replay to decode record headers (every
// field required). Errors are formatted as ONE line naming the bad field, e.g.
// `limits.nickLen: expected a positive integer`.
import * as t from 'io-ts';
import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import { storedPasswordProblem } from './credentials.js';
// ---- leaf codecs: each names what it expects, so errors read well --------------------------
const refine = (name, is) => new t.Type(name, is, (u, c) => (is(u) ? t.success(u) : t.failure(u, c, `expected ${name}`)), t.identity);
const isInt = (u) => typeof u === 'number' && Number.isSafeInteger(u);
export const PositiveInt = refine('a positive integer', (u) => isInt(u) && u > 0);
export const NonNegativeInt = refine('a non-negative integer', (u) => isInt(u) && u >= 0);
/** Any string the core may put on the wire: CR, LF and NUL would split or end a line. */
export const Text = refine('a string without CR, LF or NUL', (u) => typeof u === 'string' && !/[\r\n\0]/.test(u));
/** One word (oper names, passwords): no spaces either, so it survives as a middle parameter. */
export const Word = refine('a non-empty string without spaces, CR, LF or NUL', (u) => typeof u === 'string' && /^[^\s\0]+$/.test(u));
/** A host-like name (RFC 2812 servername): letters, digits, '.', '-', at most 63 bytes. */
export const ServerName = refine("a server name (letters, digits, '.' and '-', at most 63 characters)", (u) => typeof u === 'string' && u.length <= 63 && /^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(u));
/**
 * A password: a Word, and when it is a hash (`scrypt$...`) a well-formed one, so a mistyped hash
 * fails at start-up (or on reload) instead of silently locking everyone out.
 */
export const Password = refine('a non-empty string without spaces, CR, LF or NUL, or a well-formed scrypt hash (see pureircd hash-password)', (u) => Word.is(u) && storedPasswordProblem(u) === null);
export const Bool = refine('true or false', (u) => typeof u === 'boolean');
export const CasemappingC = refine('one of rfc1459, ascii, strict-rfc1459', (u) => u === 'rfc1459' || u === 'ascii' || u === 'strict-rfc1459');
const nullable = (inner) => new t.Type(`${inner.name} or null`, (u) => u === null || inner.is(u), (u, c) => {
    if (u === null)
        return t.success(null);
    const r = inner.validate(u, c);
    if (!isLeft(r))
        return r;
    // A failure of the value itself (not of a nested element) should mention null too.
    return t.failures(r.left.map((e) => (e.context.length === c.length ? { ...e, message: `expected ${inner.name} or null` } : e)));
}, t.identity);
const arrayOf = (item, name) => new t.Type(name, (u) => Array.isArray(u) && u.every(item.is), (u, c) => {
    if (!Array.isArray(u))
        return t.failure(u, c, `expected ${name}`);
    const errors = [];
    const out = [];
    u.forEach((v, i) => {
        const r = item.validate(v, t.appendContext(c, String(i), item, v));
        if (isLeft(r))
            errors.push(...r.left);
        else
            out.push(r.right);
    });
    return errors.length > 0 ? t.failures(errors) : t.success(out);
}, t.identity);
/**
 * An object with exactly these fields (all required, or all optional with `partial`): an
 * unknown field is an error naming it, so a typo in a config file never passes silently.
 */
const record = (props, partial, name) => {
    return new t.Type(name, (u) => typeof u === 'object' && u !== null && !Array.isArray(u), (u, c) => {
        if (typeof u !== 'object' || u === null || Array.isArray(u))
            return t.failure(u, c, `expected ${name}`);
        const o = u;
        const errors = [];
        const out = {};
        for (const k of Object.keys(o)) {
            if (!Object.prototype.hasOwnProperty.call(props, k))
                errors.push(...failure(o[k], c, k, 'unknown field'));
        }
        for (const [k, codec] of Object.entries(props)) {
            if (!(k in o)) {
                if (!partial)
                    errors.push(...failure(undefined, c, k, 'missing field'));
                continue;
            }
            const r = codec.validate(o[k], t.appendContext(c, k, codec, o[k]));
            if (isLeft(r))
                errors.push(...r.left);
            else
                out[k] = r.right;
        }
        return errors.length > 0 ? t.failures(errors) : t.success(out);
    }, t.identity);
};
const failure = (value, c, key, message) => [
    { value, context: t.appendContext(c, key, t.unknown, value), message },
];
// ---- the configuration ---------------------------------------------------------------------
const limitsProps = {
    nickLen: PositiveInt,
    userLen: PositiveInt,
    channelLen: PositiveInt,
    topicLen: PositiveInt,
    kickLen: PositiveInt,
    awayLen: PositiveInt,
    realnameLen: PositiveInt,
    maxChannels: PositiveInt,
    maxList: PositiveInt,
    modesPerLine: PositiveInt,
    maxTargets: PositiveInt,
    whowasLen: NonNegativeInt,
    maxClients: NonNegativeInt,
    maxClientsPerHost: NonNegativeInt,
    exemptLoopback: Bool,
    sendQ: PositiveInt,
    recvQ: PositiveInt,
};
const floodProps = {
    enabled: Bool,
    penaltyMs: NonNegativeInt,
    burstMs: NonNegativeInt,
    maxHeldBytes: PositiveInt,
    exemptOpers: Bool,
};
export const OperCredentialC = record({ name: Word, password: Password }, false, 'an object {"name", "password"}');
const configProps = {
    serverName: ServerName,
    serverInfo: Text,
    network: Word,
    version: Word,
    createdAt: NonNegativeInt,
    password: nullable(Password),
    opers: arrayOf(OperCredentialC, 'an array of {"name", "password"} objects'),
    motd: nullable(arrayOf(Text, 'an array of strings')),
    casemapping: CasemappingC,
    pingIntervalMs: PositiveInt,
    pingTimeoutMs: PositiveInt,
    registrationTimeoutMs: PositiveInt,
};
export const LimitsC = record(limitsProps, false, 'an object of limits');
export const FloodConfigC = record(floodProps, false, 'an object of flood settings');
/** The full configuration, as stored in record headers. */
// configFile is set by the command line, never by the file itself: only in the full codec.
export const ServerConfigC = record({ ...configProps, configFile: nullable(Text), limits: LimitsC, flood: FloodConfigC }, false, 'a configuration object');
/** Any subset of the configuration (nested objects too), as written in config files. */
export const PartialServerConfigC = record({
    ...configProps,
    limits: record(limitsProps, true, 'an object of limits'),
    flood: record(floodProps, true, 'an object of flood settings'),
}, true, 'a configuration object');
const sameConfig = true;
const sameLimits = true;
const sameFlood = true;
void sameConfig;
void sameLimits;
void sameFlood;
// ---- errors --------------------------------------------------------------------------------
/** `limits.nickLen: expected a positive integer` for the first error (one line). */
export const formatErrors = (errors) => {
    const e = errors[0];
    if (e === undefined)
        return 'invalid';
    const path = e.context
        .map((entry) => entry.key)
        .filter((k) => k !== '')
        .join('.');
    const last = e.context[e.context.length - 1];
    const message = e.message ?? `expected ${last?.type.name ?? 'a valid value'}`;
    return path === '' ? message : `${path}: ${message}`;
};
const decodeWith = (codec) => (u) => {
    const r = codec.decode(u);
    return isLeft(r) ? left(formatErrors(r.left)) : right(r.right);
};
export const decodeServerConfig = decodeWith(ServerConfigC);
export const decodePartialServerConfig = decodeWith(PartialServerConfigC);
/** Lay a partial configuration over a full one (nested objects merged field by field). */
export const mergeConfig = (base, over) => ({
    ...base,
    ...over,
    limits: { ...base.limits, ...(over.limits ?? {}) },
    flood: { ...base.flood, ...(over.flood ?? {}) },
});
//# sourceMappingURL=config.js.map