// Bytes → lines. A line ends at LF or CR (RFC 1459 §8: servers treat either as a message
// terminator, so CRLF, LF alone and CR alone all work and a bare CR never reaches the core);
// the empty "lines" between CR and LF, or blank lines, are dropped. Lines are decoded as latin1:
// one char per byte, so the core sees the exact bytes and output encoded back with latin1
// round-trips them (UTF-8 text passes through untouched).
//
// The buffer is bounded: more than `maxPending` bytes without a line end is an overflow (the
// server then disconnects the client with "RecvQ exceeded"). Lines longer than 512 bytes but
// under the bound are delivered: answering 417 is the core's business.

export const DEFAULT_MAX_PENDING = 16 * 1024;

const LF = 0x0a;
const CR = 0x0d;

export interface FrameResult {
  readonly lines: string[];
  /** The unterminated tail grew past the bound; the framer is now useless for this client. */
  readonly overflow: boolean;
}

export class LineFramer {
  /**
   * Chunks of an unterminated line carried over from earlier reads (at most maxPending bytes);
   * null while there are none, so an idle connection's framer holds no array.
   */
  private pending: Buffer[] | null = null;
  private pendingLen = 0;
  private overflowed = false;

  constructor(private readonly maxPending: number = DEFAULT_MAX_PENDING) {}

  push(chunk: Buffer): FrameResult {
    const lines: string[] = [];
    if (this.overflowed) return { lines, overflow: true };
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b !== LF && b !== CR) continue;
      if (this.pending !== null) {
        // Only the first line of a chunk can continue carried bytes: join them once.
        this.pending.push(chunk.subarray(0, i));
        lines.push(Buffer.concat(this.pending).toString('latin1'));
        this.pending = null;
        this.pendingLen = 0;
      } else if (i > start) {
        lines.push(chunk.toString('latin1', start, i));
      }
      start = i + 1;
    }
    const rest = chunk.length - start;
    if (rest === 0) return { lines, overflow: false };
    this.pendingLen += rest;
    if (this.pendingLen > this.maxPending) {
      this.pending = null;
      this.pendingLen = 0;
      this.overflowed = true;
      return { lines, overflow: true };
    }
    // Copy small tails so they do not pin a large socket chunk in memory.
    const tail = rest < 1024 ? Buffer.from(chunk.subarray(start)) : chunk.subarray(start);
    if (this.pending === null) this.pending = [tail];
    else {
      this.pending.push(tail);
      // A byte-by-byte sender would leave thousands of tiny Buffers (each ~100 bytes of overhead):
      // merge them now and then so memory stays near maxPending bytes, not a multiple of it.
      if (this.pending.length > 64) this.pending = [Buffer.concat(this.pending)];
    }
    return { lines, overflow: false };
  }

  /** Bytes waiting for a line end. */
  get pendingBytes(): number {
    return this.pendingLen;
  }
}
