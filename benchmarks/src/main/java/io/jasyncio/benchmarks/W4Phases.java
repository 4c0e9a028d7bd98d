package io.jasyncio.benchmarks;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * W4 cut into its phases, to see what its figure (ms beyond the ideal) is made of: the same tasks as
 * {@link PlainWorkloads}' W4 ({@code sleeper(d)}, the LCG delays), created from a callback of the loop, then the
 * loop run one iteration at a time for the first steps, then to the gather's end.
 *
 * <pre>java -Xms4g -Xmx4g -XX:+UseParallelGC -cp benchmarks/target/benchmarks.jar io.jasyncio.benchmarks.W4Phases [N [RUNS]]</pre>
 *
 * <p>Prints, per run: the creation of the N tasks, the gather of them, the loop iteration that runs every task's
 * first step (each schedules its timer), and the rest (the timers, then the gather's results). A timer starts at
 * its task's first step, so the figure of W4 is about the first three plus the part of the rest beyond 999 ms.
 */
public final class W4Phases {
    private W4Phases() {
    }

    /**
     * Runs the phases.
     *
     * @param args {@code [N [RUNS]]}, default 1,000,000 and 5
     */
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int[] delays = PlainWorkloads.delays(n, 1000);
        for (int run = 0; run < runs; run++) {
            System.gc();
            System.gc();
            EventLoop loop = new EventLoop();
            long[] t = new long[3];
            List<Task<Integer>> tasks = new ArrayList<>(n);
            List<Future<List<Integer>>> gathered = new ArrayList<>(1);
            loop.callSoon(() -> {
                t[0] = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    tasks.add(Asyncio.createTask(PlainWorkloads.sleeper(delays[i])));
                }
                t[1] = System.nanoTime();
                gathered.add(Asyncio.gather(tasks));
                t[2] = System.nanoTime();
            });
            loop.stop();
            loop.runForever(); // the callback: creation and gather
            loop.stop();
            loop.runForever(); // one iteration: every first step
            long steps = System.nanoTime();
            List<Integer> results = loop.runUntilComplete(gathered.get(0));
            long end = System.nanoTime();
            loop.close();
            long sum = 0;
            long expected = 0;
            for (int i = 0; i < n; i++) {
                sum += results.get(i);
                expected += delays[i];
            }
            Checks.expect("W4 phases sum of delays", sum, expected);
            System.out.printf(Locale.ROOT, "run %d: create %.1f ms, gather %.1f ms, first steps %.1f ms, timers and "
                    + "results %.1f ms; total %.1f ms, %.1f beyond 999%n", run, (t[1] - t[0]) / 1e6, (t[2] - t[1]) / 1e6,
                    (steps - t[2]) / 1e6, (end - steps) / 1e6, (end - t[0]) / 1e6, (end - t[0]) / 1e6 - 999);
        }
    }
}
