// The imperative shell: sockets in, Inputs to the core, Effects out. It knows nothing of IRC
// beyond framing. Every event becomes an Input, stamped with a sequence number and the clock,
// applied with apply() one at a time (never re-entrantly), recorded when asked; the resulting
// effects are carried out: writes batched per socket per event-loop turn, closes after a flush.
// When the shell learns something about a client (EOF, socket error, RecvQ/SendQ overflow) it
// never acts on its own: it feeds ClientDisconnected and lets the core decide.
import net from 'node:net';
import { apply } from '../core/input.js';
import { redactInput } from '../core/redact.js';
import { initialState } from '../core/state.js';
import { LineFramer } from './framing.js';
import { DEFAULT_HOST, closeServer, listenAll } from './listen.js';
import { flushLogger, makeLogger } from './logger.js';
import { Recorder } from './recorder.js';
import { makeTlsServer } from './tls.js';
/** How long a closed connection may take to flush before it is destroyed. */
const CLOSE_GRACE_MS = 2000;
const reasonOf = (err) => `${err.syscall === 'write' ? 'Write' : 'Read'} error: ${err.code ?? err.message}`;
export async function startServer(opts) {
    const clock = opts.clock ?? Date.now;
    const logger = opts.logger ?? makeLogger(opts.logLevel ?? 'warn');
    const applyInput = opts.apply ?? apply;
    // Read from the current state each time, so a reloaded config takes effect at once.
    const sendQ = () => opts.sendQBytes ?? state.config.limits.sendQ;
    const recorder = opts.recordFile === undefined ? null : await Recorder.open(opts.recordFile, opts.config, logger);
    let state = initialState(opts.config);
    let seq = 0;
    let nextId = 1;
    let stopping = false;
    const conns = new Map();
    // ---- inputs: one at a time, in arrival order --------------------------------------------
    const queue = [];
    let draining = false;
    const feed = (event) => {
        queue.push(event);
        if (draining)
            return; // an effect fed an input: it runs after the current one
        draining = true;
        try {
            for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
                const input = { ...next, seq: ++seq, at: clock() };
                // Redacted against the state the input is about to meet: no password reaches the file.
                if (recorder !== null)
                    recorder.append(redactInput(state, input));
                let effects;
                try {
                    const result = applyInput(state, input);
                    state = result[0];
                    effects = result[1];
                }
                catch (err) {
                    // A core bug: keep the previous state and keep serving everyone else.
                    guarded(() => logger.error({ err, seq: input.seq, input: input._tag }, 'core threw; input ignored'));
                    // A connection the core never learnt of would linger unserved (no timeout applies): close it.
                    if (input._tag === 'ClientConnected') {
                        const c = conns.get(input.client);
                        if (c !== undefined)
                            guarded(() => closeConn(c));
                    }
                    continue;
                }
                // One failing effect (a throwing logger, a socket in a bad state) must not stop the others.
                for (const e of effects)
                    guarded(() => perform(e), e);
            }
        }
        finally {
            draining = false;
        }
        scheduleTurn();
    };
    /** Run shell work that must never take the daemon down: an exception is logged, then dropped. */
    const guarded = (work, effect) => {
        try {
            work();
        }
        catch (err) {
            try {
                logger.error({ err, effect: effect?._tag }, 'shell error; going on');
            }
            catch {
                // The logger itself failed: nothing left to tell.
            }
        }
    };
    // ---- effects -----------------------------------------------------------------------------
    const dirty = new Set();
    /** Sockets ended by a Close and still flushing. */
    const flushing = new Set();
    let turnScheduled = false;
    const perform = (e) => {
        switch (e._tag) {
            case 'Send': {
                const bytes = Buffer.from(e.line + '\r\n', 'latin1'); // serialized once for everyone
                for (const id of e.to) {
                    const c = conns.get(id);
                    if (c !== undefined)
                        write(c, bytes);
                }
                return;
            }
            case 'Close': {
                const c = conns.get(e.client);
                if (c !== undefined)
                    closeConn(c);
                return;
            }
            case 'Log':
                logger[e.level](e.text);
                return;
            case 'ReloadConfig':
                reloadConfig(e.requestedBy);
                return;
            default: {
                const unreachable = e;
                logger.error({ effect: unreachable }, 'unknown effect');
            }
        }
    };
    const write = (c, bytes) => {
        const s = c.socket;
        if (!s.writable)
            return;
        if (!c.corked) {
            s.cork();
            c.corked = true;
            dirty.add(c);
        }
        s.write(bytes);
    };
    const uncork = (c) => {
        if (!c.corked)
            return;
        c.corked = false;
        c.socket.uncork();
    };
    /** Flush what was sent, then end; destroy if the peer does not finish in time. */
    const closeConn = (c) => {
        c.done = true;
        conns.delete(c.id);
        if (!c.socket.closed)
            flushing.add(c.socket);
        uncork(c);
        dirty.delete(c);
        c.socket.end();
        setTimeout(() => c.socket.destroy(), CLOSE_GRACE_MS).unref();
    };
    const scheduleTurn = () => {
        if (turnScheduled || (dirty.size === 0 && recorder === null))
            return;
        turnScheduled = true;
        setImmediate(endTurn);
    };
    /** End of an event-loop turn: hand each socket its batch, then enforce the SendQ. */
    const endTurn = () => {
        turnScheduled = false;
        const batch = [...dirty];
        dirty.clear();
        const limit = sendQ();
        for (const c of batch)
            guarded(() => uncork(c));
        for (const c of batch) {
            const queued = c.socket.writableLength;
            if (!c.done && queued > limit) {
                guarded(() => logger.warn({ client: c.id, queued, limit }, 'SendQ exceeded'));
                guarded(() => disconnect(c, 'SendQ exceeded'));
            }
        }
        guarded(() => recorder?.flush());
    };
    // ---- connections -------------------------------------------------------------------------
    /** Tell the core this client is gone, once, and only if the core has not closed it already. */
    const disconnect = (c, reason) => {
        if (c.done)
            return;
        c.done = true;
        feed({ _tag: 'ClientDisconnected', client: c.id, reason });
    };
    /** Ask the reload source, then feed its outcome; never throws, never runs after close. */
    const reloadConfig = (requestedBy) => {
        if (opts.reload === undefined) {
            logger.info('reload requested, but this server has no configuration source to reload');
            return;
        }
        opts.reload().then((r) => {
            if (stopping)
                return;
            feed(r.ok ? { _tag: 'ConfigReloaded', config: r.config, requestedBy } : { _tag: 'ConfigReloadFailed', reason: r.reason, requestedBy });
        }, (err) => {
            logger.error({ err }, 'config reload threw');
            if (!stopping)
                feed({ _tag: 'ConfigReloadFailed', reason: 'internal error while reloading', requestedBy });
        });
    };
    const onConnection = (socket, secure = false) => {
        if (stopping) {
            socket.on('error', () => { });
            socket.destroy();
            return;
        }
        socket.setNoDelay(true);
        const c = { id: nextId++, socket, framer: new LineFramer(state.config.limits.recvQ), corked: false, done: false };
        conns.set(c.id, c);
        // After the client is done its bytes are still read (and dropped) rather than left unread:
        // closing a socket with unread input sends RST, which could destroy the ERROR line in flight.
        socket.on('data', (chunk) => guarded(() => {
            if (c.done)
                return;
            const { lines, overflow } = c.framer.push(chunk);
            for (const line of lines) {
                if (c.done)
                    return; // e.g. QUIT followed by more lines in the same read
                feed({ _tag: 'LineReceived', client: c.id, line });
            }
            if (overflow) {
                logger.warn({ client: c.id, limit: state.config.limits.recvQ }, 'RecvQ exceeded');
                disconnect(c, 'RecvQ exceeded');
            }
        }));
        socket.on('end', () => disconnect(c, 'Connection closed'));
        // An error listener is always attached: ECONNRESET/EPIPE become an input, never a crash.
        socket.on('error', (err) => disconnect(c, reasonOf(err)));
        socket.on('close', () => {
            flushing.delete(socket);
            disconnect(c, 'Connection closed');
            conns.delete(c.id);
            dirty.delete(c);
        });
        feed({ _tag: 'ClientConnected', client: c.id, address: socket.remoteAddress ?? 'unknown', tls: secure });
    };
    const makeServer = () => net.createServer((socket) => onConnection(socket));
    let listening;
    try {
        listening = await listenAll(makeServer, opts.host ?? DEFAULT_HOST, opts.port);
    }
    catch (err) {
        await recorder?.close();
        throw err;
    }
    let tlsPort = null;
    if (opts.tls !== undefined) {
        const material = opts.tls;
        const makeTls = () => makeTlsServer(material, (socket) => onConnection(socket, true), (err) => logger.debug({ err: err.message }, 'TLS handshake failed'));
        try {
            const secure = await listenAll(makeTls, opts.host ?? DEFAULT_HOST, opts.tls.port);
            listening = { servers: [...listening.servers, ...secure.servers], port: listening.port };
            tlsPort = secure.port;
        }
        catch (err) {
            await Promise.all(listening.servers.map(closeServer));
            await recorder?.close();
            throw err;
        }
    }
    for (const server of listening.servers)
        server.on('error', (err) => logger.error({ err }, 'listener error'));
    logger.info({ port: listening.port, host: opts.host ?? DEFAULT_HOST }, 'listening');
    const tickMs = opts.tickIntervalMs ?? 1000;
    const ticker = tickMs > 0 ? setInterval(() => feed({ _tag: 'TimeAdvanced' }), tickMs) : null;
    ticker?.unref();
    // ---- the handle --------------------------------------------------------------------------
    const settled = async () => {
        await new Promise((resolve) => setImmediate(resolve)); // this turn's batches go out
        // Poll: 'drain' only fires after a write() returned false, so it cannot be awaited here.
        const unflushed = () => {
            for (const c of conns.values())
                if (!c.socket.destroyed && c.socket.writableLength > 0)
                    return true;
            return false;
        };
        while (unflushed())
            await new Promise((resolve) => setTimeout(resolve, 1));
        await recorder?.drained();
    };
    let closing = null;
    const close = (reason = 'Server shutting down') => {
        closing ??= (async () => {
            stopping = true;
            if (ticker !== null)
                clearInterval(ticker);
            const listenersClosed = Promise.all(listening.servers.map(closeServer));
            feed({ _tag: 'ServerStopping', reason });
            // The core closed every client it knows; anything left is closed here all the same.
            for (const c of [...conns.values()])
                closeConn(c);
            // Wait for every flush (each bounded by its grace timer).
            await Promise.all([...flushing].map((s) => new Promise((resolve) => s.once('close', () => resolve()))));
            await listenersClosed;
            if (recorder !== null)
                await recorder.close();
            await flushLogger(logger);
        })();
        return closing;
    };
    return {
        port: listening.port,
        tlsPort,
        reload: () => {
            if (!stopping)
                reloadConfig(null);
        },
        tick: () => feed({ _tag: 'TimeAdvanced' }),
        settled,
        state: () => state,
        close,
    };
}
//# sourceMappingURL=server.js.map