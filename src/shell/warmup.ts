// JIT warm-up before the daemon listens: a synthetic session (clients register, join, talk,
// rename, part and leave) is folded through the core on a throwaway state. V8 compiles a
// function to fast code only after many calls; without this, the first thousands of clients,
// which after a restart all reconnect at once, meet unoptimized code (measured in bench/:
// 2000 registrations on a fresh daemon ~2900/s without, ~4200/s with).
// Nothing of it reaches the real state, the record log or a socket.
import { apply, type Input } from '../core/input.js';
import { initialState, type ServerConfig, type State } from '../core/state.js';

/** Clients in the synthetic session: enough calls for V8's optimizing tier (~0.2 s of work; 4000 gave no more). */
export const WARMUP_CLIENTS = 1500;

/** What the synthetic session did (for tests): inputs folded, 001s sent, bytes of lines sent. */
export interface WarmUpRun {
  readonly inputs: number;
  readonly welcomed: number;
  readonly bytes: number;
}

export const warmUp = (config: ServerConfig, clients = WARMUP_CLIENTS): WarmUpRun => {
  // No password, flood control or per-host limit: every synthetic line takes the full path.
  let state: State = initialState({
    ...config,
    password: null,
    flood: { ...config.flood, enabled: false },
    limits: { ...config.limits, maxClients: 0, maxClientsPerHost: 0 },
  });
  let seq = 0;
  const at = config.createdAt;
  let bytes = 0;
  let welcomed = 0;
  const welcome = ' 001 ';
  const feed = (input: Input): void => {
    const [next, effects] = apply(state, input);
    state = next;
    for (const e of effects) {
      if (e._tag !== 'Send') continue;
      bytes += e.line.length + 2;
      if (e.line.startsWith(welcome, config.serverName.length + 1)) welcomed++;
    }
  };
  const line = (client: number, text: string): void => feed({ _tag: 'LineReceived', seq: ++seq, at, client, line: text });
  for (let id = 1; id <= clients; id++) {
    feed({ _tag: 'ClientConnected', seq: ++seq, at, client: id, address: `10.0.${id >> 8}.${id & 255}`, tls: false });
    if (id % 2 === 0) line(id, 'CAP LS 302');
    line(id, `NICK w${id}`);
    line(id, `USER w${id} 0 * :warm up`);
    if (id % 2 === 0) line(id, 'CAP END');
  }
  for (let id = 1; id <= clients; id++) {
    const ch = `#w${id % 50}`;
    line(id, `JOIN ${ch}`);
    line(id, `PRIVMSG ${ch} :hello ${id}`);
    line(id, `PRIVMSG w${1 + (id % clients)} :hi`);
    line(id, `PING :${id}`);
  }
  for (let id = 1; id <= clients; id++) {
    line(id, `NICK v${id}`);
    line(id, `PART #w${id % 50} :bye`);
    if (id % 2 === 0) line(id, 'QUIT :done');
    else feed({ _tag: 'ClientDisconnected', seq: ++seq, at, client: id, reason: 'Connection closed' });
  }
  return { inputs: seq, welcomed, bytes };
};
