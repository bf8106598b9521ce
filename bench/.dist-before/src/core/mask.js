// nick!user@host masks: normalisation (as list modes store them) and glob matching with
// `*` and `?`, compared under the server's case-mapping.
import { fold } from './casemap.js';
/**
 * Normalise a ban-style mask the way servers do: `nick` → `nick!*@*`, `user@host` →
 * `*!user@host`, `nick!user` → `nick!user@*`, and empty parts become `*`.
 */
export const normaliseMask = (mask) => {
    let nick;
    let user;
    let host;
    const bang = mask.indexOf('!');
    const at = mask.indexOf('@', bang < 0 ? 0 : bang);
    if (bang < 0 && at < 0) {
        if (mask.includes('.') || mask.includes(':'))
            return `*!*@${mask}`; // a bare host
        return `${mask || '*'}!*@*`;
    }
    if (bang < 0) {
        nick = '*';
        user = mask.slice(0, at);
        host = mask.slice(at + 1);
    }
    else if (at < 0) {
        nick = mask.slice(0, bang);
        user = mask.slice(bang + 1);
        host = '*';
    }
    else {
        nick = mask.slice(0, bang);
        user = mask.slice(bang + 1, at);
        host = mask.slice(at + 1);
    }
    return `${nick || '*'}!${user || '*'}@${host || '*'}`;
};
/** Glob match (`*` any run, `?` one char), iterative with backtracking: linear-ish, no regex. */
export const globMatch = (pattern, text, mapping = 'rfc1459') => {
    const p = fold(pattern, mapping);
    const t = fold(text, mapping);
    let pi = 0;
    let ti = 0;
    let star = -1;
    let mark = 0;
    while (ti < t.length) {
        const pc = p[pi];
        if (pc === '?' || (pc !== undefined && pc !== '*' && pc === t[ti])) {
            pi++;
            ti++;
        }
        else if (pc === '*') {
            star = pi++;
            mark = ti;
        }
        else if (star >= 0) {
            pi = star + 1;
            ti = ++mark;
        }
        else {
            return false;
        }
    }
    while (p[pi] === '*')
        pi++;
    return pi === p.length;
};
//# sourceMappingURL=mask.js.map