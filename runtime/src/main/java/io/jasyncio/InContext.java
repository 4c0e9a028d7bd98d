package io.jasyncio;

/**
 * A callback that runs in a context: the one given to {@code callSoon(cb, context)} and the like, or the values
 * current when it was scheduled (asyncio copies the context for each callback). Only callbacks scheduled while a
 * context variable is set, or with an explicit context, are wrapped, so handles carry no context field.
 */
final class InContext implements Runnable {
    private final EventLoop loop;
    /** A {@link Context}, or the captured values ({@code Object[]}) until the callback runs. */
    private Object context;
    private final Runnable body;

    InContext(EventLoop loop, Object context, Runnable body) {
        this.loop = loop;
        this.context = context;
        this.body = body;
    }

    @Override
    public void run() {
        Object c = context;
        Context ctx = c instanceof Context ? (Context) c : new Context((Object[]) c);
        context = ctx;
        Context saved = loop.context;
        loop.context = ctx;
        try {
            body.run();
        } finally {
            loop.context = saved;
        }
    }

    @Override
    public String toString() {
        return String.valueOf(body);
    }
}
