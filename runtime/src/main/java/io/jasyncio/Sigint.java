package io.jasyncio;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The SIGINT handler of {@link Runner#run} (asyncio's {@code Runner._on_sigint}): the first Ctrl-C cancels the main
 * task, a second one does what SIGINT did before (the JVM's own handler: shut down, exit status 130).
 *
 * <p>One run at a time holds SIGINT, across all threads (asyncio installs it only on the main thread); a run that
 * starts while another holds it, or when SIGINT cannot be handled (the JVM runs with {@code -Xrs}, or
 * {@code sun.misc.Signal} is absent), or is ignored, runs without one, as asyncio does off the main thread.
 */
final class Sigint {
    private static final AtomicBoolean HELD = new AtomicBoolean();
    private static final System.Logger LOG = System.getLogger("io.jasyncio");

    private final EventLoop loop;
    private final Task<?> main;
    private final AtomicInteger count = new AtomicInteger();
    private Object previous;
    private Object self;
    /** Set once run() is over while another handler had replaced this one: SIGINT goes on to {@link #previous}. */
    private volatile boolean retired;

    private Sigint(EventLoop loop, Task<?> main) {
        this.loop = loop;
        this.main = main;
    }

    /** {@return the handler, installed for the run of {@code main}, or {@code null} if this run goes without one} */
    static Sigint install(EventLoop loop, Task<?> main) {
        if (!HELD.compareAndSet(false, true)) {
            return null;
        }
        Sigint s = new Sigint(loop, main);
        try {
            s.self = Signals.handler("INT", n -> s.onSignal());
            s.previous = Signals.swap("INT", s.self);
        } catch (RuntimeException cannot) {
            HELD.set(false);
            LOG.log(System.Logger.Level.DEBUG, "run() goes without a SIGINT handler: {0}", cannot.getMessage());
            return null;
        }
        if (Signals.isIgnore(s.previous)) {
            Signals.restore("INT", s.previous); // SIGINT is ignored on purpose (nohup, a parent's choice): keep it so
            HELD.set(false);
            return null;
        }
        return s;
    }

    private void onSignal() {
        if (!retired && count.getAndIncrement() == 0) {
            try {
                loop.callSoonThreadsafe(() -> {
                    if (!main.done()) {
                        main.cancel();
                    }
                });
                return;
            } catch (IllegalStateException closed) {
                // the loop is closed already: nothing to cancel, fall through to what SIGINT did before
            }
        }
        Signals.forward("INT", previous);
    }

    /** {@return whether a SIGINT arrived while installed} */
    boolean interrupted() {
        return count.get() > 0;
    }

    /**
     * Gives SIGINT back its previous handler; or, if a handler was set after this one (a loop's
     * {@link EventLoop#addSignalHandler} for INT, which will restore this one when it is removed), leaves that one
     * in place and from now on passes SIGINT on to the previous handler.
     */
    void restore() {
        Object current = Signals.swap("INT", previous);
        if (current != self) {
            Signals.swap("INT", current);
            retired = true;
        }
        HELD.set(false);
    }
}
