package io.jasyncio.internal;

import io.jasyncio.Coroutine;

/**
 * The runtime's side of the contract with woven code, implemented in {@code io.jasyncio} (where the state of
 * coroutines and tasks is package-private) and reached by {@link Woven} through this class. Not API.
 */
public abstract class Core {
    private static volatile Core instance;

    /** For the implementation only. */
    protected Core() {
    }

    /**
     * Installs the implementation; called once by {@code io.jasyncio.Coroutine}'s static initializer.
     *
     * @param core the implementation
     */
    public static void register(Core core) {
        if (instance != null) {
            throw new IllegalStateException("jasyncio core registered twice");
        }
        instance = core;
    }

    static Core get() {
        Core c = instance;
        if (c == null) {
            try {
                Class.forName("io.jasyncio.Coroutine", true, Core.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new LinkageError("jasyncio runtime is incomplete: io.jasyncio.Coroutine not found", e);
            }
            c = instance;
        }
        return c;
    }

    /**
     * See {@link Woven#await(Object, Coroutine)}.
     *
     * @param awaitable what is awaited
     * @param frame the awaiting frame
     * @return the value, or {@link Woven#SUSPENDED}
     */
    public abstract Object await(Object awaitable, Coroutine<?> frame);
}
