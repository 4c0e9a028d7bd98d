package io.jasyncio;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;

/**
 * Ordering assertions in the style of kotlinx's {@code TestBase}: {@code expect(1)}, {@code expect(2)}, ...
 * {@code finish(n)} must be reached in exactly that order.
 *
 * <p>The event loop catches what its callbacks throw (and reports it), so a failed expectation inside a callback
 * would not reach JUnit by itself. Every failure is therefore also recorded here, and {@link #verify()} (run by
 * {@link LoopTestBase} after each test) throws the first one.
 */
final class Sequence {
    private int last;
    private boolean used;
    private boolean finished;
    private final List<AssertionError> failures = new ArrayList<>();

    /** Asserts that this is step {@code n}: the previous one was {@code n - 1}. */
    synchronized void expect(int n) {
        used = true;
        if (finished) {
            record(new AssertionError("expect(" + n + ") after finish(" + last + ")"));
        }
        if (last + 1 != n) {
            record(new AssertionError("expected step " + (last + 1) + " but reached step " + n));
        }
        last = n;
    }

    /** Asserts that this point is never reached. */
    synchronized void expectUnreached() {
        record(new AssertionError("reached a point that must not be reached (after step " + last + ")"));
    }

    /** The last step: {@code expect(n)}, then the sequence is complete. */
    synchronized void finish(int n) {
        expect(n);
        finished = true;
        verify();
    }

    /** Throws the first recorded failure; fails if steps were expected but {@link #finish} was never reached. */
    synchronized void verify() {
        if (!failures.isEmpty()) {
            AssertionError first = failures.get(0);
            for (int i = 1; i < failures.size(); i++) {
                first.addSuppressed(failures.get(i));
            }
            failures.clear();
            throw first;
        }
        if (used && !finished) {
            fail("the sequence reached step " + last + " but finish() was never called");
        }
    }

    private void record(AssertionError e) {
        failures.add(e);
        throw e;
    }
}
