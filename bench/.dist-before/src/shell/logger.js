// The shell's logger: pino, JSON lines on stderr (stdout stays free for the CLI), written
// asynchronously so a log line never blocks the event loop. Nothing is logged per message
// at info level.
import { pino } from 'pino';
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
export const isLogLevel = (s) => LOG_LEVELS.includes(s);
export const makeLogger = (level = 'info') => pino({ level: isLogLevel(level) ? level : 'info', base: { name: 'pureircd' } }, pino.destination({ dest: 2, sync: false }));
/** Write out what the async destination still buffers (on close, before exit). */
export const flushLogger = (logger) => new Promise((resolve) => {
    try {
        logger.flush(() => resolve());
    }
    catch {
        resolve();
    }
});
//# sourceMappingURL=logger.js.map