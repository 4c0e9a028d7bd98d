package io.jasyncio;

import java.util.concurrent.Callable;

/**
 * A hand-written coroutine frame on the woven protocol whose body never suspends: it runs {@code body} when
 * first resumed and returns its value, or throws its exception, as a woven {@code @Async} method without
 * {@code await} would.
 */
final class Body<T> extends Coroutine<T> {
    private final Callable<T> body;
    /** How many times the body ran. */
    int runs;

    private Body(Callable<T> body) {
        this.body = body;
    }

    static <T> Body<T> of(Callable<T> body) {
        return new Body<>(body);
    }

    static Body<Void> run(Runnable body) {
        return new Body<>(() -> {
            body.run();
            return null;
        });
    }

    @Override
    protected Object resume(Object value, Throwable exception) {
        runs++;
        if (exception != null) {
            throw CoreImpl.sneakyThrow(exception);
        }
        try {
            return body.call();
        } catch (Exception e) {
            throw CoreImpl.sneakyThrow(e);
        }
    }
}
