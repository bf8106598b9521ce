// irc-framework (a real client library from npm) for the end-to-end tests. It ships no types:
// this describes the little the tests use. `E` is the shape a test reads from events.
import { createRequire } from 'node:module';

export interface IrcClient<E = Record<string, unknown>> {
  connect(opts: Record<string, unknown>): void;
  on(event: string, f: (e: E) => void): void;
  once(event: string, f: (e: unknown) => void): void;
  say(target: string, message: string): void;
  notice(target: string, message: string): void;
  join(channel: string, key?: string): void;
  part(channel: string, message?: string): void;
  setTopic(channel: string, topic: string): void;
  changeNick(nick: string): void;
  raw(line: string): void;
  quit(message?: string): void;
  addMonitor(target: string): void;
  tagmsg(target: string, tags: Record<string, string>): void;
  connection: { connected: boolean };
}

const require = createRequire(import.meta.url);
export const { Client } = require('irc-framework') as {
  Client: new <E = Record<string, unknown>>(opts?: Record<string, unknown>) => IrcClient<E>;
};
