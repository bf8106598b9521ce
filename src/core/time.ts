// Formatting of timestamps the core is given (it never reads a clock).

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => (n < 10 ? '0' + n : String(n));

interface Civil {
  readonly y: number;
  readonly m: number; // 1-12
  readonly d: number;
  readonly wd: number; // 0 = Sunday
  readonly h: number;
  readonly mi: number;
  readonly s: number;
  readonly ms: number;
}

/** The UTC calendar date and time of `ms` since the epoch, without Date (no clock in the core). */
const civil = (ms: number): Civil => {
  const days = Math.floor(ms / 86_400_000);
  const inDay = ms - days * 86_400_000;
  const secs = Math.floor(inDay / 1000);
  // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return {
    y: yoe + era * 400 + (m <= 2 ? 1 : 0),
    m,
    d,
    wd: (((days + 4) % 7) + 7) % 7,
    h: Math.floor(secs / 3600),
    mi: Math.floor((secs % 3600) / 60),
    s: secs % 60,
    ms: Math.floor(inDay - secs * 1000),
  };
};

/** RFC 7231 style: "Thu, 26 Nov 2026 14:16:10 GMT" (what Date#toUTCString prints). */
export const httpDate = (ms: number): string => {
  const t = civil(ms);
  return `${DAYS[t.wd]}, ${pad(t.d)} ${MONTHS[t.m - 1]} ${t.y} ${pad(t.h)}:${pad(t.mi)}:${pad(t.s)} GMT`;
};

/** ISO 8601 in UTC with milliseconds, "2026-11-26T14:16:10.123Z" (Date#toISOString; IRCv3 server-time). */
export const isoTime = (ms: number): string => {
  const t = civil(ms);
  const milli = t.ms < 10 ? '00' + t.ms : t.ms < 100 ? '0' + t.ms : String(t.ms);
  return `${t.y}-${pad(t.m)}-${pad(t.d)}T${pad(t.h)}:${pad(t.mi)}:${pad(t.s)}.${milli}Z`;
};

/** Whole seconds since the epoch, as IRC puts timestamps in 329, 333, 317. */
export const unixSeconds = (ms: number): string => String(Math.floor(ms / 1000));
