package io.jasyncio.benchmarks;

/** Verification of benchmark results: a wrong count or sum fails the run instead of being measured. */
final class Checks {
    private Checks() {
    }

    /**
     * Returns {@code actual}, or throws if it is not {@code expected}.
     *
     * @param what what is checked, for the message
     * @param actual the computed value
     * @param expected the value it must have
     * @return {@code actual}
     */
    static long expect(String what, long actual, long expected) {
        if (actual != expected) {
            throw new IllegalStateException(what + ": expected " + expected + " but got " + actual);
        }
        return actual;
    }
}
