import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineFramer } from '../src/shell/framing.js';

const frame = (chunks: Buffer[], max?: number): { lines: string[]; overflow: boolean } => {
  const f = new LineFramer(max);
  const lines: string[] = [];
  let overflow = false;
  for (const c of chunks) {
    const r = f.push(c);
    lines.push(...r.lines);
    overflow ||= r.overflow;
  }
  return { lines, overflow };
};

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('LineFramer', () => {
  it('joins a line split across reads (the nc + ctrl-D test)', () => {
    expect(frame(['PA', 'SS x\r\nNI', 'CK bob\r', '\n'].map(b)).lines).toEqual(['PASS x', 'NICK bob']);
  });

  it('splits many lines in one read, with CRLF, LF or CR, dropping empty lines', () => {
    expect(frame([b('A\r\nB\nC\rD\r\n\r\n\n\nE\n')]).lines).toEqual(['A', 'B', 'C', 'D', 'E']);
  });

  it('keeps an unterminated tail until its line end arrives', () => {
    const f = new LineFramer();
    expect(f.push(b('NICK a\r\nUSER')).lines).toEqual(['NICK a']);
    expect(f.pendingBytes).toBe(4);
    expect(f.push(b(' a 0 * :A')).lines).toEqual([]);
    expect(f.push(b('\n')).lines).toEqual(['USER a 0 * :A']);
    expect(f.pendingBytes).toBe(0);
  });

  it('decodes bytes as latin1 so they round-trip exactly', () => {
    const bytes = Buffer.from('PRIVMSG bob :héllo ☃\r\n', 'utf8');
    const [line] = frame([bytes]).lines;
    expect(Buffer.from(line! + '\r\n', 'latin1').equals(bytes)).toBe(true);
    expect(line!.length).toBe(bytes.length - 2);
  });

  it('delivers lines over 512 bytes under the bound (the core answers 417)', () => {
    const long = 'PRIVMSG bob :' + 'x'.repeat(2000);
    expect(frame([b(long + '\r\n')])).toEqual({ lines: [long], overflow: false });
  });

  it('reports overflow past 16 KiB without a line end, after the complete lines', () => {
    const f = new LineFramer();
    expect(f.push(b('PING a\r\n' + 'x'.repeat(16 * 1024)))).toEqual({ lines: ['PING a'], overflow: false });
    expect(f.push(b('y'))).toEqual({ lines: [], overflow: true });
    expect(f.push(b('\r\nPING b\r\n')).overflow).toBe(true);
  });

  it('gives exactly 16 KiB pending as a line when its end comes', () => {
    const line = 'z'.repeat(16 * 1024);
    expect(frame([b(line), b('\n')])).toEqual({ lines: [line], overflow: false });
  });

  // Any bytes but CR/LF, as latin1 strings.
  const lineArb = fc
    .uint8Array({ minLength: 1, maxLength: 40 })
    .map((a) => Buffer.from(a.map((x) => (x === 10 || x === 13 ? 65 : x))).toString('latin1'));
  const endArb = fc.constantFrom('\r\n', '\n', '\r', '\r\n\r\n', '\n\n');

  /** Split `buf` at the given (sorted, deduplicated) offsets. */
  const splitAt = (buf: Buffer, cuts: number[]): Buffer[] => {
    const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((x, y) => x - y);
    const out: Buffer[] = [];
    let prev = 0;
    for (const p of points) {
      out.push(buf.subarray(prev, p));
      prev = p;
    }
    out.push(buf.subarray(prev));
    return out;
  };

  it('gives the same lines whatever the chunking (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(lineArb, endArb), { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (pairs, cuts) => {
          const text = pairs.map(([l, e]) => l + e).join('');
          const buf = b(text);
          const expected = pairs.map(([l]) => l);
          const whole = frame([buf]).lines;
          const bytewise = frame([...buf].map((x) => Buffer.from([x]))).lines;
          const random = frame(splitAt(buf, cuts)).lines;
          expect(whole).toEqual(expected);
          expect(bytewise).toEqual(expected);
          expect(random).toEqual(expected);
        },
      ),
    );
  });
});
