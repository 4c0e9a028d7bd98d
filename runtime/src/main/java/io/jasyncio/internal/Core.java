package io.jasyncio.internal;

import io.jasyncio.Coroutine;
import io.jasyncio.Task;

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

    /**
     * See {@link Woven#awaitCalled(Coroutine, Task)}.
     *
     * @param coroutine what the creator returned
     * @param task the task of the awaiting body
     * @return the value, or {@link Woven#SUSPENDED}
     */
    public abstract Object awaitCalled(Coroutine<?> coroutine, Task<?> task);

    /**
     * See {@link Woven#bind(Coroutine, Task)}.
     *
     * @param frame a frame just allocated by a body that was called directly
     * @param task the task it runs in
     */
    public abstract void bind(Coroutine<?> frame, Task<?> task);

    /**
     * See {@link Woven#adopt(Task, Coroutine)}.
     *
     * @param task the task
     * @param frame the frame of the body whose direct callee suspended
     */
    public abstract void adopt(Task<?> task, Coroutine<?> frame);

    /**
     * See {@link Woven#publish(Task, Coroutine)}.
     *
     * @param task the task
     * @param frame the frame of a body, called directly, that suspends
     */
    public abstract void publish(Task<?> task, Coroutine<?> frame);

    /**
     * See {@link Woven#taskOf(Coroutine)}.
     *
     * @param frame a frame
     * @return its task
     */
    public abstract Task<?> taskOf(Coroutine<?> frame);
}
