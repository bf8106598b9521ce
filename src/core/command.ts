// The command table: every verb the server knows, mapped to its module's spec. The Command
// union is derived from this table, so a command cannot exist without its handler.
import { cap } from './commands/cap.js';
import { mode } from './commands/mode.js';
import { nick } from './commands/nick.js';
import { pass } from './commands/pass.js';
import { ping, pong } from './commands/ping.js';
import { privmsg } from './commands/privmsg.js';
import { quit } from './commands/quit.js';
import { user } from './commands/user.js';
import { invite } from './commands/invite.js';
import { join } from './commands/join.js';
import { kick } from './commands/kick.js';
import { list } from './commands/list.js';
import { names } from './commands/names.js';
import { part } from './commands/part.js';
import { topic } from './commands/topic.js';
import { away } from './commands/away.js';
import { helpCommand } from './commands/help.js';
import { ison } from './commands/ison.js';
import { kill } from './commands/kill.js';
import { lusers } from './commands/lusers.js';
import { motd } from './commands/motd.js';
import { oper } from './commands/oper.js';
import { admin, info, links, time, version } from './commands/serverinfo.js';
import { disabled, serverLink, stats } from './commands/stats.js';
import { userhost } from './commands/userhost.js';
import { wallops } from './commands/wallops.js';
import { rehash } from './commands/rehash.js';
import { setname } from './commands/setname.js';
import { monitor } from './commands/monitor.js';
import { who } from './commands/who.js';
import { whois } from './commands/whois.js';
import { whowas } from './commands/whowas.js';
import type { Message } from './message.js';
import type { VerbSpec } from './verb.js';

/** One entry per command tag. Add a command: write commands/<verb>.ts, add it here. */
export const commands = {
  Cap: cap,
  Mode: mode,
  Nick: nick,
  Pass: pass,
  Ping: ping,
  Pong: pong,
  Privmsg: privmsg,
  Quit: quit,
  User: user,
  Join: join,
  Part: part,
  Topic: topic,
  Names: names,
  List: list,
  Invite: invite,
  Kick: kick,
  Who: who,
  Whois: whois,
  Whowas: whowas,
  Away: away,
  Ison: ison,
  Userhost: userhost,
  Lusers: lusers,
  Motd: motd,
  Version: version,
  Time: time,
  Stats: stats,
  Disabled: disabled,
  ServerLink: serverLink,
  Admin: admin,
  Info: info,
  Links: links,
  Help: helpCommand(() => knownVerbs()),
  Oper: oper,
  Kill: kill,
  Wallops: wallops,
  Rehash: rehash,
  Setname: setname,
  Monitor: monitor,
} as const;

/** Every verb the table decodes (HELP lists them). */
export const knownVerbs = (): string[] => Object.values(commands).flatMap((spec) => spec.verbs);

type Table = typeof commands;
export type VerbCommand = { [K in keyof Table]: ReturnType<Table[K]['decode']> }[keyof Table];

/** Commands that do not come from a client's line, or that could not be decoded. */
export type Lifecycle =
  | { readonly _tag: 'Connected'; readonly address: string; readonly tls: boolean }
  | { readonly _tag: 'Disconnected'; readonly reason: string }
  | { readonly _tag: 'Tick' }
  | { readonly _tag: 'Shutdown'; readonly reason: string }
  | { readonly _tag: 'Unknown'; readonly verb: string }
  | { readonly _tag: 'Malformed'; readonly error: 'empty' | 'too-long' | 'no-verb' }
  /** Fewer parameters than the verb's minimum: 461 (or 451 first if not registered). */
  | { readonly _tag: 'Incomplete'; readonly verb: string };

export type Command = VerbCommand | Lifecycle;

// Each spec's decode must produce its own tag; checked here once, at compile time.
type TagsMatch = { [K in keyof Table]: ReturnType<Table[K]['decode']>['_tag'] extends K ? true : never };
const tagsMatch: TagsMatch = Object.fromEntries(Object.keys(commands).map((k) => [k, true])) as TagsMatch;
void tagsMatch;

type AnySpec = VerbSpec<VerbCommand>;
const byVerb: ReadonlyMap<string, AnySpec> = new Map(
  Object.values(commands).flatMap((spec) => spec.verbs.map((v) => [v, spec as unknown as AnySpec] as const)),
);

export const specOfVerb = (verb: string): AnySpec | undefined => byVerb.get(verb);
export const specOf = <C extends VerbCommand>(cmd: C): VerbSpec<C> =>
  commands[cmd._tag] as unknown as VerbSpec<C>;

export const decode = (m: Message): Command => {
  const spec = byVerb.get(m.verb);
  if (spec === undefined) return { _tag: 'Unknown', verb: m.verb };
  if (m.params.length < spec.minParams) return { _tag: 'Incomplete', verb: m.verb };
  return spec.decode(m);
};
