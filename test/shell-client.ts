// A raw TCP test client for the shell tests: sends bytes, collects CRLF lines, waits for one.
import net from 'node:net';

export class RawClient {
  readonly lines: string[] = [];
  private buf = '';
  private waiters: Array<() => void> = [];
  readonly closed: Promise<void>;
  ended = false;

  private constructor(readonly socket: net.Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      this.buf += d;
      let i: number;
      while ((i = this.buf.indexOf('\r\n')) >= 0) {
        this.lines.push(this.buf.slice(0, i));
        this.buf = this.buf.slice(i + 2);
      }
      this.wake();
    });
    socket.on('error', () => {});
    this.closed = new Promise((resolve) =>
      socket.on('close', () => {
        this.ended = true;
        this.wake();
        resolve();
      }),
    );
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ port, host }, () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  send(text: string): void {
    this.socket.write(text + '\r\n', 'latin1');
  }

  write(raw: string | Buffer): void {
    this.socket.write(raw);
  }

  /** The first line (at or after `from`) matching `pred`; rejects after `ms`. */
  async waitFor(pred: (line: string) => boolean, ms = 3000, from = 0): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const hit = this.lines.slice(from).find(pred);
      if (hit !== undefined) return hit;
      if (this.ended) throw new Error(`connection closed; got:\n${this.lines.join('\n')}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; got:\n${this.lines.join('\n')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Wait for a line containing `text` (as a word sequence) anywhere. */
  waitLine(text: string | RegExp, ms?: number): Promise<string> {
    return this.waitFor((l) => (typeof text === 'string' ? l.includes(text) : text.test(l)), ms);
  }

  /** Register with NICK/USER (and PASS) and wait for 001. */
  async register(nick: string, password?: string): Promise<void> {
    if (password !== undefined) this.send(`PASS ${password}`);
    this.send(`NICK ${nick}`);
    this.send(`USER ${nick} 0 * :${nick}`);
    await this.waitFor((l) => / 001 /.test(l));
    await this.waitFor((l) => / (376|422) /.test(l));
  }

  destroy(): void {
    this.socket.destroy();
  }
}
