package io.jasyncio.benchmarks;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Virtual threads (JDK 21+) for the benchmarks, which are compiled with {@code --release 17}: the one JDK 21 method
 * they need, {@code Executors.newVirtualThreadPerTaskExecutor()}, is looked up by reflection once; everything
 * else is the JDK 17 {@code ExecutorService} API. On JDK 17 {@link #available()} is false and
 * {@link #newPerTaskExecutor()} throws. The runner runs these rows on JDK 25, with one carrier
 * ({@code -Djdk.virtualThreadScheduler.parallelism=1}) and with the default scheduler (one carrier per core).
 */
public final class VirtualThreads {
    private VirtualThreads() {
    }

    /** {@return whether this JVM has virtual threads} */
    public static boolean available() {
        return Runtime.version().feature() >= 21;
    }

    /**
     * {@return a new executor starting one virtual thread per task}
     * ({@code Executors.newVirtualThreadPerTaskExecutor()})
     *
     * @throws UnsupportedOperationException before JDK 21
     */
    public static ExecutorService newPerTaskExecutor() {
        if (!available()) {
            throw new UnsupportedOperationException("virtual threads need JDK 21+, this is " + Runtime.version());
        }
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Executors.newVirtualThreadPerTaskExecutor", e);
        }
    }

    /**
     * Shuts the executor down and waits for its threads (what {@code ExecutorService.close()} does on JDK 19+).
     *
     * @param executor the executor
     */
    public static void close(ExecutorService executor) {
        executor.shutdown();
        try {
            while (!executor.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES)) {
                // keep waiting: every task of a benchmark ends
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A body run in a virtual thread, returning a long. */
    @FunctionalInterface
    public interface Body {
        /**
         * {@return the result}
         *
         * @param executor the per-task executor the body may spawn more virtual threads on
         * @throws Exception anything
         */
        long run(ExecutorService executor) throws Exception;
    }

    /**
     * Runs {@code body} as the driver in a virtual thread of a new per-task executor (so that, with one carrier,
     * the driver shares the carrier with the threads it starts, as a driver coroutine shares its loop), waits for
     * it, closes the executor.
     *
     * @param body the driver
     * @return what the driver returned
     */
    public static long drive(Body body) {
        ExecutorService executor = newPerTaskExecutor();
        try {
            return executor.submit(() -> body.run(executor)).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("virtual thread driver failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            close(executor);
        }
    }
}
