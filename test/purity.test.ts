// The core stays pure: nothing under src/core imports node:* or any I/O module, reads a clock,
// draws a random number, touches process or sets timers.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });

const coreFiles = files(join(import.meta.dirname, '..', 'src', 'core'));
// @noble/hashes: pure-JS scrypt for hashed passwords (src/core/credentials.ts). Audited, no
// node:crypto, no I/O, deterministic for a given salt, so password checks replay exactly.
const ALLOWED_PACKAGES = ['immutable', 'io-ts', 'fp-ts', '@noble/hashes'];
const FORBIDDEN: [RegExp, string][] = [
  [/\bDate\.now\s*\(/, 'reads the clock (Date.now)'],
  [/\bnew\s+Date\b/, 'reads the clock (new Date)'],
  [/\bperformance\.now\b/, 'reads the clock (performance.now)'],
  [/\bMath\.random\b/, 'draws a random number'],
  [/\bcrypto\./, 'uses crypto'],
  [/\bprocess\./, 'touches process'],
  [/\b(setTimeout|setInterval|setImmediate|queueMicrotask)\s*\(/, 'sets a timer'],
  [/\brequire\s*\(/, 'requires a module at run time'],
  [/\bimport\s*\(/, 'imports a module at run time'],
  [/\b(fetch|XMLHttpRequest|WebSocket)\s*\(/, 'does I/O'],
  [/\bglobalThis\b/, 'reaches for globals'],
];

describe('the core is pure', () => {
  it('has files to check', () => expect(coreFiles.length).toBeGreaterThan(10));
  for (const file of coreFiles) {
    const rel = file.slice(file.indexOf('src/core'));
    it(`${rel} imports only the core and pure packages`, () => {
      const src = readFileSync(file, 'utf8');
      const specifiers = [...src.matchAll(/\bfrom\s+['"]([^'"]+)['"]/g)].map((m) => m[1]!);
      for (const s of specifiers) {
        const pkg = s.startsWith('.') ? null : s.split('/').slice(0, s.startsWith('@') ? 2 : 1).join('/');
        expect(pkg === null || ALLOWED_PACKAGES.includes(pkg), `${rel} imports ${s}`).toBe(true);
        if (s.startsWith('.')) expect(join(file, '..', s).includes(join('src', 'core')), `${rel} imports ${s} from outside the core`).toBe(true);
      }
    });
    it(`${rel} reads no clock, no randomness, no process, no timers`, () => {
      const code = readFileSync(file, 'utf8').replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
      for (const [re, what] of FORBIDDEN) expect(re.test(code), `${rel} ${what}`).toBe(false);
    });
  }
});
