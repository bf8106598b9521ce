// HELP [<subject>]   (Modern IRC "HELP message"; also answers HELPOP, which clients try next)
// No subject: 704 * :** Help System **, 705 * :, then the commands this server knows (read
// from the command table, so the index never lists a verb that would get 421), 706 * :End.
// A known command: 704 <VERB> :<syntax>, 705 <VERB> :, 705 lines of text, 706 <VERB> :End of /HELP.
// Anything else: 524 ERR_HELPNOTFOUND <subject> alone. Subjects are case-insensitive; the
// reply carries the subject upper-cased (the spec allows a casefolded subject).
// The verb list is handed in by command.ts (helpCommand(knownVerbs)) rather than imported, so
// this module does not import the table that imports it.
import type { Effect } from '../effect.js';
import * as N from '../numerics.js';
import { numeric } from '../reply.js';
import type { VerbSpec } from '../verb.js';

export interface Help {
  readonly _tag: 'Help';
  readonly subject: string;
}

/** Syntax line, then a few lines of description, per verb. */
export const HELP_TEXT: Readonly<Record<string, readonly string[]>> = {
  ADMIN: ['ADMIN [<server>]', 'Shows who administers the server.'],
  AWAY: ['AWAY [:<message>]', 'Marks you away with a message, or back without one.'],
  CONNECT: ['CONNECT <server> [<port>]', 'Links a server (IRC operators only); this server links to none.'],
  CAP: ['CAP <subcommand> [:<capabilities>]', 'Negotiates IRCv3 capabilities (LS, LIST, REQ, END).'],
  HELP: ['HELP [<command>]', 'Lists the commands, or explains one of them.'],
  INFO: ['INFO', 'Describes the server software.'],
  INVITE: ['INVITE [<nick> <channel>]', 'Invites a user to a channel (needed to join a +i channel); alone, lists your invitations.'],
  ISON: ['ISON <nick> [<nick> ...]', 'Tells which of the given nicks are online.'],
  JOIN: ['JOIN <channel>{,<channel>} [<key>{,<key>}]', 'Joins channels, creating them if needed. JOIN 0 leaves all channels.'],
  KICK: ['KICK <channel>{,<channel>} <nick>{,<nick>} [:<reason>]', 'Removes users from a channel (channel operators only).'],
  KILL: ['KILL <nick> :<reason>', 'Disconnects a user from the server (IRC operators only).'],
  LINKS: ['LINKS [[<server>] <mask>]', 'Lists the servers of the network: just this one.'],
  LIST: ['LIST [<channel>{,<channel>}] | [>n | <n | <mask>]', 'Lists channels with their user counts and topics.'],
  LUSERS: ['LUSERS', 'Shows how many users, operators and channels there are.'],
  MODE: ['MODE <nick|channel> [<modes> [<arguments>]]', 'Shows or changes user modes (i, o, w) or channel modes.'],
  MONITOR: ['MONITOR {+|-} <nick>{,<nick>} | C | L | S', 'Watches nicks: you are told when they come online (730) or go offline (731).'],
  MOTD: ['MOTD [<server>]', 'Shows the message of the day.'],
  NAMES: ['NAMES [<channel>{,<channel>}]', 'Lists the users in channels.'],
  NICK: ['NICK <nickname>', 'Sets or changes your nickname.'],
  NOTICE: ['NOTICE <target>{,<target>} :<text>', 'Like PRIVMSG, but never answered automatically.'],
  OPER: ['OPER <name> <password>', 'Makes you an IRC operator (user mode +o).'],
  PART: ['PART <channel>{,<channel>} [:<reason>]', 'Leaves channels.'],
  PASS: ['PASS <password>', 'Gives the connection password, before NICK and USER.'],
  PING: ['PING <token>', 'Asks the server to answer PONG with the same token.'],
  PONG: ['PONG [<server>] <token>', 'Answers a PING from the server.'],
  PRIVMSG: ['PRIVMSG <target>{,<target>} :<text>', 'Sends a message to users or channels (@#chan: operators only).'],
  QUIT: ['QUIT [:<reason>]', 'Disconnects from the server.'],
  SETNAME: ['SETNAME :<realname>', 'Changes your realname (IRCv3 setname).'],
  SQUIT: ['SQUIT <server> :<comment>', 'Unlinks a server (IRC operators only); this server links to none.'],
  STATS: ['STATS <query> [<server>]', 'Server statistics: u shows the uptime.'],
  SUMMON: ['SUMMON <user>', 'Disabled, as on every modern server.'],
  USERS: ['USERS', 'Disabled, as on every modern server.'],
  TAGMSG: ['TAGMSG <target>{,<target>}', 'Sends only client tags (IRCv3 message-tags), such as typing notifications.'],
  TIME: ['TIME [<server>]', "Shows the server's time."],
  TOPIC: ['TOPIC <channel> [:<topic>]', 'Shows or sets a channel topic; an empty topic clears it.'],
  USER: ['USER <username> <mode> * :<realname>', 'Gives your username and real name when connecting.'],
  USERHOST: ['USERHOST <nick> [<nick> ...]', 'Shows user@host and away/operator status of up to five nicks.'],
  VERSION: ['VERSION [<server>]', 'Shows the server version and the features it supports (005).'],
  WALLOPS: ['WALLOPS :<text>', 'Sends a message to all users with mode +w (IRC operators only).'],
  REHASH: ['REHASH', 'Reloads the server configuration file (IRC operators only).'],
  WHO: ['WHO [<mask> [o][%<fields>[,<token>]]]', 'Lists users in a channel or matching a mask; o lists only IRC operators; %<fields> (WHOX) picks the fields of each 354 reply.'],
  WHOIS: ['WHOIS [<server>] <nick>', 'Shows information about a user.'],
  WHOWAS: ['WHOWAS <nick> [<count>]', 'Shows information about a nick that has left.'],
};

/** The index lines: the verbs, several to a line. */
const indexLines = (verbs: readonly string[]): string[] => {
  const lines: string[] = [];
  for (let i = 0; i < verbs.length; i += 8) lines.push(verbs.slice(i, i + 8).join(' '));
  return lines;
};

/** The HELP command, answering from the verbs `knownVerbs` returns (the command table's). */
export const helpCommand = (knownVerbs: () => readonly string[]): VerbSpec<Help> => ({
  verbs: ['HELP', 'HELPOP'],
  minParams: 0,
  beforeRegistration: false,
  operOnly: false,
  decode: (m) => ({ _tag: 'Help', subject: (m.params[0] ?? '').trim() }),
  handle: (state, c, cmd) => {
    const verbs = [...new Set(knownVerbs())].sort();
    const out: Effect[] = [];
    const reply = (subject: string, title: string, body: readonly string[]): Effect[] => [
      numeric(state, c, N.RPL_HELPSTART, [subject], title),
      numeric(state, c, N.RPL_HELPTXT, [subject, '']),
      ...body.map((l) => numeric(state, c, N.RPL_HELPTXT, [subject], l)),
      numeric(state, c, N.RPL_ENDOFHELP, [subject], 'End of /HELP'),
    ];
    if (cmd.subject === '') {
      out.push(...reply('*', '** Help System **', ['Commands available (HELP <command> for more):', ...indexLines(verbs)]));
      return [state, out];
    }
    const subject = cmd.subject.replace(/[a-z]+/g, (w) => w.toUpperCase()); // ASCII only: keep latin1 bytes
    const text = verbs.includes(subject) ? HELP_TEXT[subject] : undefined;
    // A subject with a space could not be sent as a middle parameter: 524 uses `*` then.
    if (text === undefined) return [state, [numeric(state, c, N.ERR_HELPNOTFOUND, [/\s/.test(subject) ? '*' : subject])]];
    const [syntax, ...body] = text;
    out.push(...reply(subject, syntax ?? subject, body));
    return [state, out];
  },
});
