// Listeners: plain TCP. On the default host 0.0.0.0 the server also listens on :: (IPv6 only,
// same port) when the machine has IPv6, so both 127.0.0.1 and ::1 reach it.
import net from 'node:net';

export const DEFAULT_HOST = '0.0.0.0';

/** Listening failed (port in use, no such address, no permission). */
export class ListenError extends Error {
  constructor(
    readonly code: string,
    readonly host: string,
    readonly port: number,
    cause: unknown,
  ) {
    super(
      code === 'EADDRINUSE'
        ? `port ${port} is already in use`
        : code === 'EACCES'
          ? `no permission to listen on port ${port}`
          : code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND'
            ? `cannot listen on address ${host}`
            : `cannot listen on ${host} port ${port} (${code})`,
      { cause },
    );
  }
}

const codeOf = (err: unknown): string =>
  typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : 'ERROR';

const listenOne = (server: net.Server, options: net.ListenOptions): Promise<void> =>
  new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(options, () => {
      server.off('error', onError);
      resolve();
    });
  });

export const closeServer = (server: net.Server): Promise<void> =>
  new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });

// IPv6 missing or disabled: listen on IPv4 only.
const NO_IPV6 = new Set(['EAFNOSUPPORT', 'EADDRNOTAVAIL', 'EINVAL', 'EPROTONOSUPPORT']);

/**
 * Listen on `host:port` (port 0 = ephemeral). Returns the listening servers and the port.
 * `makeServer` creates a server with the connection handler attached.
 */
export const listenAll = async (
  makeServer: () => net.Server,
  host: string,
  port: number,
): Promise<{ servers: net.Server[]; port: number }> => {
  for (let attempt = 0; ; attempt++) {
    const v4 = makeServer();
    try {
      await listenOne(v4, { host, port, exclusive: true });
    } catch (err) {
      throw new ListenError(codeOf(err), host, port, err);
    }
    const bound = (v4.address() as net.AddressInfo).port;
    if (host !== DEFAULT_HOST) return { servers: [v4], port: bound };
    const v6 = makeServer();
    try {
      await listenOne(v6, { host: '::', port: bound, ipv6Only: true, exclusive: true });
      return { servers: [v4, v6], port: bound };
    } catch (err) {
      const code = codeOf(err);
      if (NO_IPV6.has(code)) return { servers: [v4], port: bound };
      await closeServer(v4);
      // An ephemeral port free on IPv4 but taken on IPv6: pick another one.
      if (code === 'EADDRINUSE' && port === 0 && attempt < 5) continue;
      throw new ListenError(code, '::', bound, err);
    }
  }
};
