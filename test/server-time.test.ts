// IRCv3 server-time end to end in the core's runners: lines are stamped with the time the core
// ran the input (state.now), which is the input's own stamp unless the clock stepped back; a
// transcript exported from such a session replays to the same stamped bytes.
import { describe, expect, it } from 'vitest';
import { formatTranscript } from '../src/replay/replay.js';
import { runTranscript } from '../src/replay/transcript.js';
import { Harness, T0 } from './harness.js';

describe('server-time', () => {
  it('stamps with the time the core ran the input, also when the clock steps back, and replays so', () => {
    const h = new Harness();
    h.register('alice');
    h.register('bob');
    h.send('alice', 'CAP REQ :server-time');
    expect(h.take('alice')).toEqual([':irc.local CAP alice ACK :server-time']);
    h.now = T0 + 5000;
    h.send('bob', 'PRIVMSG alice :one');
    h.now = T0 + 3000; // the shell's clock stepped back: the core keeps its own time
    h.send('bob', 'PRIVMSG alice :two');
    expect(h.take('alice')).toEqual([
      '@time=2023-11-14T22:13:25.000Z :bob!bob@127.0.0.1 PRIVMSG alice :one',
      '@time=2023-11-14T22:13:25.000Z :bob!bob@127.0.0.1 PRIVMSG alice :two',
    ]);
    expect(h.take('bob')).toEqual([]);
    const text = formatTranscript({ config: h.state.config, steps: h.inputs.map((input) => ({ input, effects: [] })) });
    expect(text).toContain('alice< @time=2023-11-14T22:13:25.000Z :bob!bob@127.0.0.1 PRIVMSG alice :two');
    expect(runTranscript(text).failures).toEqual([]);
  });
});
