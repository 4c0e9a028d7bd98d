package io.jasyncio;

/**
 * The coroutine of {@link Lock#withLock} and {@link Semaphore#withPermit}: awaits the acquisition, runs the body
 * (inline, in the same task), and releases in {@code finally}.
 */
final class Holding<T> extends Op<T> {
    private final Coroutine<Void> acquire;
    private final AsyncCallable<T> body;
    private final Runnable release;

    Holding(Coroutine<Void> acquire, AsyncCallable<T> body, Runnable release) {
        this.acquire = acquire;
        this.body = body;
        this.release = release;
    }

    @Override
    Object step(Object value, Throwable exception) {
        switch (state) {
            case 0:
                if (exception != null) {
                    throw CoreImpl.sneakyThrow(exception);
                }
                return await(acquire, 1);
            case 1: {
                if (exception != null) {
                    throw CoreImpl.sneakyThrow(exception); // not acquired: nothing to release
                }
                Coroutine<T> c;
                try {
                    c = body.call();
                    if (c == null) {
                        throw new NullPointerException("the body returned null instead of a coroutine");
                    }
                } catch (Throwable t) {
                    release.run();
                    throw CoreImpl.sneakyThrow(t);
                }
                return await(c, 2);
            }
            default:
                release.run();
                if (exception != null) {
                    throw CoreImpl.sneakyThrow(exception);
                }
                return value;
        }
    }

    @Override
    void abandon() {
        if (state == 0 && acquire instanceof Op) {
            ((Op<?>) acquire).abandon(); // never awaited: give the lent acquisition back
        }
    }

    @Override
    public String toString() {
        return "<coroutine withLock/withPermit(" + body + ")" + (task == null ? "" : " running in " + task.getName()) + ">";
    }
}
