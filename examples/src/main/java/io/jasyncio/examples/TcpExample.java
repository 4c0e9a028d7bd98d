package io.jasyncio.examples;

import io.jasyncio.Asyncio;
import io.jasyncio.Coroutine;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;

/**
 * An example that talks TCP: it takes {@code --host} and {@code --port} (default {@value #DEFAULT_HOST} and
 * {@value #DEFAULT_PORT}; port 0 makes a server pick a free one), and {@code all} does not run it. A server
 * prints {@code Serving on HOST:PORT} as its first line.
 * <pre>
 * java -jar jasyncio-examples.jar echo-server --port 0
 * java -jar jasyncio-examples.jar echo-client --host 127.0.0.1 --port 8888
 * </pre>
 */
public interface TcpExample extends Example {
    /** The host a server listens on and a client connects to by default. */
    String DEFAULT_HOST = "127.0.0.1";
    /** The port a server listens on and a client connects to by default. */
    int DEFAULT_PORT = 8888;

    /**
     * The program's main coroutine, on {@code host} and {@code port}.
     *
     * @param out where the program prints
     * @param host the address to listen on or connect to
     * @param port the port; 0 for a server picks a free one
     * @return the program's main coroutine
     * @throws IOException (from the coroutine) a failed connection or bind: the program's crash
     */
    Coroutine<Void> main(PrintStream out, String host, int port) throws IOException;

    /** {@return {@link #main(PrintStream, String, int)} on {@value #DEFAULT_HOST} and {@value #DEFAULT_PORT}} */
    @Override
    default Coroutine<Void> main(PrintStream out) {
        return mainOn(out, DEFAULT_HOST, DEFAULT_PORT);
    }

    /** {@return {@code --host} and {@code --port}} */
    @Override
    default List<String> options() {
        return List.of("--host", "--port");
    }

    @Override
    default void checkOptions(Map<String, String> options) {
        for (String name : options.keySet()) {
            if (!options().contains(name)) {
                throw new IllegalArgumentException(name() + " takes " + options() + ", not " + name);
            }
        }
        port(options);
    }

    @Override
    default void run(PrintStream out, Map<String, String> options) {
        checkOptions(options);
        Asyncio.run(mainOn(out, options.getOrDefault("--host", DEFAULT_HOST), port(options)));
    }

    /** {@return {@code false}: a server serves until stopped, and a client needs a server} */
    @Override
    default boolean inAll() {
        return false;
    }

    private Coroutine<Void> mainOn(PrintStream out, String host, int port) {
        try {
            return main(out, host, port);
        } catch (IOException e) { // calling an @Async method only makes its coroutine: it throws when awaited
            throw new UncheckedIOException(e);
        }
    }

    private static int port(Map<String, String> options) {
        String value = options.get("--port");
        if (value == null) {
            return DEFAULT_PORT;
        }
        int port;
        try {
            port = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port takes a number, not " + value, e);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port takes 0 to 65535, not " + value);
        }
        return port;
    }

    /**
     * Python's {@code f"{host}:{port}"} of a socket address.
     *
     * @param address an {@link InetSocketAddress}
     * @return such as {@code 127.0.0.1:8888}
     */
    static String hostPort(SocketAddress address) {
        InetSocketAddress a = (InetSocketAddress) address;
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    /**
     * Python's {@code repr()} of a string: quoted, with its quotes, backslashes and control characters escaped.
     *
     * @param s the string
     * @return such as {@code 'Hello World!'}
     */
    static String repr(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder b = new StringBuilder().append(quote);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c == quote) {
                        b.append('\\').append(c);
                    } else if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append(quote).toString();
    }
}
