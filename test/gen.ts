// fast-check generators of whole sessions: inputs for several clients, mixing well-formed
// commands with garbage, so properties can drive the core the way the network would.
import fc from 'fast-check';
import type { Input } from '../src/core/input.js';

const nicks = ['alice', 'Bob', 'bob', 'c[a]t', 'C{A}T', 'dave', '9bad', 'x'.repeat(40), ''];
const chans = ['#a', '#A', '#b', '&local', '#a,#b', 'nochan', '#' + 'c'.repeat(60), '#a b'];
const word = fc.constantFrom(...nicks, ...chans, '*', '0', '+o', '-o', '+k', 'key', '+l', '5', '+b', '*!*@*', ':', '');

const command: fc.Arbitrary<string> = fc.oneof(
  { weight: 10, arbitrary: fc.tuple(fc.constantFrom('NICK', 'JOIN', 'PART', 'PRIVMSG', 'NOTICE', 'MODE', 'KICK', 'TOPIC', 'INVITE', 'WHO', 'WHOIS', 'WHOWAS', 'NAMES', 'LIST', 'AWAY', 'ISON', 'USERHOST', 'OPER', 'KILL', 'CAP', 'PASS', 'PING', 'PONG', 'USER', 'QUIT', 'LUSERS', 'MOTD', 'VERSION', 'TIME', 'HELP', 'WALLOPS', 'MONITOR', 'SETNAME', 'FOO'), fc.array(word, { maxLength: 5 }), fc.option(fc.string({ maxLength: 30 }))).map(([v, ps, t]) => [v, ...ps].join(' ') + (t === null ? '' : ' :' + t)) },
  { weight: 3, arbitrary: fc.constantFrom('CAP LS 302', 'CAP END', 'CAP REQ :multi-prefix', 'CAP REQ :userhost-in-names', 'CAP REQ :echo-message', 'CAP REQ :away-notify', 'CAP REQ :invite-notify', 'CAP REQ :extended-join', 'CAP REQ :setname', 'SETNAME :New Name', 'MONITOR + alice,Bob,dave,c[a]t', 'MONITOR - bob', 'MONITOR C', 'MONITOR L', 'MONITOR S', 'CAP REQ :message-tags', '@+typing=active TAGMSG #a', '@+draft/react=x;time=y PRIVMSG #a :hi', '@+a=b\\s TAGMSG alice', '@+n=a\0b;+k\0=1 PRIVMSG alice :x', '@+n=a\0b NOTICE #a :x', 'USER u 0 * :Real Name', 'JOIN #a', 'JOIN #b key', 'MODE #a +i', 'MODE #a +k key', 'MODE #a +l 1', 'MODE #a +b *!*@*', 'PRIVMSG #a :hi', 'JOIN 0', 'PART #a :bye', 'QUIT :gone') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 600 }) },
);

type Step =
  | { kind: 'connect' }
  | { kind: 'line'; who: number; line: string }
  | { kind: 'drop'; who: number }
  | { kind: 'wait'; ms: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: 'connect' as const }) },
  { weight: 20, arbitrary: fc.record({ kind: fc.constant('line' as const), who: fc.nat(5), line: command }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), who: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 200_000 }) }) },
);

/** A session: inputs with increasing seq and non-decreasing time, to clients that exist. */
export const sessionArb = (maxSteps = 60): fc.Arbitrary<Input[]> =>
  fc.array(stepArb, { maxLength: maxSteps }).map((steps) => {
    const inputs: Input[] = [];
    let seq = 0;
    let at = 1_700_000_000_000;
    let next = 1;
    const live: number[] = [];
    for (const s of steps) {
      if (s.kind === 'connect' || live.length === 0) {
        const client = next++;
        live.push(client);
        inputs.push({ _tag: 'ClientConnected', seq: ++seq, at, client, address: `127.0.0.${client}`, tls: false });
        // Register most clients, so that most lines reach real handlers.
        inputs.push({ _tag: 'LineReceived', seq: ++seq, at, client, line: `NICK n${client}` });
        inputs.push({ _tag: 'LineReceived', seq: ++seq, at, client, line: `USER u${client} 0 * :user ${client}` });
        if (s.kind === 'connect') continue;
      }
      if (s.kind === 'wait') {
        at += s.ms;
        inputs.push({ _tag: 'TimeAdvanced', seq: ++seq, at });
      } else if (s.kind === 'line') {
        inputs.push({ _tag: 'LineReceived', seq: ++seq, at, client: live[s.who % live.length]!, line: s.line });
      } else if (s.kind === 'drop') {
        const client = live.splice(s.who % live.length, 1)[0]!;
        inputs.push({ _tag: 'ClientDisconnected', seq: ++seq, at, client, reason: 'Connection closed' });
      }
      at += 1;
    }
    return inputs;
  });
