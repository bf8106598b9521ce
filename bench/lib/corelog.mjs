// The core benchmark's log (bench/core.mjs, bench/core-ab.mjs): every client connects and
// registers (NICK, USER), joins `perClient` channels, then a deterministic mix until `inputs` in
// all: 88% channel PRIVMSG, 4% private PRIVMSG, 4% NICK change, 2% PART, 2% JOIN, at 20 000
// inputs per second of log time, with a tick (TimeAdvanced) each second as the daemon's record
// log has (47 in the default log). The same options give the same log on every run.

export const T0 = 1_700_000_000_000;

/** { clients, channels, perClient, inputs, seed } → { setup, joins, mix }: arrays of inputs. */
export const generateLog = (o) => {
  // A small seeded PRNG (mulberry32) so every run folds the same log.
  let seed = o.seed >>> 0;
  const rand = () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = (n) => Math.floor(rand() * n);

  // ---- the log -----------------------------------------------------------------------------------
  let seq = 0;
  let now = T0;
  // Lines are stored flat: a template literal makes a rope that the core's parser would flatten
  // during the fold, changing heap use mid-measurement.
  const flat = (s) => Buffer.from(s, 'latin1').toString('latin1');
  const line = (client, text) => ({ _tag: 'LineReceived', seq: ++seq, at: now, client, line: flat(text) });
  const setup = [];
  const joins = [];
  const mix = [];
  const nick = Array.from({ length: o.clients + 1 }, (_, id) => `u${id}`);
  const member = Array.from({ length: o.clients + 1 }, () => []); // channels each client is in
  for (let id = 1; id <= o.clients; id++) {
    setup.push({ _tag: 'ClientConnected', seq: ++seq, at: now, client: id, address: flat(`10.${(id >> 16) & 255}.${(id >> 8) & 255}.${id & 255}`), tls: false });
    setup.push(line(id, `NICK ${nick[id]}`));
    setup.push(line(id, `USER u${id} 0 * :user ${id}`));
  }
  for (let id = 1; id <= o.clients; id++) {
    while (member[id].length < o.perClient) {
      const ch = `#c${pick(o.channels)}`;
      if (member[id].includes(ch)) continue;
      member[id].push(ch);
      joins.push(line(id, `JOIN ${ch}`));
    }
  }
  let renames = 0;
  const text = 'the quick brown fox jumps over the lazy dog';
  let tickAt = now;
  while (setup.length + joins.length + mix.length < o.inputs) {
    if (mix.length % 1000 === 0) now += 50; // time moves on: 20 000 inputs per second of log
    // The daemon ticks once a second (keep-alive, timeouts), and its record log holds each tick.
    if (now - tickAt >= 1000) {
      tickAt += 1000;
      mix.push({ _tag: 'TimeAdvanced', seq: ++seq, at: tickAt });
      continue;
    }
    const id = 1 + pick(o.clients);
    const r = rand();
    const mine = member[id];
    if (r < 0.88 && mine.length > 0) mix.push(line(id, `PRIVMSG ${mine[pick(mine.length)]} :${text} ${seq}`));
    else if (r < 0.92) mix.push(line(id, `PRIVMSG ${nick[1 + pick(o.clients)]} :${text}`));
    else if (r < 0.96) {
      nick[id] = `n${++renames}`;
      mix.push(line(id, `NICK ${nick[id]}`));
    } else if (r < 0.98 && mine.length > 0) {
      const [ch] = mine.splice(pick(mine.length), 1);
      mix.push(line(id, `PART ${ch} :bye`));
    } else {
      const ch = `#c${pick(o.channels)}`;
      if (!mine.includes(ch)) mine.push(ch);
      mix.push(line(id, `JOIN ${ch}`));
    }
  }
  return { setup, joins, mix };
};

/**
 * The config the log is folded under: the default, flood control off (as when replaying a log
 * recorded with it off) and no connection limit. The default's limit (10 000 at once) would
 * refuse every client past it, and their lines would cost nothing: `--clients 40000` once
 * "folded" 2.5x faster than 10 000 for that reason alone.
 */
export const foldConfig = (defaultConfig) => ({
  ...defaultConfig,
  createdAt: T0,
  flood: { ...defaultConfig.flood, enabled: false },
  limits: { ...defaultConfig.limits, maxClients: 0 },
});
