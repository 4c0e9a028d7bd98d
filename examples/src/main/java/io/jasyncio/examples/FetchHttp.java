package io.jasyncio.examples;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.gather;

import io.jasyncio.Coroutine;
import io.jasyncio.Server;
import io.jasyncio.StreamReader;
import io.jasyncio.StreamWriter;
import io.jasyncio.annotations.Async;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Three pages fetched concurrently, from an {@link HttpHello} server started in the same program on the same
 * loop. Python fetches with aiohttp; Java with the JDK's {@link HttpClient}, whose {@code sendAsync} returns a
 * {@code CompletableFuture}: {@code await} takes any {@code CompletionStage} and resumes the coroutine on the
 * loop's thread once the client's own threads have the response. The Python original (aiohttp 3.8; with
 * {@code handle} the one of {@link HttpHello}):
 * <pre>{@code
 * import argparse
 * import asyncio
 *
 * import aiohttp
 *
 * from http_hello import handle
 *
 * async def fetch(session, url):
 *     async with session.get(url) as response:
 *         return response.status, await response.text()
 *
 * async def main(host, port):
 *     server = await asyncio.start_server(handle, host, port)
 *     host, port = server.sockets[0].getsockname()[:2]
 *     print(f"Serving on {host}:{port}")
 *     urls = [f"http://{host}:{port}/{page}" for page in ("one", "two", "three")]
 *     async with server, aiohttp.ClientSession() as session:
 *         results = await asyncio.gather(*(fetch(session, url) for url in urls))
 *         for url, (status, text) in zip(urls, results):
 *             print(f"{url}: {status} {text!r}")
 *
 * parser = argparse.ArgumentParser()
 * parser.add_argument("--host", default="127.0.0.1")
 * parser.add_argument("--port", type=int, default=8888)
 * args = parser.parse_args()
 * asyncio.run(main(args.host, args.port))
 * }</pre>
 * Both print:
 * <pre>
 * Serving on 127.0.0.1:8888
 * http://127.0.0.1:8888/one: 200 'Hello, World!'
 * http://127.0.0.1:8888/two: 200 'Hello, World!'
 * http://127.0.0.1:8888/three: 200 'Hello, World!'
 * </pre>
 * Leaving {@code async with ClientSession()} closes aiohttp's connections, so the server's handlers end and
 * {@code async with server} finds nothing open. The JDK's client keeps its idle connections open (and on JDK 17
 * cannot be closed), so the Java program closes the connections from the server's side once the server is
 * closed, as Python 3.13's {@code Server.close_clients()} does, before it waits for the handlers to end.
 */
public final class FetchHttp implements TcpExample {
    /** The paths fetched. */
    static final List<String> PAGES = List.of("one", "two", "three");

    /** Creates the example. */
    public FetchHttp() {
    }

    /** {@return {@code fetch-http}} */
    @Override
    public String name() {
        return "fetch-http";
    }

    /** {@return what the example shows} */
    @Override
    public String description() {
        return "three pages fetched concurrently with HttpClient.sendAsync from an http-hello in the same program";
    }

    /**
     * Fetches {@code url}.
     *
     * @param client the HTTP client
     * @param url the page
     * @return a coroutine of the status and the body's {@code repr}, such as {@code 200 'Hello, World!'}
     */
    @Async
    public static Coroutine<String> fetch(HttpClient client, String url) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).build();
        HttpResponse<String> response = await(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        return done(response.statusCode() + " " + TcpExample.repr(response.body()));
    }

    /**
     * Serves one connection with {@link HttpHello#handle}, with its writer in {@code open} meanwhile.
     *
     * @param open the writers of the connections being served
     * @param reader the connection's incoming bytes
     * @param writer the connection's outgoing bytes
     * @return the coroutine
     * @throws IOException never (see {@link HttpHello#handle})
     */
    @Async
    static Coroutine<Void> serveTracked(Set<StreamWriter> open, StreamReader reader, StreamWriter writer)
            throws IOException {
        open.add(writer);
        try {
            await(HttpHello.handle(reader, writer));
        } finally {
            open.remove(writer);
        }
        return done();
    }

    /**
     * Starts the server, fetches the three pages concurrently and prints what each returned, then stops the
     * server.
     *
     * @param out where the program prints
     * @param host the address to listen on and fetch from
     * @param port the port, or 0 for a free one
     * @return the program's main coroutine
     * @throws IOException (from the coroutine) when the address cannot be bound, or a fetch fails
     */
    @Async
    @Override
    public Coroutine<Void> main(PrintStream out, String host, int port) throws IOException {
        Set<StreamWriter> open = new HashSet<>();
        Server server = await(HttpHello.start(out, (reader, writer) -> serveTracked(open, reader, writer), host,
                port));
        String base = "http://" + TcpExample.hostPort(server.addresses().get(0)) + "/";
        List<String> urls = new ArrayList<>();
        for (String page : PAGES) {
            urls.add(base + page);
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try {
            List<Coroutine<String>> fetches = new ArrayList<>();
            for (String url : urls) {
                fetches.add(fetch(client, url));
            }
            List<String> results = await(gather(fetches));
            for (int i = 0; i < urls.size(); i++) {
                out.println(urls.get(i) + ": " + results.get(i));
            }
        } finally {
            server.close();
            for (StreamWriter writer : List.copyOf(open)) {
                writer.close(); // the client's idle keep-alive connections
            }
        }
        await(server.waitClosed());
        return done();
    }
}
