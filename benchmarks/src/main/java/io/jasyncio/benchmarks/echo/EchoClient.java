package io.jasyncio.benchmarks.echo;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The W6 load client, run in a process of its own: N connections (TCP_NODELAY) each write one 64-byte message,
 * wait for all 64 bytes of its echo, check them and write the next. A warm-up, then W windows of S seconds;
 * for each window it prints the round trips per second and, given the server's pid, the server's CPU time per
 * round trip (from {@code /proc/<pid>/stat}). Then it stops sending, waits for every connection's last echo
 * (a connection that stalls fails the run) and exits 0 only if every echo was right.
 *
 * <p>The connections are served by {@code --threads} NIO selector threads (default 1), each owning a share of
 * them: a selector thread costs less CPU per round trip than a blocking thread per connection.
 *
 * <p>Output, one line each: {@code warm-up: ...}, {@code window I: R round trips/s, server C us CPU per round
 * trip, client K us CPU per round trip}, {@code median: ...}, {@code verified: ...}.
 */
public final class EchoClient {
    /** The message size. */
    static final int SIZE = 64;

    private EchoClient() {
    }

    /** The client's settings. */
    static final class Options {
        String host = "127.0.0.1";
        int port = -1;
        int connections = 50;
        double warmup = 5;
        int windows = 3;
        double window = 10;
        int threads = 1;
        long serverPid = -1;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String v = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--host": o.host = v; break;
                    case "--port": o.port = Integer.parseInt(v); break;
                    case "--connections": o.connections = Integer.parseInt(v); break;
                    case "--warmup": o.warmup = Double.parseDouble(v); break;
                    case "--windows": o.windows = Integer.parseInt(v); break;
                    case "--window": o.window = Double.parseDouble(v); break;
                    case "--threads": o.threads = Integer.parseInt(v); break;
                    case "--server-pid": o.serverPid = Long.parseLong(v); break;
                    default:
                        throw new IllegalArgumentException("unknown option " + args[i] + "; usage: --port P [--host H]"
                                + " [--connections N] [--warmup SECONDS] [--windows W] [--window SECONDS]"
                                + " [--threads T] [--server-pid PID]");
                }
                i++;
            }
            if (o.port < 0) {
                throw new IllegalArgumentException("--port is required");
            }
            if (o.connections < 1 || o.windows < 1 || o.threads < 1 || o.window <= 0 || o.warmup < 0) {
                throw new IllegalArgumentException("connections, windows and threads must be >= 1, window > 0");
            }
            return o;
        }
    }

    /** One connection: its socket, the message in flight and the buffer its echo is read into. */
    private static final class Conn {
        final int id;
        final SocketChannel channel;
        final ByteBuffer out = ByteBuffer.allocateDirect(SIZE);
        final ByteBuffer in = ByteBuffer.allocateDirect(SIZE);
        SelectionKey key;
        long seq;
        long roundTrips;
        boolean inFlight;

        Conn(int id, SocketChannel channel) {
            this.id = id;
            this.channel = channel;
        }

        /** Fills the next message: distinct for every connection and sequence number, so a mixed-up echo fails. */
        void fill() {
            out.clear();
            long base = ((long) id << 40) ^ seq;
            for (int i = 0; i < SIZE / 8; i++) {
                out.putLong(base * (0x9E3779B97F4A7C15L + 2 * i));
            }
            out.flip();
        }
    }

    /** A selector thread driving its share of the connections. */
    private static final class Driver extends Thread {
        final List<Conn> conns = new ArrayList<>();
        final Selector selector;
        final AtomicLong roundTrips = new AtomicLong();
        volatile boolean stopping;
        volatile Throwable failure;
        volatile long drainDeadline;
        private long count;

        Driver(int index) throws IOException {
            super("echo-client-" + index);
            setDaemon(true);
            selector = Selector.open();
        }

        @Override
        public void run() {
            try {
                for (Conn c : conns) {
                    c.key = c.channel.register(selector, SelectionKey.OP_READ, c);
                    send(c);
                }
                for (;;) {
                    if (stopping) {
                        int inFlight = 0;
                        for (Conn c : conns) {
                            inFlight += c.inFlight ? 1 : 0;
                        }
                        if (inFlight == 0) {
                            return;
                        }
                        if (System.nanoTime() - drainDeadline > 0) {
                            throw new IllegalStateException(inFlight + " connection(s) of " + getName()
                                    + " stalled: their echo did not come back within 5 s");
                        }
                    }
                    selector.select(this::ready, 100);
                }
            } catch (Throwable t) {
                failure = t;
            } finally {
                for (Conn c : conns) {
                    try {
                        c.channel.close();
                    } catch (IOException ignored) {
                        // closing anyway
                    }
                }
                try {
                    selector.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }

        private void send(Conn c) throws IOException {
            c.in.clear();
            c.fill();
            c.inFlight = true;
            c.channel.write(c.out);
            if (c.out.hasRemaining()) {
                c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            }
        }

        private void ready(SelectionKey k) {
            Conn c = (Conn) k.attachment();
            try {
                if (k.isWritable()) {
                    c.channel.write(c.out);
                    if (!c.out.hasRemaining()) {
                        k.interestOps(SelectionKey.OP_READ);
                    }
                }
                if (k.isReadable()) {
                    int n = c.channel.read(c.in);
                    if (n < 0) {
                        throw new EOFException("connection " + c.id + ": the server closed it after "
                                + c.roundTrips + " round trips");
                    }
                    if (!c.in.hasRemaining()) {
                        c.in.flip();
                        c.out.rewind();
                        if (c.in.mismatch(c.out) >= 0) {
                            throw new IllegalStateException("connection " + c.id + ": echo " + c.seq
                                    + " differs from the message sent at byte " + c.in.mismatch(c.out));
                        }
                        c.roundTrips++;
                        c.seq++;
                        c.inFlight = false;
                        roundTrips.lazySet(++count);
                        if (!stopping) {
                            send(c);
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** What one window measured. */
    static final class Window {
        final long roundTrips;
        final double roundTripsPerSecond;
        /** Server CPU µs per round trip, or NaN without a server pid. */
        final double serverCpuMicros;
        final double clientCpuMicros;

        Window(long roundTrips, double roundTripsPerSecond, double serverCpuMicros, double clientCpuMicros) {
            this.roundTrips = roundTrips;
            this.roundTripsPerSecond = roundTripsPerSecond;
            this.serverCpuMicros = serverCpuMicros;
            this.clientCpuMicros = clientCpuMicros;
        }
    }

    /**
     * Connects, loads, measures, drains and verifies.
     *
     * @param o the settings
     * @param out where the lines go
     * @return the windows
     * @throws Exception when a connection fails, an echo is wrong or stalls
     */
    static List<Window> run(Options o, java.io.PrintStream out) throws Exception {
        long clk = ProcStat.clockTicksPerSecond();
        long self = ProcessHandle.current().pid();
        out.printf(Locale.ROOT, "client: %d connections to %s:%d, %d thread(s), warm-up %.1f s, %d window(s) of %.1f s,"
                + " server pid %d, CLK_TCK %d%n", o.connections, o.host, o.port, o.threads, o.warmup, o.windows,
                o.window, o.serverPid, clk);
        Driver[] drivers = new Driver[o.threads];
        List<Conn> all = new ArrayList<>();
        try {
            for (int t = 0; t < drivers.length; t++) {
                drivers[t] = new Driver(t);
            }
            for (int i = 0; i < o.connections; i++) {
                SocketChannel ch = SocketChannel.open();
                Conn c = new Conn(i, ch);
                all.add(c);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.connect(new InetSocketAddress(o.host, o.port));
                ch.configureBlocking(false);
                drivers[i % drivers.length].conns.add(c);
            }
        } catch (IOException e) {
            for (Conn c : all) {
                c.channel.close();
            }
            throw e;
        }
        for (Driver d : drivers) {
            d.start();
        }
        List<Window> windows = new ArrayList<>();
        try {
            long c0 = total(drivers);
            long n0 = System.nanoTime();
            sleep(o.warmup, drivers);
            long c1 = total(drivers);
            out.printf(Locale.ROOT, "warm-up: %.0f round trips/s%n", (c1 - c0) * 1e9 / (System.nanoTime() - n0));
            for (int w = 1; w <= o.windows; w++) {
                long server0 = o.serverPid > 0 ? ProcStat.cpuTicks(o.serverPid) : -1;
                long client0 = ProcStat.cpuTicks(self);
                long rt0 = total(drivers);
                long t0 = System.nanoTime();
                sleep(o.window, drivers);
                long rt1 = total(drivers);
                long t1 = System.nanoTime();
                long server1 = o.serverPid > 0 ? ProcStat.cpuTicks(o.serverPid) : -1;
                long client1 = ProcStat.cpuTicks(self);
                long n = rt1 - rt0;
                double rate = n * 1e9 / (t1 - t0);
                double serverCpu = server0 >= 0 && server1 >= 0 && n > 0 ? (server1 - server0) * 1e6 / clk / n
                        : Double.NaN;
                double clientCpu = client0 >= 0 && client1 >= 0 && n > 0 ? (client1 - client0) * 1e6 / clk / n
                        : Double.NaN;
                Window win = new Window(n, rate, serverCpu, clientCpu);
                windows.add(win);
                out.printf(Locale.ROOT, "window %d: %.0f round trips/s, server %s us CPU per round trip,"
                        + " client %s us CPU per round trip%n", w, rate, fmt(serverCpu), fmt(clientCpu));
            }
        } finally {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            for (Driver d : drivers) {
                d.drainDeadline = deadline;
                d.stopping = true;
                d.selector.wakeup();
            }
            for (Driver d : drivers) {
                d.join(TimeUnit.SECONDS.toMillis(7));
            }
        }
        check(drivers);
        for (Driver d : drivers) {
            if (d.isAlive()) {
                throw new IllegalStateException(d.getName() + " did not stop");
            }
        }
        long min = Long.MAX_VALUE;
        long max = 0;
        long sum = 0;
        for (Conn c : all) {
            min = Math.min(min, c.roundTrips);
            max = Math.max(max, c.roundTrips);
            sum += c.roundTrips;
        }
        if (min == 0) {
            throw new IllegalStateException("a connection made no round trip at all");
        }
        double[] rates = windows.stream().mapToDouble(w -> w.roundTripsPerSecond).toArray();
        double[] cpus = windows.stream().mapToDouble(w -> w.serverCpuMicros).toArray();
        double[] clientCpus = windows.stream().mapToDouble(w -> w.clientCpuMicros).toArray();
        out.printf(Locale.ROOT, "median: %.0f round trips/s, server %s us CPU per round trip, client %s us CPU per"
                + " round trip%n", median(rates), fmt(median(cpus)), fmt(median(clientCpus)));
        out.printf(Locale.ROOT, "verified: %d echoes of %d B, all correct; %d connections, each with at least %d"
                + " (at most %d); all drained%n", sum, SIZE, all.size(), min, max);
        return windows;
    }

    private static long total(Driver[] drivers) {
        long n = 0;
        for (Driver d : drivers) {
            n += d.roundTrips.get();
        }
        return n;
    }

    private static void check(Driver[] drivers) throws Exception {
        for (Driver d : drivers) {
            Throwable f = d.failure;
            if (f instanceof Exception) {
                throw (Exception) f;
            } else if (f != null) {
                throw new IllegalStateException(f);
            }
        }
    }

    /** Sleeps {@code seconds}, failing early if a driver failed. */
    private static void sleep(double seconds, Driver[] drivers) throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            check(drivers);
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
        }
        check(drivers);
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }

    static String fmt(double micros) {
        return Double.isNaN(micros) ? "n/a" : String.format(Locale.ROOT, "%.2f", micros);
    }

    /**
     * Runs the client (see the class comment for the options); exits 1 when anything failed.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        try {
            run(Options.parse(args), System.out);
        } catch (Exception e) {
            System.out.flush();
            System.err.println("echo client FAILED: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }
}
