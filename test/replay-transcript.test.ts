// The transcript runner itself: parse errors carry line numbers, and a transcript that does not
// match the server fails with readable text (the runner must be able to fail).
import { describe, expect, it } from 'vitest';
import { applyConfigPair, baseConfig, parseDuration, parseTranscript, runTranscript } from '../src/replay/transcript.js';

const run = (lines: string[]) => runTranscript(lines.join('\n'));

describe('transcript parser', () => {
  it('reports every bad statement with its line number', () => {
    const r = parseTranscript(['# comment', 'alice registers', 'alice> PING x', 'wait 10 parsecs', 'bob> PING y', 'what is this'].join('\n'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.line)).toEqual([4, 5, 6]);
    expect(r.errors[1]!.message).toContain("'bob'");
  });

  it('refuses config after a client and expected lines before any action', () => {
    const r = parseTranscript(['alice< :x 001', 'alice connects', 'config password=x'].join('\n'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.line)).toEqual([1, 3]);
  });

  it('groups expected lines under the action before them', () => {
    const r = parseTranscript(['alice connects from 10.0.0.7 tls', 'bob registers', 'alice> PING x', 'alice< a', 'bob< b', 'alice< c', 'alice closed'].join('\n'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [a, b, c] = r.transcript.blocks;
    expect(a!.action).toEqual({ kind: 'connects', client: 'alice', address: '10.0.0.7', tls: true });
    expect(b!.action.kind).toBe('registers');
    expect(c!.line).toBe(3);
    expect(c!.expect.get('alice')).toEqual(['a', 'c']);
    expect(c!.expect.get('bob')).toEqual(['b']);
    expect([...c!.closes]).toEqual(['alice']);
  });

  it('reads config values by the type of their default', () => {
    const r = parseTranscript('config password=123 motd=Hello|Second line limits.nickLen=9 oper=root:pw serverName=irc.test\nalice connects');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const c = r.transcript.config;
    expect(c.password).toBe('123');
    expect(c.motd).toEqual(['Hello', 'Second line']);
    expect(c.limits.nickLen).toBe(9);
    expect(c.limits.channelLen).toBe(baseConfig().limits.channelLen);
    expect(c.opers).toEqual([{ name: 'root', password: 'pw' }]);
    expect(c.serverName).toBe('irc.test');
    expect(c.createdAt).toBe(1_700_000_000_000);
    expect(applyConfigPair(baseConfig(), 'limits.nickLen', 'nine')).toMatch(/wants number/);
    expect(applyConfigPair(baseConfig(), 'nosuch', '1')).toMatch(/unknown config key/);
  });

  it('reads durations', () => {
    expect([parseDuration('500ms'), parseDuration('2m'), parseDuration('1.5s'), parseDuration('3 s')]).toEqual([500, 120_000, 1500, null]);
  });
});

describe('transcript runner (core)', () => {
  it('passes a transcript that matches', () => {
    const r = run(['alice registers', 'alice> PING tok', 'alice< :irc.local PONG irc.local :tok']);
    expect(r.failures).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('fails on a different line, naming the statement and both versions', () => {
    const r = run(['alice registers', '', 'alice> PING tok', 'alice< :irc.local PONG irc.local :other']);
    expect(r.ok).toBe(false);
    expect(r.failures[0]).toContain('line 3 (alice> PING tok)');
    expect(r.failures[0]).toContain(':irc.local PONG irc.local :other');
    expect(r.failures[0]).toContain(':irc.local PONG irc.local :tok');
  });

  it('fails on a missing line and on an extra line', () => {
    expect(run(['alice registers', 'alice> PING tok']).ok).toBe(false);
    expect(run(['alice registers', 'alice> PONG x', 'alice< :irc.local PONG irc.local :x']).ok).toBe(false);
  });

  it('checks who gets what: lines listed for the wrong client fail', () => {
    const r = run(['alice registers', 'bob registers', 'alice> PRIVMSG bob :hi', 'alice< :alice!alice@127.0.0.1 PRIVMSG bob :hi']);
    expect(r.ok).toBe(false);
    expect(r.failures[0]).toMatch(/alice: lines differ[\s\S]*bob: lines differ/);
  });

  it('checks closes both ways', () => {
    const quit = ['alice registers', 'alice> QUIT', 'alice< ERROR :Closing link: alice@127.0.0.1 (Client Quit)'];
    expect(run([...quit, 'alice closed']).ok).toBe(true);
    const r = run(quit);
    expect(r.ok).toBe(false);
    expect(r.failures[0]).toContain('closed the connection unexpectedly');
    expect(run(['alice registers', 'alice> PING x', 'alice< :irc.local PONG irc.local :x', 'alice closed']).ok).toBe(false);
  });

  it('fails a registration that never gets 001', () => {
    const r = run(['config password=secret', 'alice connects', 'alice> NICK alice', 'bob registers']);
    expect(r.ok).toBe(true); // registers sends PASS from the config
    const bad = run(['alice connects', 'alice> NICK bob', 'bob registers']);
    expect(bad.ok).toBe(false);
    expect(bad.failures[0]).toContain('no 001');
  });

  it('moves the clock only on wait, and delivers a tick', () => {
    const r = run(['config pingIntervalMs=1000', 'alice registers', 'wait 999ms', 'wait 1ms', 'alice< PING :irc.local']);
    expect(r.failures).toEqual([]);
    expect(r.state.now).toBe(1_700_000_001_000);
  });
});
