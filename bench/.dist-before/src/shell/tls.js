// TLS for the shell: loading and checking the certificate and key at start-up (so a bad path or
// a key that does not match fails with one clear line and exit code 2, not on the first
// handshake), the listener factory, and `pureircd gen-cert` for a development certificate.
//
// gen-cert drives the `openssl` program rather than a JS package: OpenSSL is on practically every
// machine that runs a server, a certificate is a one-off development aid, and the pure-JS
// alternative (`selfsigned`, which pulls in node-forge) would add a large dependency for it.
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, chmod, mkdir, readFile } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import tls from 'node:tls';
/** The conventional port for IRC over TLS (RFC 7194). */
export const DEFAULT_TLS_PORT = 6697;
const errnoOf = (err) => typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : String(err);
/** OpenSSL's `error:0480006C:PEM routines::no start line` → `no start line`. */
const opensslReason = (err) => {
    const text = err instanceof Error ? err.message : String(err);
    const cut = text.lastIndexOf('::');
    return (cut >= 0 ? text.slice(cut + 2) : text).split('\n')[0].trim();
};
/**
 * Read the certificate chain and private key and check they form a usable context (parseable
 * PEM, key matching the certificate). Rejects with a one-line message naming the file.
 */
export const loadTls = async (certFile, keyFile) => {
    const read = async (file, what) => {
        try {
            return await readFile(file);
        }
        catch (err) {
            throw new Error(`cannot read TLS ${what} ${file} (${errnoOf(err)})`);
        }
    };
    const cert = await read(certFile, 'certificate');
    const key = await read(keyFile, 'key');
    try {
        tls.createSecureContext({ cert, key });
    }
    catch (err) {
        throw new Error(`invalid TLS certificate ${certFile} or key ${keyFile}: ${opensslReason(err)}`);
    }
    return { cert, key };
};
/** A TLS server whose accepted (handshaken) sockets go to `onSecure`. */
export const makeTlsServer = (material, onSecure, onClientError) => {
    const server = tls.createServer({ cert: material.cert, key: material.key, minVersion: 'TLSv1.2' }, onSecure);
    // A failed handshake (port scan, plain-text client on the TLS port) never reaches the core.
    server.on('tlsClientError', onClientError);
    return server;
};
const exists = async (file) => access(file, constants.F_OK).then(() => true, () => false);
const run = (cmd, args) => new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 60_000 }, (err, _stdout, stderr) => {
        if (err === null)
            return resolve();
        if (err.code === 'ENOENT')
            return reject(new Error('gen-cert needs the openssl program, which was not found on PATH; install OpenSSL or bring your own --tls-cert and --tls-key'));
        const last = String(stderr).trim().split('\n').pop() ?? '';
        reject(new Error(`openssl failed: ${last === '' ? err.message : last}`));
    });
});
/**
 * Write a self-signed certificate (`cert.pem`) and its unencrypted P-256 key (`key.pem`, mode
 * 0600) into `outDir`, valid `days` days for `host` (CN and subjectAltName, plus localhost and
 * 127.0.0.1). Refuses to overwrite existing files.
 */
export const genCert = async (opts) => {
    const certFile = join(opts.outDir, 'cert.pem');
    const keyFile = join(opts.outDir, 'key.pem');
    for (const f of [certFile, keyFile])
        if (await exists(f))
            throw new Error(`${f} already exists; remove it or choose another --out`);
    try {
        await mkdir(opts.outDir, { recursive: true });
    }
    catch (err) {
        throw new Error(`cannot create ${opts.outDir} (${errnoOf(err)})`);
    }
    const hostSan = net.isIP(opts.host) !== 0 ? `IP:${opts.host}` : `DNS:${opts.host}`;
    const sans = [...new Set([hostSan, 'DNS:localhost', 'IP:127.0.0.1'])].join(',');
    await run('openssl', [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-keyout', keyFile, '-out', certFile, '-days', String(opts.days),
        '-subj', `/CN=${opts.host}`, '-addext', `subjectAltName=${sans}`,
    ]);
    await chmod(keyFile, 0o600);
    return { certFile, keyFile };
};
//# sourceMappingURL=tls.js.map