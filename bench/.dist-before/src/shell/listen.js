export const DEFAULT_HOST = '0.0.0.0';
/** Listening failed (port in use, no such address, no permission). */
export class ListenError extends Error {
    code;
    host;
    port;
    constructor(code, host, port, cause) {
        super(code === 'EADDRINUSE'
            ? `port ${port} is already in use`
            : code === 'EACCES'
                ? `no permission to listen on port ${port}`
                : code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND'
                    ? `cannot listen on address ${host}`
                    : `cannot listen on ${host} port ${port} (${code})`, { cause });
        this.code = code;
        this.host = host;
        this.port = port;
    }
}
const codeOf = (err) => typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : 'ERROR';
const listenOne = (server, options) => new Promise((resolve, reject) => {
    const onError = (err) => reject(err);
    server.once('error', onError);
    server.listen(options, () => {
        server.off('error', onError);
        resolve();
    });
});
export const closeServer = (server) => new Promise((resolve) => {
    if (!server.listening)
        return resolve();
    server.close(() => resolve());
});
// IPv6 missing or disabled: listen on IPv4 only.
const NO_IPV6 = new Set(['EAFNOSUPPORT', 'EADDRNOTAVAIL', 'EINVAL', 'EPROTONOSUPPORT']);
/**
 * Listen on `host:port` (port 0 = ephemeral). Returns the listening servers and the port.
 * `makeServer` creates a server with the connection handler attached.
 */
export const listenAll = async (makeServer, host, port) => {
    for (let attempt = 0;; attempt++) {
        const v4 = makeServer();
        try {
            await listenOne(v4, { host, port, exclusive: true });
        }
        catch (err) {
            throw new ListenError(codeOf(err), host, port, err);
        }
        const bound = v4.address().port;
        if (host !== DEFAULT_HOST)
            return { servers: [v4], port: bound };
        const v6 = makeServer();
        try {
            await listenOne(v6, { host: '::', port: bound, ipv6Only: true, exclusive: true });
            return { servers: [v4, v6], port: bound };
        }
        catch (err) {
            const code = codeOf(err);
            if (NO_IPV6.has(code))
                return { servers: [v4], port: bound };
            await closeServer(v4);
            // An ephemeral port free on IPv4 but taken on IPv6: pick another one.
            if (code === 'EADDRINUSE' && port === 0 && attempt < 5)
                continue;
            throw new ListenError(code, '::', bound, err);
        }
    }
};
//# sourceMappingURL=listen.js.map