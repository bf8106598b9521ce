// Every numeric reply, by its RFC / Modern IRC name, with its usual human text. This is the
// only file in which reply digits appear. `text` is the default trailing parameter; numerics
// whose trailing part is data (e.g. 005, 353) carry the text used after that data, or ''.

export interface Numeric {
  readonly code: string;
  readonly text: string;
}
const n = (code: string, text = ''): Numeric => ({ code, text });

// Connection registration
export const RPL_WELCOME = n('001');
export const RPL_YOURHOST = n('002');
export const RPL_CREATED = n('003');
export const RPL_MYINFO = n('004');
export const RPL_ISUPPORT = n('005', 'are supported by this server');
export const RPL_UMODEIS = n('221');
// LUSERS
export const RPL_LUSERCLIENT = n('251');
export const RPL_LUSEROP = n('252', 'operator(s) online');
export const RPL_LUSERUNKNOWN = n('253', 'unknown connection(s)');
export const RPL_LUSERCHANNELS = n('254', 'channels formed');
export const RPL_LUSERME = n('255');
export const RPL_ADMINME = n('256', 'Administrative info');
export const RPL_ADMINLOC1 = n('257');
export const RPL_ADMINLOC2 = n('258');
export const RPL_ADMINEMAIL = n('259');
export const RPL_LOCALUSERS = n('265');
export const RPL_GLOBALUSERS = n('266');
// Queries
export const RPL_AWAY = n('301');
export const RPL_USERHOST = n('302');
export const RPL_ISON = n('303');
export const RPL_UNAWAY = n('305', 'You are no longer marked as being away');
export const RPL_NOWAWAY = n('306', 'You have been marked as being away');
export const RPL_WHOISUSER = n('311');
export const RPL_WHOISSERVER = n('312');
export const RPL_WHOISOPERATOR = n('313', 'is an IRC operator');
export const RPL_WHOWASUSER = n('314');
export const RPL_ENDOFWHO = n('315', 'End of WHO list');
export const RPL_WHOISIDLE = n('317', 'seconds idle, signon time');
export const RPL_ENDOFWHOIS = n('318', 'End of /WHOIS list');
export const RPL_WHOISCHANNELS = n('319');
export const RPL_LISTSTART = n('321', 'Users  Name');
export const RPL_LIST = n('322');
export const RPL_LISTEND = n('323', 'End of /LIST');
export const RPL_CHANNELMODEIS = n('324');
export const RPL_CREATIONTIME = n('329');
export const RPL_NOTOPIC = n('331', 'No topic is set');
export const RPL_TOPIC = n('332');
export const RPL_TOPICWHOTIME = n('333');
export const RPL_INVITING = n('341');
export const RPL_INVITELIST = n('346');
export const RPL_ENDOFINVITELIST = n('347', 'End of channel invite list');
export const RPL_EXCEPTLIST = n('348');
export const RPL_ENDOFEXCEPTLIST = n('349', 'End of channel exception list');
export const RPL_VERSION = n('351');
export const RPL_WHOREPLY = n('352');
export const RPL_NAMREPLY = n('353');
export const RPL_LINKS = n('364');
export const RPL_ENDOFLINKS = n('365', 'End of /LINKS list');
export const RPL_ENDOFNAMES = n('366', 'End of /NAMES list');
export const RPL_BANLIST = n('367');
export const RPL_ENDOFBANLIST = n('368', 'End of channel ban list');
export const RPL_ENDOFWHOWAS = n('369', 'End of WHOWAS');
export const RPL_INFO = n('371');
export const RPL_MOTD = n('372');
export const RPL_ENDOFINFO = n('374', 'End of INFO list');
export const RPL_MOTDSTART = n('375');
export const RPL_ENDOFMOTD = n('376', 'End of /MOTD command.');
export const RPL_YOUREOPER = n('381', 'You are now an IRC operator');
export const RPL_REHASHING = n('382', 'Rehashing');
export const RPL_TIME = n('391');
// Errors
export const ERR_NOSUCHNICK = n('401', 'No such nick/channel');
export const ERR_NOSUCHSERVER = n('402', 'No such server');
export const ERR_NOSUCHCHANNEL = n('403', 'No such channel');
export const ERR_CANNOTSENDTOCHAN = n('404', 'Cannot send to channel');
export const ERR_TOOMANYCHANNELS = n('405', 'You have joined too many channels');
export const ERR_WASNOSUCHNICK = n('406', 'There was no such nickname');
export const ERR_TOOMANYTARGETS = n('407', 'Too many targets');
export const ERR_NORECIPIENT = n('411');
export const ERR_NOTEXTTOSEND = n('412', 'No text to send');
export const ERR_INPUTTOOLONG = n('417', 'Input line was too long');
export const ERR_UNKNOWNCOMMAND = n('421', 'Unknown command');
export const ERR_NOMOTD = n('422', 'MOTD File is missing');
export const ERR_NONICKNAMEGIVEN = n('431', 'No nickname given');
export const ERR_ERRONEUSNICKNAME = n('432', 'Erroneous nickname');
export const ERR_NICKNAMEINUSE = n('433', 'Nickname is already in use');
export const ERR_USERNOTINCHANNEL = n('441', "They aren't on that channel");
export const ERR_NOTONCHANNEL = n('442', "You're not on that channel");
export const ERR_USERONCHANNEL = n('443', 'is already on channel');
export const ERR_NOTREGISTERED = n('451', 'You have not registered');
export const ERR_NEEDMOREPARAMS = n('461', 'Not enough parameters');
export const ERR_ALREADYREGISTERED = n('462', 'You may not reregister');
export const ERR_PASSWDMISMATCH = n('464', 'Password incorrect');
export const ERR_CHANNELISFULL = n('471', 'Cannot join channel (+l)');
export const ERR_UNKNOWNMODE = n('472', 'is unknown mode char to me');
export const ERR_INVITEONLYCHAN = n('473', 'Cannot join channel (+i)');
export const ERR_BANNEDFROMCHAN = n('474', 'Cannot join channel (+b)');
export const ERR_BADCHANNELKEY = n('475', 'Cannot join channel (+k)');
export const ERR_BADCHANMASK = n('476', 'Bad Channel Mask');
export const ERR_BANLISTFULL = n('478', 'Channel list is full');
export const ERR_NOPRIVILEGES = n('481', "Permission Denied- You're not an IRC operator");
export const ERR_CHANOPRIVSNEEDED = n('482', "You're not channel operator");
export const ERR_CANTKILLSERVER = n('483', 'You cant kill a server!');
export const ERR_NOOPERHOST = n('491', 'No O-lines for your host');
export const ERR_UMODEUNKNOWNFLAG = n('501', 'Unknown MODE flag');
export const ERR_USERSDONTMATCH = n('502', "Can't change mode for other users");
export const ERR_HELPNOTFOUND = n('524', 'No help available on this topic');
export const RPL_WHOISSECURE = n('671', 'is using a secure connection');
export const ERR_INVALIDMODEPARAM = n('696');
export const RPL_HELPSTART = n('704');
export const RPL_HELPTXT = n('705');
export const RPL_ENDOFHELP = n('706', 'End of /HELP');
export const ERR_INVALIDCAPCMD = n('410', 'Invalid CAP command');
export const RPL_ENDOFSTATS = n('219', 'End of /STATS report');
export const RPL_STATSUPTIME = n('242');
export const ERR_SUMMONDISABLED = n('445', 'SUMMON has been disabled');
export const ERR_USERSDISABLED = n('446', 'USERS has been disabled');
export const RPL_INVITELISTED = n('336');
export const RPL_ENDOFINVITELISTED = n('337', 'End of /INVITE list');
// IRCv3 WHOX
export const RPL_WHOSPCRPL = n('354');
// IRCv3 MONITOR
export const RPL_MONONLINE = n('730');
export const RPL_MONOFFLINE = n('731');
export const RPL_MONLIST = n('732');
export const RPL_ENDOFMONLIST = n('733', 'End of MONITOR list');
export const ERR_MONLISTFULL = n('734', 'Monitor list is full.');
