package io.jasyncio;

import java.net.SocketAddress;
import javax.net.ssl.SSLContext;

/**
 * The options of {@link Asyncio#openConnection(String, int, ConnectOptions)} and
 * {@link EventLoop#createConnection(java.util.function.Supplier, String, int, ConnectOptions)}: asyncio's
 * {@code ssl}, {@code server_hostname}, {@code limit} and {@code local_addr}.
 * <pre>{@code
 * Streams s = await(openConnection("example.org", 443, ConnectOptions.defaults().withSsl(SSLContext.getDefault())));
 * }</pre>
 *
 * @param ssl the TLS context, or {@code null} for plain TCP
 * @param serverHostname the name the server's certificate must carry (and the SNI name), or {@code null} for the
 *                       host connected to
 * @param limit the stream reader's limit (see {@link StreamReader}), more than zero
 * @param localAddress the local address to bind before connecting, or {@code null}
 * @param happyEyeballsDelay when positive, RFC 8305's "happy eyeballs": when a host has several addresses, the
 *                           next attempt starts after this many seconds (or as soon as one fails) while the
 *                           earlier ones go on, and the first to connect wins; zero (the default) tries them one
 *                           after the other (asyncio's {@code happy_eyeballs_delay}, 0.25 as RFC 8305 advises)
 */
public record ConnectOptions(SSLContext ssl, String serverHostname, int limit, SocketAddress localAddress,
                             double happyEyeballsDelay) {
    /**
     * Checks the limit and the delay.
     *
     * @param ssl see the record's {@code ssl}
     * @param serverHostname see the record's {@code serverHostname}
     * @param limit see the record's {@code limit}
     * @param localAddress see the record's {@code localAddress}
     * @param happyEyeballsDelay see the record's {@code happyEyeballsDelay}
     */
    public ConnectOptions {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be > 0, not " + limit);
        }
        if (Double.isNaN(happyEyeballsDelay)) {
            throw new IllegalArgumentException("happyEyeballsDelay must not be NaN");
        }
    }

    /** {@return plain TCP, the default limit (64 KiB), no local address} */
    public static ConnectOptions defaults() {
        return new ConnectOptions(null, null, StreamReader.DEFAULT_LIMIT, null, 0);
    }

    /**
     * {@return these options over TLS}
     *
     * @param context the TLS context
     */
    public ConnectOptions withSsl(SSLContext context) {
        return new ConnectOptions(context, serverHostname, limit, localAddress, happyEyeballsDelay);
    }

    /**
     * {@return these options with the name the server's certificate must carry}
     *
     * @param name the name
     */
    public ConnectOptions withServerHostname(String name) {
        return new ConnectOptions(ssl, name, limit, localAddress, happyEyeballsDelay);
    }

    /**
     * {@return these options with the reader's limit}
     *
     * @param bytes the limit
     */
    public ConnectOptions withLimit(int bytes) {
        return new ConnectOptions(ssl, serverHostname, bytes, localAddress, happyEyeballsDelay);
    }

    /**
     * {@return these options binding {@code address} before connecting}
     *
     * @param address the local address
     */
    public ConnectOptions withLocalAddress(SocketAddress address) {
        return new ConnectOptions(ssl, serverHostname, limit, address, happyEyeballsDelay);
    }

    /**
     * {@return these options racing a host's addresses, {@code seconds} apart (RFC 8305)}
     *
     * @param seconds the delay between attempts; zero to try them one after the other
     */
    public ConnectOptions withHappyEyeballsDelay(double seconds) {
        return new ConnectOptions(ssl, serverHostname, limit, localAddress, seconds);
    }
}
