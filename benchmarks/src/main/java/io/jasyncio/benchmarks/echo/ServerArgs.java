package io.jasyncio.benchmarks.echo;

/** The command line of the W6 echo servers: {@code [--host HOST] [--port PORT]} (127.0.0.1, port 0). */
final class ServerArgs {
    final String host;
    final int port;

    private ServerArgs(String host, int port) {
        this.host = host;
        this.port = port;
    }

    static ServerArgs parse(String[] args) {
        String host = "127.0.0.1";
        int port = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host":
                    host = args[++i];
                    break;
                case "--port":
                    port = Integer.parseInt(args[++i]);
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + args[i] + "; usage: [--host H] [--port P]");
            }
        }
        return new ServerArgs(host, port);
    }

    /** Prints the line the runner waits for; it must be the server's first line of output. */
    static void serving(java.net.SocketAddress address) {
        java.net.InetSocketAddress a = (java.net.InetSocketAddress) address;
        System.out.println("Serving on " + a.getAddress().getHostAddress() + ":" + a.getPort());
        System.out.flush();
    }
}
