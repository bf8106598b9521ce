// --record FILE: the header, then every input the core is fed, one JSON line each, in the
// codec of src/replay/log.ts. Lines are buffered in memory and written once per event-loop
// turn (never synchronously); a write error stops recording but never the server.
import { createWriteStream } from 'node:fs';
import { redactConfig } from '../core/redact.js';
import { encodeHeader, encodeInput } from '../replay/log.js';
export class Recorder {
    stream;
    logger;
    buffered = [];
    failed = false;
    constructor(stream, logger) {
        this.stream = stream;
        this.logger = logger;
        stream.on('error', (err) => {
            if (!this.failed)
                logger.error({ err }, 'record log write failed; recording stopped');
            this.failed = true;
        });
    }
    /** Open (truncate) the file and write the header; rejects if the file cannot be opened. */
    static async open(file, config, logger) {
        const stream = createWriteStream(file, { flags: 'w' });
        await new Promise((resolve, reject) => {
            stream.once('open', () => resolve());
            stream.once('error', reject);
        });
        const r = new Recorder(stream, logger);
        // Passwords never reach the file (see src/core/redact.ts): the header holds placeholders.
        r.buffered.push(encodeHeader(redactConfig(config)) + '\n');
        r.flush();
        return r;
    }
    append(input) {
        if (!this.failed)
            this.buffered.push(encodeInput(input) + '\n');
    }
    /** Hand what is buffered to the stream (called once per turn). */
    flush() {
        if (this.buffered.length === 0 || this.failed)
            return;
        const text = this.buffered.join('');
        this.buffered = [];
        this.stream.write(text);
    }
    /** Resolves when everything handed to the stream so far reached the file. */
    async drained() {
        this.flush();
        // Polled: 'drain' only fires after a write() returned false.
        while (!this.failed && !this.stream.closed && this.stream.writableLength > 0) {
            await new Promise((resolve) => setTimeout(resolve, 1));
        }
    }
    async close() {
        this.flush();
        if (this.stream.closed)
            return;
        await new Promise((resolve) => {
            this.stream.once('close', () => resolve());
            this.stream.end();
        });
    }
}
//# sourceMappingURL=recorder.js.map