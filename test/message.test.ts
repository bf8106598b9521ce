import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientTagsOf, KNOWN_VERBS, parse, serialize, type Message } from '../src/core/message.js';
import { knownVerbs } from '../src/core/command.js';
import { fold } from '../src/core/casemap.js';
import { globMatch, normaliseMask } from '../src/core/mask.js';
import { httpDate, isoTime } from '../src/core/time.js';
import { runs } from './runs.js';

const ok = (line: string): Message => {
  const r = parse(line);
  if (!r.ok) throw new Error(`parse failed: ${r.error}`);
  return r.message;
};

describe('parse', () => {
  it('reads tags, source, verb and params', () => {
    expect(ok('@id=123;+draft/x=a\\sb\\:c;flag :nick!u@h privmsg #chan :hello world')).toEqual({
      tags: { id: '123', '+draft/x': 'a b;c', flag: '' },
      source: 'nick!u@h',
      verb: 'PRIVMSG',
      params: ['#chan', 'hello world'],
    });
  });
  it('keeps empty and colon-leading trailing params', () => {
    expect(ok('TOPIC #a :').params).toEqual(['#a', '']);
    expect(ok('PRIVMSG bob ::-)').params).toEqual(['bob', ':-)']);
  });
  it('folds repeated spaces between params', () => {
    expect(ok('USER  a   0 *  :real  name').params).toEqual(['a', '0', '*', 'real  name']);
  });
  it('treats everything after the 14th middle param as the 15th', () => {
    const params = Array.from({ length: 16 }, (_, i) => `p${i}`);
    const m = ok(`CMD ${params.join(' ')}`);
    expect(m.params).toHaveLength(15);
    expect(m.params[14]).toBe('p14 p15');
  });
  it('unescapes tag values', () => {
    expect(ok('@a=\\\\\\r\\n\\x PING x').tags).toEqual({ a: '\\\r\nx' });
  });
  it('enforces 510 bytes after the tags and 4094 bytes of tag data (message-tags)', () => {
    expect(parse('PRIVMSG a :' + 'x'.repeat(510 - 11)).ok).toBe(true);
    expect(parse('PRIVMSG a :' + 'x'.repeat(510 - 10))).toEqual({ ok: false, error: 'too-long' });
    expect(parse('@' + 'a'.repeat(4094) + ' PING x').ok).toBe(true);
    expect(parse('@' + 'a'.repeat(4095) + ' PING x')).toEqual({ ok: false, error: 'too-long' });
  });
  it('keeps only well-formed client-only tags for relaying, without NUL', () => {
    expect(clientTagsOf(ok('@+a=b\\s\0c;time=x;+;+example.com/k;+bad!=1 PING x').tags)).toBe('+a=b\\sc;+example.com/k');
    expect(clientTagsOf(undefined)).toBe('');
  });
  it('reports empty lines and lines without a verb', () => {
    expect(parse('   ')).toEqual({ ok: false, error: 'empty' });
    expect(parse(':source')).toEqual({ ok: false, error: 'no-verb' });
  });
});

describe('verbs', () => {
  // The reference: ASCII letters upper-cased, every other byte kept (what the general path does).
  const upper = (w: string): string => w.replace(/[a-z]/g, (x) => x.toUpperCase());
  it('recognizes exactly the verbs the command table decodes', () => {
    expect([...KNOWN_VERBS].sort()).toEqual([...new Set(knownVerbs())].sort());
  });
  it('gives a known verb in any case as the table spells it', () => {
    expect(ok('privmsg #a :x').verb).toBe('PRIVMSG');
    expect(ok('NoTiCe #a :x').verb).toBe('NOTICE');
    expect(ok('WHOISX a').verb).toBe('WHOISX');
    expect(ok('WHOI a').verb).toBe('WHOI');
    // Bytes that share a letter's low bits (the same bucket) are not that letter.
    expect(ok('NIC\x0b a').verb).toBe('NIC\x0b');
    expect(ok('PAR\xd4 a').verb).toBe('PAR\xd4');
  });
  it('reads every verb as the general path does', () => {
    const letterOrByte = fc.oneof(
      fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('')),
      fc.integer({ min: 33, max: 255 }).map((c) => String.fromCharCode(c)),
    );
    // A known verb with its letters' case flipped at random and maybe one byte changed, or any token.
    const nearKnown = fc
      .tuple(fc.constantFrom(...KNOWN_VERBS), fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }), fc.option(fc.tuple(fc.nat(15), letterOrByte)))
      .map(([v, flips, change]) => {
        const chars = v.split('').map((ch, i) => (flips[i] ? ch.toLowerCase() : ch));
        if (change !== null) chars[change[0] % chars.length] = change[1];
        return chars.join('');
      });
    const anyToken = fc.array(letterOrByte, { minLength: 1, maxLength: 18 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.oneof(nearKnown, anyToken), (verb) => {
        fc.pre(!verb.startsWith(':') && !verb.startsWith('@'));
        expect(ok(`${verb} a :b`).verb).toBe(upper(verb));
        expect(ok(verb).verb).toBe(upper(verb));
      }),
      { numRuns: runs(2000) },
    );
  });
});

describe('serialize', () => {
  it('writes the trailing colon only when needed unless forced', () => {
    expect(serialize({ verb: 'MODE', params: ['#a', '+o', 'bob'] })).toBe('MODE #a +o bob');
    expect(serialize({ verb: 'PRIVMSG', params: ['bob', 'hi'] }, true)).toBe('PRIVMSG bob :hi');
    expect(serialize({ verb: 'TOPIC', params: ['#a', ''] })).toBe('TOPIC #a :');
    expect(serialize({ source: 'srv', verb: 'X', params: [':)'] })).toBe(':srv X ::)');
  });
  it('never lets CR, LF or NUL into a parameter', () => {
    expect(serialize({ verb: 'PRIVMSG', params: ['a\r\nQUIT', 'x\0y\nz'] })).toBe('PRIVMSG a__QUIT :x y z');
  });
  it('escapes tag values', () => {
    expect(serialize({ tags: { a: 'b c;d\\', e: '' }, verb: 'PING', params: ['x'] })).toBe('@a=b\\sc\\:d\\\\;e PING x');
  });
});

const middle = fc.stringMatching(/^[^\s:\0\r\n][^\s\0\r\n]{0,20}$/);
const trailing = fc.stringMatching(/^[^\0\r\n]{0,40}$/);
const messageArb: fc.Arbitrary<Message> = fc.record({
  tags: fc.option(fc.dictionary(fc.stringMatching(/^\+?[a-z][a-z0-9-]{0,8}$/), fc.string({ maxLength: 12 }), { maxKeys: 3 }), { nil: undefined }),
  source: fc.option(fc.stringMatching(/^[a-z][a-z0-9]{0,8}(![a-z]{1,5}@[a-z.]{1,10})?$/), { nil: undefined }),
  verb: fc.stringMatching(/^([A-Z]{1,10}|\d{3})$/),
  params: fc.tuple(fc.array(middle, { maxLength: 13 }), fc.option(trailing, { nil: undefined })).map(([m, t]) => (t === undefined ? m : [...m, t])),
});

describe('properties', () => {
  it('parse(serialize(m)) gives m back', () => {
    fc.assert(
      fc.property(messageArb, (m) => {
        const back = ok(serialize(m));
        const tags = m.tags && Object.keys(m.tags).length > 0 ? m.tags : undefined;
        expect({ ...back, tags: back.tags && Object.keys(back.tags).length > 0 ? { ...back.tags } : undefined }).toEqual({ ...m, tags });
      }),
      { numRuns: runs(500) },
    );
  });
  it('the parser never throws, whatever the string', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 600 }), (s) => void parse(s)), { numRuns: runs(2000) });
  });
  it('serialize never emits CR, LF or NUL', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 20 }), { maxLength: 15 }), (params) => {
        expect(serialize({ verb: 'X', params })).not.toMatch(/[\r\n\0]/);
      }),
      { numRuns: runs(1000) },
    );
  });
});

describe('case-mapping and masks', () => {
  it('folds rfc1459 specials', () => {
    expect(fold('Nick[]\\~')).toBe('nick{}|^');
    expect(fold('Nick[]', 'ascii')).toBe('nick[]');
    expect(fold('A~', 'strict-rfc1459')).toBe('a~');
  });
  it('normalises masks', () => {
    expect(normaliseMask('bob')).toBe('bob!*@*');
    expect(normaliseMask('bob!x')).toBe('bob!x@*');
    expect(normaliseMask('x@host')).toBe('*!x@host');
    expect(normaliseMask('*.example.com')).toBe('*!*@*.example.com');
    expect(normaliseMask('a!b@c')).toBe('a!b@c');
  });
  it('matches globs under case-mapping', () => {
    expect(globMatch('*!*@127.*', 'Alice!al@127.0.0.1')).toBe(true);
    expect(globMatch('ALICE[]!*@*', 'alice{}!x@y')).toBe(true);
    expect(globMatch('a?c', 'abc')).toBe(true);
    expect(globMatch('a?c', 'abbc')).toBe(false);
    expect(globMatch('*a*b*c*', 'xxaxxbxxc')).toBe(true);
    expect(globMatch('*a*b*c', 'xxaxxbxxcx')).toBe(false);
  });
});

describe('time', () => {
  it('formats like Date#toUTCString', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (ms) => {
        expect(httpDate(ms)).toBe(new Date(ms).toUTCString());
      }),
      { numRuns: runs(1000) },
    );
  });
  it('formats like Date#toISOString (server-time), to the millisecond', () => {
    expect(isoTime(1_700_000_000_007)).toBe('2023-11-14T22:13:20.007Z');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (ms) => {
        expect(isoTime(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: runs(1000) },
    );
  });
});
