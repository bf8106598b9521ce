// The record log: JSON lines. A header {"format":"pureircd-log","version":1,"config":{…}} then
// one input per line. The recorder writes through the same io-ts codecs the reader decodes with.
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { InputC } from '../core/input.js';
export const LOG_FORMAT = 'pureircd-log';
export const LOG_VERSION = 1;
export const HeaderC = t.type({
    format: t.literal(LOG_FORMAT),
    version: t.literal(LOG_VERSION),
    config: t.UnknownRecord,
});
export const encodeHeader = (config) => JSON.stringify(HeaderC.encode({ format: LOG_FORMAT, version: LOG_VERSION, config: { ...config } }));
/** One input as a log line (no newline). Key order: seq, at, _tag, then the fields. */
export const encodeInput = (input) => {
    const { seq, at, _tag, ...rest } = InputC.encode(input);
    return JSON.stringify({ seq, at, _tag, ...rest });
};
export const decodeLog = (text) => {
    const lines = text.split('\n');
    const inputs = [];
    const errors = [];
    let header = null;
    const parse = (raw, n) => {
        try {
            return JSON.parse(raw);
        }
        catch {
            errors.push({ line: n, message: `line ${n} is not valid JSON (truncated or corrupt)` });
            return undefined;
        }
    };
    for (let i = 0; i < lines.length; i++) {
        const raw = lines[i];
        const n = i + 1;
        if (raw.trim() === '')
            continue;
        const value = parse(raw, n);
        if (value === undefined)
            break;
        if (header === null) {
            const h = HeaderC.decode(value);
            if (isLeft(h)) {
                errors.push({ line: n, message: `line ${n} is not a ${LOG_FORMAT} version ${LOG_VERSION} header` });
                break;
            }
            header = h.right;
            continue;
        }
        const input = InputC.decode(value);
        if (isLeft(input)) {
            errors.push({ line: n, message: `line ${n} is not a valid input` });
            break;
        }
        inputs.push(input.right);
    }
    if (header === null && errors.length === 0)
        errors.push({ line: 1, message: 'the log has no header' });
    return { header, inputs, errors };
};
//# sourceMappingURL=log.js.map