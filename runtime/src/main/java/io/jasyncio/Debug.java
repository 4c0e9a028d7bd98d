package io.jasyncio;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Debug mode's switches and its detection of coroutines that are never awaited.
 *
 * <h2>Implementation overview</h2>
 * <p>Detection costs a weak reference per coroutine, so it runs only once debug mode was turned on (by the
 * system property {@code jasyncio.debug=true}, the environment variable {@code JASYNCIO_DEBUG=1}, or
 * {@link EventLoop#setDebug(boolean)} on any loop). Each coroutine created from then on gets an {@link Origin}: a
 * weak reference with where it was created. Starting the coroutine (awaiting it, or a task) marks its origin
 * started. An origin collected unstarted is found by the next iteration of any debug-mode loop and reported to
 * the exception handler of the loop that was running where the coroutine was created (or, if there was none or it
 * is closed, of the loop that found it). Coroutines created on a running loop that is not in debug mode are not
 * tracked.
 */
final class Debug {
    /** Debug mode's default for new loops, from {@code -Djasyncio.debug=true} or {@code JASYNCIO_DEBUG=1}. */
    static final boolean DEFAULT = Boolean.getBoolean("jasyncio.debug") || "1".equals(System.getenv("JASYNCIO_DEBUG"));

    /** Whether new coroutines get an {@link Origin}; read on every coroutine creation, so a plain field. */
    static boolean tracking = DEFAULT;

    private static final Map<Coroutine<?>, Origin> ORIGINS = Collections.synchronizedMap(new WeakHashMap<>());
    private static final Set<Origin> LIVE = ConcurrentHashMap.newKeySet();
    private static final ReferenceQueue<Coroutine<?>> COLLECTED = new ReferenceQueue<>();

    private Debug() {
    }

    static void trackCoroutines() {
        tracking = true;
    }

    /** A coroutine was created while tracking. */
    static void created(Coroutine<?> c) {
        EventLoop running = EventLoop.running();
        if (running != null && !running.debug) {
            return; // made by code on a loop that is not in debug mode
        }
        Origin o = new Origin(c, callerTrace(), running);
        LIVE.add(o);
        ORIGINS.put(c, o);
    }

    /** A coroutine started (while tracking): it is not reported. */
    static void started(Coroutine<?> c) {
        Origin o = ORIGINS.remove(c);
        if (o != null) {
            LIVE.remove(o);
        }
    }

    /**
     * Reports the coroutines collected without being started: each to the loop that was running where it was
     * created (if that loop is still open), or else to {@code loop}'s exception handler.
     */
    static void reportNeverAwaited(EventLoop loop) {
        for (Reference<?> r; (r = COLLECTED.poll()) != null; ) {
            Origin o = (Origin) r;
            if (!LIVE.remove(o)) {
                continue;
            }
            ExceptionContext report = new ExceptionContext("coroutine " + o.name + " was never awaited", null,
                    null, null, java.util.List.of(o.trace));
            EventLoop target = o.loop;
            if (target == null || target == loop || target.isClosed()) {
                loop.callExceptionHandler(report);
            } else {
                try {
                    target.callSoonThreadsafe(() -> target.callExceptionHandler(report));
                } catch (IllegalStateException closed) {
                    loop.callExceptionHandler(report);
                }
            }
        }
    }

    /**
     * Reports, to {@code loop}'s exception handler, the coroutines created while {@code loop} ran that are not
     * started yet, without waiting for them to be collected ({@link EventLoop#reportUnawaitedCoroutines}).
     */
    static int reportUnstarted(EventLoop loop) {
        int n = 0;
        for (Origin o : LIVE) {
            if (o.loop != loop || !LIVE.remove(o)) {
                continue;
            }
            Coroutine<?> c = o.get();
            if (c != null) {
                ORIGINS.remove(c);
            }
            loop.callExceptionHandler(new ExceptionContext("coroutine " + o.name + " was never awaited", null,
                    null, null, java.util.List.of(o.trace)));
            n++;
        }
        return n;
    }

    /** {@return the current stack, without the runtime's own frames on top} */
    static StackTraceElement[] callerTrace() {
        StackTraceElement[] all = new Throwable().getStackTrace();
        int i = 0;
        while (i < all.length - 1 && (isRuntime(all[i].getClassName()) || all[i].getMethodName().equals("<init>"))) {
            i++;
        }
        return java.util.Arrays.copyOfRange(all, i, all.length);
    }

    /** {@return whether {@code className} is one of the runtime's own classes} */
    private static boolean isRuntime(String className) {
        return className.startsWith("io.jasyncio.")
                && (className.indexOf('.', "io.jasyncio.".length()) < 0 || className.startsWith("io.jasyncio.internal."));
    }

    /** Where a tracked coroutine was created. */
    private static final class Origin extends WeakReference<Coroutine<?>> {
        final String name;
        final StackTraceElement[] trace;
        /** The loop running where the coroutine was created, or {@code null}. */
        final EventLoop loop;

        Origin(Coroutine<?> c, StackTraceElement[] trace, EventLoop loop) {
            super(c, COLLECTED);
            this.name = c.describe();
            this.trace = trace;
            this.loop = loop;
        }
    }
}
