package io.jasyncio;

import javax.net.ssl.SSLContext;

/**
 * The options of {@link Asyncio#startServer(ClientConnected, String, int, ServeOptions)} and
 * {@link EventLoop#createServer(java.util.function.Supplier, String, int, ServeOptions)}: asyncio's
 * {@code backlog}, {@code reuse_address}, {@code reuse_port}, {@code ssl} and {@code limit}.
 *
 * @param backlog the listen backlog, more than zero (default 100)
 * @param reuseAddress {@code SO_REUSEADDR} (default on, as asyncio's on Unix)
 * @param reusePort {@code SO_REUSEPORT}, so that several servers (several loops) can share the port (default off)
 * @param ssl the TLS context with the server's key and certificate, or {@code null} for plain TCP
 * @param limit each stream reader's limit, more than zero
 */
public record ServeOptions(int backlog, boolean reuseAddress, boolean reusePort, SSLContext ssl, int limit) {
    /**
     * Checks the backlog and the limit.
     *
     * @param backlog see the record's {@code backlog}
     * @param reuseAddress see the record's {@code reuseAddress}
     * @param reusePort see the record's {@code reusePort}
     * @param ssl see the record's {@code ssl}
     * @param limit see the record's {@code limit}
     */
    public ServeOptions {
        if (backlog <= 0) {
            throw new IllegalArgumentException("backlog must be > 0, not " + backlog);
        }
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be > 0, not " + limit);
        }
    }

    /** {@return a backlog of 100, SO_REUSEADDR, plain TCP, the default limit} */
    public static ServeOptions defaults() {
        return new ServeOptions(100, true, false, null, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * {@return these options with a backlog}
     *
     * @param n the backlog
     */
    public ServeOptions withBacklog(int n) {
        return new ServeOptions(n, reuseAddress, reusePort, ssl, limit);
    }

    /**
     * {@return these options with SO_REUSEADDR on or off}
     *
     * @param on whether to set it
     */
    public ServeOptions withReuseAddress(boolean on) {
        return new ServeOptions(backlog, on, reusePort, ssl, limit);
    }

    /**
     * {@return these options with SO_REUSEPORT on or off}
     *
     * @param on whether to set it
     */
    public ServeOptions withReusePort(boolean on) {
        return new ServeOptions(backlog, reuseAddress, on, ssl, limit);
    }

    /**
     * {@return these options over TLS}
     *
     * @param context the TLS context
     */
    public ServeOptions withSsl(SSLContext context) {
        return new ServeOptions(backlog, reuseAddress, reusePort, context, limit);
    }

    /**
     * {@return these options with the readers' limit}
     *
     * @param bytes the limit
     */
    public ServeOptions withLimit(int bytes) {
        return new ServeOptions(backlog, reuseAddress, reusePort, ssl, bytes);
    }
}
