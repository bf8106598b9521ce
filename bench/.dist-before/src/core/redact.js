// Keeping passwords out of record files. The shell calls redactInput on every input before it is
// appended to the record, and writes the header's config through redactConfig. Pure.
//
// Every password in the recorded config becomes REDACTED. A PASS parameter, or an OPER
// password, becomes REDACTED when the live state would accept it and WRONG otherwise; since
// REDACTED matches REDACTED and WRONG matches nothing, replaying a redacted log gives the same
// accept/refuse outcomes, hence the same bytes, as the live run.
//
// Known limits: the verdict is taken when the line arrives. A PASS followed by a reload that
// changes the connection password before NICK/USER complete, or a line held by flood control
// across such a reload, may replay differently. A redacted line's length differs from the
// original, which only matters to flood control's held-bytes count.
import { checkOper, verifyPassword } from './credentials.js';
import { parse, serialize } from './message.js';
export const REDACTED = '<redacted>';
export const WRONG = '<wrong>';
/** The config with every password replaced (names kept: they are needed to replay OPER). */
export const redactConfig = (config) => ({
    ...config,
    password: config.password === null ? null : REDACTED,
    opers: config.opers.map((o) => ({ name: o.name, password: REDACTED })),
});
// Verbs whose lines carry a password (upper case, as parse returns them).
const SECRET_VERBS = new Set(['PASS', 'OPER']);
/** The verb of a line the parser refused (too long), read the same way the parser reads it. */
const roughVerb = (line) => {
    const words = line.split(' ').filter((w) => w !== '');
    let i = 0;
    if (words[i]?.startsWith('@'))
        i++;
    if (words[i]?.startsWith(':'))
        i++;
    return (words[i] ?? '').toUpperCase();
};
/** Replace what follows the verb with '*', keeping the length (so the line stays too long). */
const mask = (line, verb) => {
    const at = line.toUpperCase().indexOf(verb) + verb.length;
    return line.slice(0, at) + line.slice(at).replace(/[^ ]/g, '*');
};
export const redactLine = (state, line) => {
    const parsed = parse(line);
    if (!parsed.ok) {
        // Refused with 417 whatever it holds; mask it all the same, it may hold a password.
        const verb = roughVerb(line);
        return SECRET_VERBS.has(verb) ? mask(line, verb) : line;
    }
    const m = parsed.message;
    const { password, opers } = state.config;
    if (m.verb === 'PASS' && m.params.length >= 1) {
        const ok = password === null || verifyPassword(m.params[0], password);
        return serialize({ verb: 'PASS', params: [ok ? REDACTED : WRONG] });
    }
    if (m.verb === 'OPER' && m.params.length >= 2) {
        const name = m.params[0];
        const ok = checkOper(opers, name, m.params[1]);
        return serialize({ verb: 'OPER', params: [name, ok ? REDACTED : WRONG] });
    }
    return line;
};
/** The input as it may be recorded: no password left in it. */
export const redactInput = (state, input) => {
    switch (input._tag) {
        case 'LineReceived': {
            const line = redactLine(state, input.line);
            return line === input.line ? input : { ...input, line };
        }
        case 'ConfigReloaded':
            return { ...input, config: redactConfig(input.config) };
        default:
            return input;
    }
};
//# sourceMappingURL=redact.js.map