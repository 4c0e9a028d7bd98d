package io.jasyncio;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The JVM's signal handlers, through {@code sun.misc.Signal} of the {@code jdk.unsupported} module: the only
 * signal API the JDK has ({@code jdk.internal.misc.Signal} is not exported). It is reached reflectively, because
 * javac's "internal proprietary API" warning on a direct use cannot be suppressed, and the build treats warnings
 * as errors.
 *
 * <p>Which signals a handler may be set for: the JVM itself refuses {@code QUIT} (thread dumps), {@code KILL},
 * {@code STOP}, {@code SEGV}, {@code FPE} and {@code ILL}, and {@code INT}, {@code TERM} and {@code HUP} when it
 * runs with {@code -Xrs}. jasyncio also refuses the signals the JVM has a native handler of its own for, which
 * {@code sun.misc.Signal} would let it replace and so break the JVM: {@code USR2} (HotSpot suspends and resumes
 * threads with it on Linux), {@code BUS} (faults on memory-mapped files) and {@code PIPE}.
 */
final class Signals {
    /** The signals the JVM has native handlers of its own for, and what each does there. */
    private static final Map<String, String> VM_OWNED = Map.of(
            "USR2", "HotSpot suspends and resumes threads with it",
            "BUS", "it reports faults on memory-mapped files",
            "PIPE", "it is ignored so that a broken pipe is an IOException, not the end of the process");

    private static final Class<?> HANDLER;
    private static final MethodHandle NEW_SIGNAL;
    private static final MethodHandle HANDLE;
    private static final MethodHandle RAISE;
    private static final MethodHandle INVOKE;
    private static final MethodHandle NUMBER;
    private static final Object SIG_DFL;
    private static final Object SIG_IGN;
    private static final String UNAVAILABLE;

    static {
        Class<?> signal = null;
        Class<?> handler = null;
        MethodHandle newSignal = null;
        MethodHandle handle = null;
        MethodHandle raise = null;
        MethodHandle invoke = null;
        MethodHandle number = null;
        Object dfl = null;
        Object ign = null;
        String why = null;
        try {
            signal = Class.forName("sun.misc.Signal");
            handler = Class.forName("sun.misc.SignalHandler");
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            newSignal = lookup.findConstructor(signal, MethodType.methodType(void.class, String.class));
            handle = lookup.findStatic(signal, "handle", MethodType.methodType(handler, signal, handler));
            raise = lookup.findStatic(signal, "raise", MethodType.methodType(void.class, signal));
            invoke = lookup.findVirtual(handler, "handle", MethodType.methodType(void.class, signal));
            number = lookup.findVirtual(signal, "getNumber", MethodType.methodType(int.class));
            dfl = handler.getField("SIG_DFL").get(null);
            ign = handler.getField("SIG_IGN").get(null);
        } catch (ReflectiveOperationException | LinkageError | SecurityException e) {
            why = "sun.misc.Signal (module jdk.unsupported) is not available: " + e;
        }
        HANDLER = handler;
        NEW_SIGNAL = newSignal;
        HANDLE = handle;
        RAISE = raise;
        INVOKE = invoke;
        NUMBER = number;
        SIG_DFL = dfl;
        SIG_IGN = ign;
        UNAVAILABLE = why;
    }

    private Signals() {
    }

    /**
     * {@return the signal's name without "SIG", upper case} ({@code "int"}, {@code "SIGINT"} and {@code "INT"}
     * are one signal)
     *
     * @param signal a signal's name
     */
    static String normalize(String signal) {
        String s = signal.trim().toUpperCase(Locale.ROOT);
        return s.startsWith("SIG") ? s.substring(3) : s;
    }

    /**
     * Installs {@code handler} for {@code name} (normalized), called on a thread of the JVM's.
     *
     * @return the handler it replaces, to give back to {@link #restore}
     * @throws IllegalArgumentException for an unknown signal or one the JVM (or jasyncio, see the class comment)
     *                                  does not let a handler be set for
     */
    static Object install(String name, Consumer<String> handler) {
        if (UNAVAILABLE != null) {
            throw new UnsupportedOperationException("Cannot handle SIG" + name + ": " + UNAVAILABLE);
        }
        String owner = VM_OWNED.get(name);
        if (owner != null) {
            throw new IllegalArgumentException("Cannot handle SIG" + name + ": the JVM has a handler of its own for it ("
                    + owner + "), and replacing it would break the JVM");
        }
        return swap(name, handler(name, handler));
    }

    /** {@return a JVM signal handler (for {@link #swap}) that calls {@code handler} with the signal's name} */
    static Object handler(String name, Consumer<String> handler) {
        if (UNAVAILABLE != null) {
            throw new UnsupportedOperationException("Cannot handle SIG" + name + ": " + UNAVAILABLE);
        }
        InvocationHandler ih = (proxy, method, args) -> {
            switch (method.getName()) {
                case "handle":
                    handler.accept(name);
                    return null;
                case "toString":
                    return "<jasyncio handler of SIG" + name + ">";
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                default:
                    throw new UnsupportedOperationException(method.toString());
            }
        };
        return Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {HANDLER}, ih);
    }

    /**
     * {@return the number of the signal {@code name} (normalized) on this system}
     *
     * @throws IllegalArgumentException for an unknown signal
     */
    static int number(String name) {
        if (UNAVAILABLE != null) {
            throw new UnsupportedOperationException("Cannot look up SIG" + name + ": " + UNAVAILABLE);
        }
        try {
            return (int) NUMBER.invoke(NEW_SIGNAL.invoke(name));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown signal '" + name + "' (names as kill -l lists them, e.g. "
                    + "INT, TERM, HUP, USR1)", e);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("Could not look up SIG" + name, t);
        }
    }

    /** Gives {@code name} back the handler that {@link #install} replaced. */
    static void restore(String name, Object previous) {
        swap(name, previous);
    }

    /** Whether {@code previous} (from {@link #install}) was "ignore this signal". */
    static boolean isIgnore(Object previous) {
        return previous == SIG_IGN;
    }

    /**
     * Does what {@code previous} (from {@link #install}) would have done with the signal: runs a Java handler
     * (for {@code INT}, {@code TERM} and {@code HUP}, the JVM's own starts its shutdown, exit status 128 + the
     * signal's number), or, for the system's default action, restores it and raises the signal again.
     */
    static void forward(String name, Object previous) {
        try {
            Object sig = NEW_SIGNAL.invoke(name);
            if (previous == SIG_IGN) {
                return;
            }
            if (previous == SIG_DFL || previous == null || !HANDLER.isInstance(previous)) {
                HANDLE.invoke(sig, SIG_DFL);
                RAISE.invoke(sig);
                return;
            }
            INVOKE.invoke(previous, sig);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("Could not forward SIG" + name + " to " + previous, t);
        }
    }

    /** Sets {@code handler} for {@code name} (normalized); {@return the one it replaces} */
    static Object swap(String name, Object handler) {
        try {
            Object sig = NEW_SIGNAL.invoke(name);
            return HANDLE.invoke(sig, handler);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            if (m != null && m.startsWith("Unknown signal")) {
                throw new IllegalArgumentException("Unknown signal '" + name + "' (names as kill -l lists them, e.g. "
                        + "INT, TERM, HUP, USR1)", e);
            }
            throw new IllegalArgumentException("Cannot handle SIG" + name + ": the JVM refuses it (" + m + ")"
                    + ("INT".equals(name) || "TERM".equals(name) || "HUP".equals(name)
                            ? "; the JVM runs with -Xrs, which keeps INT, TERM and HUP for the system" : ""), e);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("Could not set the handler of SIG" + name, t);
        }
    }
}
