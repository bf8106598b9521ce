// The config codecs: full configs (record headers) round-trip; config files may give any
// subset; every error names its field in one line.
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decodePartialServerConfig, decodeServerConfig, mergeConfig } from '../src/core/config.js';
import { defaultConfig } from '../src/core/state.js';

const errorOf = (r: ReturnType<typeof decodePartialServerConfig>): string => (isLeft(r) ? r.left : 'no error');

describe('ServerConfigC', () => {
  it('accepts the default config and returns it unchanged (JSON round trip too)', () => {
    const full = { ...defaultConfig, motd: ['hi'], opers: [{ name: 'root', password: 'pw' }], password: 'x' };
    expect(decodeServerConfig(full)).toEqual({ _tag: 'Right', right: full });
    expect(decodeServerConfig(JSON.parse(JSON.stringify(full)))).toEqual({ _tag: 'Right', right: full });
  });

  it('requires every field in a full config', () => {
    const { pingTimeoutMs: _, ...rest } = defaultConfig;
    expect(errorOf(decodeServerConfig(rest))).toBe('pingTimeoutMs: missing field');
  });

  it.each([
    [{ limits: { nickLen: 0 } }, 'limits.nickLen: expected a positive integer'],
    [{ limits: { nickLen: 1.5 } }, 'limits.nickLen: expected a positive integer'],
    [{ limits: { maxClients: -1 } }, 'limits.maxClients: expected a non-negative integer'],
    [{ limits: { nickLen: 9, bogus: 1 } }, 'limits.bogus: unknown field'],
    [{ limits: 3 }, 'limits: expected an object of limits'],
    [{ serverName: 'has space' }, `serverName: expected a server name (letters, digits, '.' and '-', at most 63 characters)`],
    [{ serverInfo: 'a\r\nQUIT' }, 'serverInfo: expected a string without CR, LF or NUL'],
    [{ motd: 'hello' }, 'motd: expected an array of strings or null'],
    [{ motd: ['ok', 7] }, 'motd.1: expected a string without CR, LF or NUL'],
    [{ opers: [{ name: 'a', password: 'b' }, { name: 'c' }] }, 'opers.1.password: missing field'],
    [{ casemapping: 'unicode' }, 'casemapping: expected one of rfc1459, ascii, strict-rfc1459'],
    [
      { password: '' },
      'password: expected a non-empty string without spaces, CR, LF or NUL, or a well-formed scrypt hash (see pureircd hash-password) or null',
    ],
    [{ flood: { enabled: 'yes' } }, 'flood.enabled: expected true or false'],
    [[], 'expected a configuration object'],
  ])('rejects %j with "%s"', (value, message) => {
    expect(errorOf(decodePartialServerConfig(value))).toBe(message);
  });

  it('accepts any subset in a config file, merged over the defaults field by field', () => {
    const r = decodePartialServerConfig({ network: 'Net', motd: null, limits: { topicLen: 100 }, flood: { enabled: false } });
    expect(isRight(r)).toBe(true);
    if (!isRight(r)) return;
    const merged = mergeConfig(defaultConfig, r.right);
    expect(merged).toEqual({
      ...defaultConfig,
      network: 'Net',
      limits: { ...defaultConfig.limits, topicLen: 100 },
      flood: { ...defaultConfig.flood, enabled: false },
    });
    expect(isRight(decodeServerConfig(merged))).toBe(true);
  });
});
