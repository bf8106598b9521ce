// Formatting of timestamps the core is given (it never reads a clock).
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n) => (n < 10 ? '0' + n : String(n));
/** RFC 7231 style: "Thu, 26 Nov 2026 14:16:10 GMT" (what Date#toUTCString prints). */
export const httpDate = (ms) => {
    const days = Math.floor(ms / 86_400_000);
    const secs = Math.floor((ms - days * 86_400_000) / 1000);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    const z = days + 719_468;
    const era = Math.floor(z / 146_097);
    const doe = z - era * 146_097;
    const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
    const m = mp < 10 ? mp + 3 : mp - 9;
    const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    const wd = (((days + 4) % 7) + 7) % 7;
    const h = Math.floor(secs / 3600);
    const mi = Math.floor((secs % 3600) / 60);
    return `${DAYS[wd]}, ${pad(d)} ${MONTHS[m - 1]} ${y} ${pad(h)}:${pad(mi)}:${pad(secs % 60)} GMT`;
};
/** Whole seconds since the epoch, as IRC puts timestamps in 329, 333, 317. */
export const unixSeconds = (ms) => String(Math.floor(ms / 1000));
//# sourceMappingURL=time.js.map