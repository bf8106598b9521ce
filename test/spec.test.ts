// Every spec/**/*.irc transcript, one test each, run through the pure core (exact and fast).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTranscript } from '../src/replay/transcript.js';

const SPEC = join(import.meta.dirname, '..', 'spec');

const transcripts = (dir: string): string[] =>
  readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? transcripts(p) : p.endsWith('.irc') ? [p] : [];
    });

const files = transcripts(SPEC);

describe('spec transcripts (core)', () => {
  it('finds transcripts', () => expect(files.length).toBeGreaterThan(0));
  for (const file of files) {
    it(relative(SPEC, file), () => {
      const result = runTranscript(readFileSync(file, 'latin1'));
      // The failure text names the line and shows expected vs received per client.
      expect(result.failures.join('\n'), file).toBe('');
      expect(result.ok).toBe(true);
    });
  }
});
