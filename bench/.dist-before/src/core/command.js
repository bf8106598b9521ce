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
import { userhost } from './commands/userhost.js';
import { wallops } from './commands/wallops.js';
import { rehash } from './commands/rehash.js';
import { who } from './commands/who.js';
import { whois } from './commands/whois.js';
import { whowas } from './commands/whowas.js';
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
    Admin: admin,
    Info: info,
    Links: links,
    Help: helpCommand(() => knownVerbs()),
    Oper: oper,
    Kill: kill,
    Wallops: wallops,
    Rehash: rehash,
};
/** Every verb the table decodes (HELP lists them). */
export const knownVerbs = () => Object.values(commands).flatMap((spec) => spec.verbs);
const tagsMatch = Object.fromEntries(Object.keys(commands).map((k) => [k, true]));
void tagsMatch;
const byVerb = new Map(Object.values(commands).flatMap((spec) => spec.verbs.map((v) => [v, spec])));
export const specOfVerb = (verb) => byVerb.get(verb);
export const specOf = (cmd) => commands[cmd._tag];
export const decode = (m) => {
    const spec = byVerb.get(m.verb);
    if (spec === undefined)
        return { _tag: 'Unknown', verb: m.verb };
    if (m.params.length < spec.minParams)
        return { _tag: 'Incomplete', verb: m.verb };
    return spec.decode(m);
};
//# sourceMappingURL=command.js.map