// `pureircd hash-password`: read a password from stdin, print its scrypt hash for the config
// ("password" or an oper's "password"). The hash is computed by the core's own code
// (src/core/credentials.ts) so what the server checks is exactly what was written; only the
// random salt comes from here. On a terminal the password is read without echo.
import { randomBytes } from 'node:crypto';
import { DEFAULT_SCRYPT, SALT_BYTES, hashPassword } from '../core/credentials.js';
export const HASH_PASSWORD_HELP = `Usage: pureircd hash-password < FILE   (or type it, then Enter)

Reads one password from standard input (a final newline is dropped) and prints
scrypt$N$r$p$salt$hash for the config file's "password" or an oper's "password".
Cost: N=${DEFAULT_SCRYPT.N}, r=${DEFAULT_SCRYPT.r}, p=${DEFAULT_SCRYPT.p} (about 20 ms per check).
`;
const readPiped = async () => {
    const chunks = [];
    for await (const chunk of process.stdin)
        chunks.push(chunk);
    return Buffer.concat(chunks);
};
/** Read one line from a terminal with echo off; null on Ctrl-C / Ctrl-D. */
const readHidden = () => new Promise((resolve) => {
    const stdin = process.stdin;
    process.stderr.write('Password: ');
    stdin.setRawMode(true);
    const bytes = [];
    const done = (result) => {
        stdin.setRawMode(false);
        stdin.pause();
        stdin.off('data', onData);
        process.stderr.write('\n');
        resolve(result);
    };
    const onData = (chunk) => {
        for (const b of chunk) {
            if (b === 0x03 || b === 0x04)
                return done(null);
            if (b === 0x0d || b === 0x0a)
                return done(Buffer.from(bytes));
            if (b === 0x7f || b === 0x08)
                bytes.pop();
            else
                bytes.push(b);
        }
    };
    stdin.on('data', onData);
    stdin.resume();
});
export async function hashPasswordMain(argv) {
    if (argv.includes('-h') || argv.includes('--help')) {
        process.stdout.write(HASH_PASSWORD_HELP);
        return 0;
    }
    if (argv.length > 0) {
        process.stderr.write(`pureircd: hash-password takes no arguments (the password is read from stdin)\n`);
        return 2;
    }
    const raw = process.stdin.isTTY ? await readHidden() : await readPiped();
    if (raw === null)
        return 130;
    // Bytes kept as latin1 chars, the way the core sees what clients send.
    const password = raw.toString('latin1').replace(/\r?\n$/, '');
    if (password === '' || /[\r\n\0 ]/.test(password)) {
        process.stderr.write('pureircd: the password must be one non-empty line without spaces\n');
        return 2;
    }
    process.stdout.write(hashPassword(password, randomBytes(SALT_BYTES)) + '\n');
    return 0;
}
//# sourceMappingURL=hash-password.js.map