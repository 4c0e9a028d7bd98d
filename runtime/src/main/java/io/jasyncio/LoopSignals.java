package io.jasyncio;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An event loop's signal handlers ({@link EventLoop#addSignalHandler}): for each signal, the callback and the
 * JVM handler it replaced. The JVM calls a signal's handler on a thread of its own; the callback is handed to the
 * loop through {@link EventLoop#callSoonThreadsafe}.
 */
final class LoopSignals {
    private final EventLoop loop;
    private final Map<String, Entry> handlers = new LinkedHashMap<>();

    private static final class Entry {
        Object previous;
        volatile Runnable callback;
    }

    LoopSignals(EventLoop loop) {
        this.loop = loop;
    }

    void add(String signal, Runnable callback) {
        String name = Signals.normalize(signal);
        Entry e;
        synchronized (this) {
            e = handlers.get(name);
        }
        if (e != null) {
            e.callback = callback; // as asyncio: a second add replaces the callback
            return;
        }
        e = new Entry();
        e.callback = callback;
        synchronized (this) {
            handlers.put(name, e); // first, so that a signal arriving as soon as the handler is set is not lost
        }
        try {
            e.previous = Signals.install(name, this::deliver);
        } catch (RuntimeException refused) {
            synchronized (this) {
                handlers.remove(name);
            }
            throw refused;
        }
    }

    private void deliver(String name) {
        Entry e;
        synchronized (this) {
            e = handlers.get(name);
        }
        Runnable cb = e == null ? null : e.callback;
        if (cb == null) {
            return;
        }
        try {
            loop.callSoonThreadsafe(cb);
        } catch (IllegalStateException closed) {
            // the loop closed between the signal and now: its handlers are being removed; nothing to run
        }
    }

    boolean remove(String signal) {
        String name = Signals.normalize(signal);
        Entry e;
        synchronized (this) {
            e = handlers.remove(name);
        }
        if (e == null) {
            return false;
        }
        Signals.restore(name, e.previous);
        return true;
    }

    void removeAll() {
        String[] names;
        synchronized (this) {
            names = handlers.keySet().toArray(new String[0]);
        }
        for (String name : names) {
            remove(name);
        }
    }
}
