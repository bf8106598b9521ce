// The shell's logger: pino, JSON lines on stderr (stdout stays free for the CLI), written
// asynchronously so a log line never blocks the event loop. Nothing is logged per message
// at info level.
import { pino, type Logger } from 'pino';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

export const isLogLevel = (s: string): s is LogLevelName => (LOG_LEVELS as readonly string[]).includes(s);

export const makeLogger = (level: string = 'info'): Logger =>
  pino({ level: isLogLevel(level) ? level : 'info', base: { name: 'pureircd' } }, pino.destination({ dest: 2, sync: false }));

/** Write out what the async destination still buffers (on close, before exit). */
export const flushLogger = (logger: Logger): Promise<void> =>
  new Promise((resolve) => {
    try {
      logger.flush(() => resolve());
    } catch {
      resolve();
    }
  });
