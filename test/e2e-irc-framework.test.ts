// End to end with a real client library from npm: two irc-framework clients register with the
// daemon (through the shell over TCP) and exchange private messages and notices; one asks for
// IRCv3 echo-message and gets its own messages back; away-notify and extended-join, which
// irc-framework asks for by itself, show one the other's JOIN with its realname and its AWAY;
// MONITOR tells one when the other comes and goes.
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/core/state.js';
import { startServer, type RunningServer } from '../src/shell/server.js';
import { Client, type IrcClient as Framework } from './irc-framework.js';

interface IrcEvent {
  nick: string;
  target: string;
  message: string;
}
type IrcClient = Framework<IrcEvent>;

let server: RunningServer | null = null;
const clients: IrcClient[] = [];

afterEach(async () => {
  for (const c of clients) c.quit('bye');
  clients.length = 0;
  await server?.close();
  server = null;
});

/** Connect an irc-framework client and resolve when it is registered. */
const join = (
  port: number,
  nick: string,
  password?: string,
  options: Record<string, unknown> = {},
): Promise<{ client: IrcClient; inbox: IrcEvent[]; next: () => Promise<IrcEvent> }> =>
  new Promise((resolve, reject) => {
    const client = new Client<IrcEvent>({ auto_reconnect: false });
    clients.push(client);
    const inbox: IrcEvent[] = [];
    const waiters: Array<(e: IrcEvent) => void> = [];
    const deliver = (e: IrcEvent): void => {
      const w = waiters.shift();
      if (w) w(e);
      else inbox.push(e);
    };
    client.on('privmsg', deliver);
    client.on('notice', (e) => {
      if (e.nick !== undefined && e.nick !== '' && e.target === nick) deliver(e); // skip server notices
    });
    const next = (): Promise<IrcEvent> => {
      const e = inbox.shift();
      return e ? Promise.resolve(e) : new Promise((r) => waiters.push(r));
    };
    client.once('registered', () => resolve({ client, inbox, next }));
    client.once('close', () => reject(new Error(`${nick} closed before registering`)));
    client.connect({ host: '127.0.0.1', port, nick, username: nick, gecos: `${nick} real`, ...(password ? { password } : {}), ...options });
  });

describe('irc-framework against the daemon', () => {
  it('registers two users who exchange PRIVMSG and NOTICE', async () => {
    server = await startServer({ config: { ...defaultConfig, createdAt: Date.now(), password: 's3cret' }, host: '127.0.0.1', port: 0, tickIntervalMs: 0 });
    const alice = await join(server.port, 'alice', 's3cret');
    const bob = await join(server.port, 'bob', 's3cret');
    const registered = [...server.state().clients.values()].filter((c) => c.registered).map((c) => c.nick);
    expect(registered.sort()).toEqual(['alice', 'bob']);

    alice.client.say('bob', 'hello bob, ça va ?');
    expect(await bob.next()).toMatchObject({ nick: 'alice', target: 'bob', message: 'hello bob, ça va ?' });
    bob.client.say('alice', 'hi alice');
    expect(await alice.next()).toMatchObject({ nick: 'bob', target: 'alice', message: 'hi alice' });
    bob.client.notice('alice', 'a notice');
    expect(await alice.next()).toMatchObject({ nick: 'bob', target: 'alice', message: 'a notice' });
  });

  it('echo-message: the client that asks for it gets its own messages back, the other does not', async () => {
    server = await startServer({ config: { ...defaultConfig, createdAt: Date.now() }, host: '127.0.0.1', port: 0, tickIntervalMs: 0 });
    const alice = await join(server.port, 'alice', undefined, { enable_echomessage: true });
    const bob = await join(server.port, 'bob');
    const caps = (nick: string): string[] => [...[...server!.state().clients.values()].find((c) => c.nick === nick)!.caps];
    expect(caps('alice')).toContain('echo-message');
    expect(caps('bob')).not.toContain('echo-message');

    alice.client.say('bob', 'did you get this?');
    const got = await bob.next();
    expect(got).toMatchObject({ nick: 'alice', target: 'bob', message: 'did you get this?' });
    // irc-framework also asked for server-time: the message carries the server's time of it.
    expect(caps('bob')).toContain('server-time');
    const time = (got as unknown as { time?: number }).time;
    expect(typeof time).toBe('number');
    expect(Math.abs(time! - Date.now())).toBeLessThan(60_000);
    expect(await alice.next()).toMatchObject({ nick: 'alice', target: 'bob', message: 'did you get this?' });
    bob.client.say('alice', 'yes');
    expect(await alice.next()).toMatchObject({ nick: 'bob', target: 'alice', message: 'yes' });
    // bob's own message did not come back to him (alice's reply arriving proves it was handled).
    alice.client.say('bob', 'good');
    expect(await bob.next()).toMatchObject({ nick: 'alice', message: 'good' });
    expect(bob.inbox).toEqual([]);
  });

  it('away-notify and extended-join: irc-framework asks for them, sees a peer join with its realname, go away and come back', async () => {
    server = await startServer({ config: { ...defaultConfig, createdAt: Date.now() }, host: '127.0.0.1', port: 0, tickIntervalMs: 0 });
    const alice = await join(server.port, 'alice');
    const bob = await join(server.port, 'bob');
    const heard: string[] = [];
    const next = new Promise<void>((resolve) => {
      const note = (kind: string) => (e: { self: boolean; nick: string; message: string }) => {
        if (e.self) return;
        heard.push(`${kind} ${e.nick} ${e.message}`);
        if (heard.length === 2) resolve();
      };
      alice.client.on('away', note('away') as never);
      alice.client.on('back', note('back') as never);
    });
    const joined = (c: IrcClient) => new Promise<void>((r) => c.on('join', (() => r()) as never));
    const both = Promise.all([joined(alice.client), joined(bob.client)]);
    // extended-join, also asked for by irc-framework: bob's JOIN reaches alice with his realname.
    const bobSeen = new Promise<unknown>((r) => alice.client.on('join', ((e: { nick: string }) => e.nick === 'bob' && r(e)) as never));
    alice.client.join('#room');
    await joined(alice.client);
    bob.client.join('#room');
    await both;
    expect(await bobSeen).toMatchObject({ nick: 'bob', channel: '#room', account: false, gecos: 'bob real' });
    bob.client.raw('AWAY :out for lunch');
    bob.client.raw('AWAY');
    await next;
    expect(heard).toEqual(['away bob out for lunch', 'back bob ']);
  });

  it('MONITOR: irc-framework watches a nick and hears it come online and go offline', async () => {
    server = await startServer({ config: { ...defaultConfig, createdAt: Date.now() }, host: '127.0.0.1', port: 0, tickIntervalMs: 0 });
    const alice = await join(server.port, 'alice');
    const heard: string[] = [];
    let wake: () => void = () => undefined;
    const note = (kind: string) => ((e: { nicks: string[] }) => {
      heard.push(`${kind} ${e.nicks.join(',')}`);
      wake();
    }) as never;
    alice.client.on('users online', note('online'));
    alice.client.on('users offline', note('offline'));
    const until = (n: number) => new Promise<void>((r) => (wake = () => heard.length >= n && r()));
    let next = until(1);
    alice.client.addMonitor('bob');
    await next;
    next = until(2);
    const bob = await join(server.port, 'bob');
    await next;
    next = until(3);
    bob.client.quit('bye');
    await next;
    expect(heard).toEqual(['offline bob', 'online bob', 'offline bob']);
  });

  it('message-tags: a typing notification (TAGMSG) from one irc-framework client reaches the other with its tags', async () => {
    server = await startServer({ config: { ...defaultConfig, createdAt: Date.now() }, host: '127.0.0.1', port: 0, tickIntervalMs: 0 });
    const alice = await join(server.port, 'alice');
    const bob = await join(server.port, 'bob');
    const got = new Promise<{ nick: string; target: string; tags: Record<string, string> }>((r) => bob.client.on('tagmsg', r as never));
    alice.client.tagmsg('bob', { '+typing': 'active' });
    expect(await got).toMatchObject({ nick: 'alice', target: 'bob', tags: { '+typing': 'active' } });
  });
});
