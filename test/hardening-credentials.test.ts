// Hashed and plain passwords (src/core/credentials.ts), their use by PASS and OPER, the
// redaction of passwords from record files (src/core/redact.ts), and replay of a redacted
// recording giving the same bytes as the live session.
import net from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decodeServerConfig, decodePartialServerConfig } from '../src/core/config.js';
import {
  checkOper,
  constantTimeEqual,
  fromBase64,
  hashPassword,
  parseHash,
  toBase64,
  verifyPassword,
} from '../src/core/credentials.js';
import type { Input } from '../src/core/input.js';
import { REDACTED, WRONG, redactConfig, redactInput } from '../src/core/redact.js';
import { decodeLog } from '../src/replay/log.js';
import { replay } from '../src/replay/replay.js';
import { baseConfig } from '../src/replay/transcript.js';
import { startServer } from '../src/shell/server.js';
import { Harness } from './harness.js';

const salt = (n: number): Uint8Array => Uint8Array.from({ length: 16 }, (_, i) => (i * 31 + n) & 0xff);
const CONN_PW = 'letmein';
const OPER_PW = 'hunter2';
const CONN_HASH = hashPassword(CONN_PW, salt(1));
const OPER_HASH = hashPassword(OPER_PW, salt(2));

describe('verifyPassword', () => {
  it('compares plain text exactly', () => {
    expect(verifyPassword('secret', 'secret')).toBe(true);
    expect(verifyPassword('secreT', 'secret')).toBe(false);
    expect(verifyPassword('secret ', 'secret')).toBe(false);
    expect(verifyPassword('', 'secret')).toBe(false);
    expect(constantTimeEqual('a\0', 'a')).toBe(false);
  });

  it('verifies a scrypt hash, and only the right password', () => {
    expect(CONN_HASH).toMatch(/^scrypt\$4096\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(verifyPassword(CONN_PW, CONN_HASH)).toBe(true);
    expect(verifyPassword('letmeim', CONN_HASH)).toBe(false);
    expect(verifyPassword(CONN_HASH, CONN_HASH)).toBe(false); // the hash is not the password
    // A different salt gives a different hash of the same password.
    expect(hashPassword(CONN_PW, salt(9))).not.toBe(CONN_HASH);
  });

  it('agrees with the RFC 7914 §12 scrypt test vector', () => {
    // P="pleaseletmein", S="SodiumChloride", N=16384, r=8, p=1, dkLen=64.
    const dk =
      '7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2' +
      'd5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887';
    const stored = `scrypt$16384$8$1$${toBase64(Buffer.from('SodiumChloride'))}$${Buffer.from(dk, 'hex').toString('base64')}`;
    expect(verifyPassword('pleaseletmein', stored)).toBe(true);
    expect(verifyPassword('pleaseletmeout', stored)).toBe(false);
  });

  it('hashes bytes as they arrive on the wire (latin1)', () => {
    const stored = hashPassword('p\xe4ss', salt(3));
    expect(verifyPassword('p\xe4ss', stored)).toBe(true);
    expect(verifyPassword('p\xc3\xa4ss', stored)).toBe(false);
  });

  it('refuses malformed hashes without throwing', () => {
    for (const bad of [
      'scrypt$',
      'scrypt$4096$8$1$abc$def',
      'scrypt$4095$8$1$' + toBase64(salt(1)) + '$' + toBase64(new Uint8Array(32)),
      'scrypt$1073741824$8$1$' + toBase64(salt(1)) + '$' + toBase64(new Uint8Array(32)),
      CONN_HASH + '$x',
      CONN_HASH.replace('$8$', '$0$'),
    ]) {
      expect(parseHash(bad), bad).toBeNull();
      expect(verifyPassword(CONN_PW, bad)).toBe(false);
    }
  });

  it('base64 round-trips and rejects non-canonical text', () => {
    for (let n = 0; n < 8; n++) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 77 + 5) & 0xff);
      expect(toBase64(b)).toBe(Buffer.from(b).toString('base64'));
      expect(fromBase64(toBase64(b))).toEqual(b);
    }
    expect(fromBase64('QQ=')).toBeNull();
    expect(fromBase64('QR==')).toBeNull(); // non-zero padding bits
    expect(fromBase64('Q Q=')).toBeNull();
  });

  it('checkOper needs the name and the password of the same block', () => {
    const opers = [
      { name: 'alice', password: OPER_HASH },
      { name: 'bob', password: 'plainpw' },
    ];
    expect(checkOper(opers, 'alice', OPER_PW)).toBe(true);
    expect(checkOper(opers, 'bob', 'plainpw')).toBe(true);
    expect(checkOper(opers, 'alice', 'plainpw')).toBe(false);
    expect(checkOper(opers, 'carol', OPER_PW)).toBe(false);
    expect(checkOper([], 'alice', OPER_PW)).toBe(false);
  });
});

describe('config: hashed passwords', () => {
  it('accepts a well-formed hash and refuses a malformed one, naming the field but not the value', () => {
    const ok = decodePartialServerConfig({ password: CONN_HASH, opers: [{ name: 'alice', password: OPER_HASH }] });
    expect(isRight(ok)).toBe(true);
    const bad = decodePartialServerConfig({ opers: [{ name: 'alice', password: 'scrypt$1$2$3$x$y' }] });
    expect(isLeft(bad)).toBe(true);
    if (isLeft(bad)) {
      expect(bad.left).toMatch(/^opers\.0\.password: expected .*well-formed scrypt hash/);
      expect(bad.left).not.toContain('scrypt$1$2$3');
    }
  });
});

describe('PASS and OPER with hashes', () => {
  it('registers with the right connection password and refuses a wrong one', () => {
    const h = new Harness({ password: CONN_HASH });
    h.connect('good');
    h.send('good', `PASS ${CONN_PW}`);
    h.send('good', 'NICK good');
    h.send('good', 'USER good 0 * :Good');
    expect(h.take('good').some((l) => l.startsWith(':irc.local 001 good '))).toBe(true);
    h.connect('bad');
    h.send('bad', 'PASS letmeout');
    h.send('bad', 'NICK bad');
    h.send('bad', 'USER bad 0 * :Bad');
    expect(h.take('bad')).toEqual([':irc.local 464 bad :Password incorrect', 'ERROR :Closing link: bad@127.0.0.1 (Bad password)']);
    expect(h.closed.has(h.id('bad'))).toBe(true);
  });

  it('OPER accepts the hashed password and refuses others', () => {
    const h = new Harness({ opers: [{ name: 'admin', password: OPER_HASH }] });
    h.register('alice');
    h.send('alice', 'OPER admin wrong');
    expect(h.take('alice')).toEqual([':irc.local 464 alice :Password incorrect']);
    h.send('alice', `OPER admin ${OPER_PW}`);
    expect(h.take('alice')).toEqual([':irc.local 381 alice :You are now an IRC operator', ':alice!alice@127.0.0.1 MODE alice :+o']);
  });
});

describe('redaction', () => {
  const config = { ...baseConfig(), password: CONN_HASH, opers: [{ name: 'admin', password: OPER_PW }] };
  const h = new Harness(config);
  const line = (text: string): Input => ({ _tag: 'LineReceived', seq: 1, at: 0, client: 1, line: text });
  const redacted = (text: string): string => {
    const out = redactInput(h.state, line(text));
    return out._tag === 'LineReceived' ? out.line : '';
  };

  it('replaces PASS and OPER passwords by a verdict', () => {
    expect(redacted(`PASS ${CONN_PW}`)).toBe(`PASS ${REDACTED}`);
    expect(redacted('PASS nope')).toBe(`PASS ${WRONG}`);
    expect(redacted(`pass :${CONN_PW}`)).toBe(`PASS ${REDACTED}`);
    expect(redacted(`@tag=1 :src PASS ${CONN_PW} extra`)).toBe(`PASS ${REDACTED}`);
    expect(redacted(`OPER admin ${OPER_PW}`)).toBe(`OPER admin ${REDACTED}`);
    expect(redacted(`OPER admin ${CONN_PW}`)).toBe(`OPER admin ${WRONG}`);
    expect(redacted(`OPER root ${OPER_PW}`)).toBe(`OPER root ${WRONG}`);
    expect(redacted('PRIVMSG #a :PASS hunter2')).toBe('PRIVMSG #a :PASS hunter2'); // not a PASS command
    expect(redacted('PASS')).toBe('PASS');
  });

  it('masks an over-long PASS line but keeps it over-long', () => {
    const long = `PASS ${OPER_PW}${'x'.repeat(600)}`;
    const out = redacted(long);
    expect(out.length).toBe(long.length);
    expect(out).not.toContain(OPER_PW);
    expect(out.startsWith('PASS ***')).toBe(true);
  });

  it('redacts every password of a config, keeping oper names', () => {
    const r = redactConfig(config);
    expect(r.password).toBe(REDACTED);
    expect(r.opers).toEqual([{ name: 'admin', password: REDACTED }]);
    expect(redactConfig({ ...config, password: null }).password).toBeNull();
    expect(isRight(decodeServerConfig(r))).toBe(true);
    const reload = redactInput(h.state, { _tag: 'ConfigReloaded', seq: 2, at: 0, config, requestedBy: null });
    expect(JSON.stringify(reload)).not.toContain(OPER_PW);
    expect(JSON.stringify(reload)).not.toContain(CONN_HASH);
  });
});

// ---- over real sockets: record, check the file, replay ------------------------------------

const until = async (cond: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${cond.toString()}`);
    await delay(2);
  }
};

describe('a recorded session holds no password and replays to the same bytes', () => {
  it('with right and wrong PASS and OPER, hashed and plain', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pureircd-cred-'));
    const file = join(dir, 'session.log');
    const now = 1_690_000_000_000;
    const config = {
      ...baseConfig(),
      createdAt: now,
      password: CONN_HASH,
      opers: [
        { name: 'admin', password: OPER_HASH },
        { name: 'plain', password: 'pl41nOperPw' },
      ],
    };
    const server = await startServer({ config, host: '127.0.0.1', port: 0, clock: () => now, tickIntervalMs: 0, recordFile: file });
    const peers: { bytes: Buffer[]; closed: boolean; socket: net.Socket }[] = [];
    let expected = 0;
    const sync = async (): Promise<void> => {
      await until(() => server.state().seq >= expected);
      await server.settled();
      await delay(5);
    };
    const connect = async () => {
      const socket = net.connect({ host: '127.0.0.1', port: server.port });
      const p = { socket, bytes: [] as Buffer[], closed: false };
      socket.on('data', (b: Buffer) => p.bytes.push(b));
      socket.on('close', () => (p.closed = true));
      socket.on('error', () => {});
      await new Promise((r) => socket.once('connect', r));
      peers.push(p);
      expected++;
      await sync();
      return p;
    };
    const send = async (p: (typeof peers)[number], text: string, lines: number) => {
      p.socket.write(text);
      expected += lines;
      await sync();
    };
    try {
      const good = await connect();
      await send(good, `PASS ${CONN_PW}\r\nNICK good\r\nUSER good 0 * :Good\r\n`, 3);
      await send(good, 'OPER admin hunter3\r\n', 1);
      await send(good, `OPER admin ${OPER_PW}\r\n`, 1);
      await send(good, 'OPER plain pl41nOperPw\r\nOPER plain wrongPlain\r\n', 2);
      const bad = await connect();
      await send(bad, 'PASS guessedWrong\r\nNICK bad\r\nUSER bad 0 * :Bad\r\n', 3);
      await until(() => bad.closed);
    } finally {
      await server.close('test over');
      await until(() => peers.every((p) => p.closed));
    }
    const text = readFileSync(file, 'utf8');
    for (const secret of [CONN_PW, OPER_PW, 'hunter3', 'pl41nOperPw', 'wrongPlain', 'guessedWrong', CONN_HASH, OPER_HASH]) {
      expect(text, `record file holds ${secret}`).not.toContain(secret);
    }
    expect(text).toContain(`PASS ${REDACTED}`);
    expect(text).toContain(`PASS ${WRONG}`);
    expect(text).toContain(`OPER admin ${WRONG}`);
    const live = peers.map((p) => Buffer.concat(p.bytes).toString('latin1'));
    expect(live[0]).toContain(' 381 good ');
    expect(live[0]).toContain(' 464 good ');
    expect(live[1]).toContain(' 464 bad ');

    const result = replay(decodeLog(text));
    expect(result.errors).toEqual([]);
    expect(result.violations).toEqual([]);
    peers.forEach((_, i) => {
      const replayed = (result.received.get(i + 1) ?? []).map((l) => l + '\r\n').join('');
      expect(replayed).toBe(live[i]);
    });
  });
});
