// --record FILE: the header, then every input the core is fed, one JSON line each, in the
// codec of src/replay/log.ts. Lines are buffered in memory and written once per event-loop
// turn (never synchronously); a write error stops recording but never the server.
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Input } from '../core/input.js';
import { redactConfig } from '../core/redact.js';
import type { ServerConfig } from '../core/state.js';
import { encodeHeader, encodeInput } from '../replay/log.js';
import type { Logger } from './logger.js';

export class Recorder {
  private buffered: string[] = [];
  private failed = false;

  private constructor(
    private readonly stream: WriteStream,
    private readonly logger: Logger,
  ) {
    stream.on('error', (err) => {
      if (!this.failed) logger.error({ err }, 'record log write failed; recording stopped');
      this.failed = true;
    });
  }

  /** Open (truncate) the file and write the header; rejects if the file cannot be opened. */
  static async open(file: string, config: ServerConfig, logger: Logger): Promise<Recorder> {
    const stream = createWriteStream(file, { flags: 'w' });
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    const r = new Recorder(stream, logger);
    // Passwords never reach the file (see src/core/redact.ts): the header holds placeholders.
    r.buffered.push(encodeHeader(redactConfig(config)) + '\n');
    r.flush();
    return r;
  }

  append(input: Input): void {
    if (!this.failed) this.buffered.push(encodeInput(input) + '\n');
  }

  /** Hand what is buffered to the stream (called once per turn). */
  flush(): void {
    if (this.buffered.length === 0 || this.failed) return;
    const text = this.buffered.join('');
    this.buffered = [];
    this.stream.write(text);
  }

  /** Resolves when everything handed to the stream so far reached the file. */
  async drained(): Promise<void> {
    this.flush();
    // Polled: 'drain' only fires after a write() returned false.
    while (!this.failed && !this.stream.closed && this.stream.writableLength > 0) {
      await new Promise<void>((resolve) => setTimeout(resolve, 1));
    }
  }

  async close(): Promise<void> {
    this.flush();
    if (this.stream.closed) return;
    await new Promise<void>((resolve) => {
      this.stream.once('close', () => resolve());
      this.stream.end();
    });
  }
}
