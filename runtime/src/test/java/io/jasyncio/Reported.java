package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what the runtime reports to its {@code System.Logger} "io.jasyncio" (exceptions of callbacks,
 * unretrieved task exceptions). With no other logging backend on the class path, the JDK's default
 * {@code System.LoggerFinder} bridges to {@code java.util.logging}, so a JUL handler sees every report.
 */
final class Reported extends Handler {
    /** Held strongly: JUL keeps loggers only weakly, and a collected logger would lose the handler. */
    private static final Logger JUL = Logger.getLogger("io.jasyncio");

    private final List<LogRecord> records = new ArrayList<>();
    private boolean parentHandlers;

    void install() {
        parentHandlers = JUL.getUseParentHandlers();
        JUL.setUseParentHandlers(false); // keep expected reports off the console
        JUL.addHandler(this);
    }

    void uninstall() {
        JUL.removeHandler(this);
        JUL.setUseParentHandlers(parentHandlers);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    /** {@return the reports so far, which are then forgotten (so they do not fail the test)} */
    synchronized List<LogRecord> take() {
        List<LogRecord> copy = new ArrayList<>(records);
        records.clear();
        return copy;
    }

    /** Asserts exactly one report was made, and returns it. */
    LogRecord takeOne() {
        List<LogRecord> all = take();
        assertEquals(1, all.size(), () -> "reports: " + describe(all));
        return all.get(0);
    }

    /** Fails if anything was reported that the test did not {@link #take()}. */
    void verifyNone() {
        List<LogRecord> all = take();
        if (!all.isEmpty()) {
            AssertionError e = new AssertionError("unexpected reports to io.jasyncio: " + describe(all));
            for (LogRecord r : all) {
                if (r.getThrown() != null) {
                    e.addSuppressed(r.getThrown());
                }
            }
            throw e;
        }
    }

    static String describe(List<LogRecord> all) {
        List<String> s = new ArrayList<>();
        for (LogRecord r : all) {
            s.add(r.getLevel() + " " + r.getMessage() + (r.getThrown() == null ? "" : " / " + r.getThrown()));
        }
        return s.toString();
    }

    static void failIfNotContains(LogRecord r, String text) {
        if (r.getMessage() == null || !r.getMessage().contains(text)) {
            fail("report '" + r.getMessage() + "' does not contain '" + text + "'");
        }
    }
}
