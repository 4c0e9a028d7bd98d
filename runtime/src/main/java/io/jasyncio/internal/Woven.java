package io.jasyncio.internal;

import io.jasyncio.Coroutine;
import io.jasyncio.Task;

/**
 * The entry points that code woven by the jasyncio transformer calls. Not API: their names and descriptors are
 * a contract between the transformer and the runtime of the same version.
 *
 * <p>At each {@code await(x)} of an {@code @Async} body, woven code calls {@link #await(Object, Coroutine)}
 * with its own frame. The result is either the awaited value (the body goes on at once, nothing was scheduled)
 * or {@link #SUSPENDED}, in which case the body saves its live locals and operand stack into its frame and
 * returns {@code SUSPENDED} itself. When resumed, the body restores them and goes on with the value (or throws
 * the exception) the task hands to {@link Coroutine}'s {@code resume}.
 */
public final class Woven {
    /**
     * The version of the contract between woven code and this runtime: the entry points of this class, of
     * {@link Coroutine} and {@link Task} that woven code calls, and the marker {@link WovenByJasyncio}. The
     * transformer writes this number into the {@link WovenByJasyncio#protocol()} of every class it weaves; its own
     * {@code Transformer.PROTOCOL} must be this one (a test of the transformer checks it, and that every
     * method woven code calls exists here).
     */
    public static final int PROTOCOL = 2;

    /** Returned by a body (and by {@link #await}) when the coroutine suspended instead of producing a value. */
    public static final Object SUSPENDED = new Object() {
        @Override
        public String toString() {
            return "SUSPENDED";
        }
    };

    private static final Core CORE = Core.get();

    private Woven() {
    }

    /**
     * Awaits {@code awaitable} from the body of {@code frame}: runs a coroutine inline; takes the outcome of a
     * done future or stage; otherwise arranges for the task to resume {@code frame} later and returns
     * {@link #SUSPENDED}. The outcome's exception is thrown unchanged.
     *
     * @param awaitable a {@code Coroutine}, {@code Future} or {@code CompletionStage}
     * @param frame the frame of the body that awaits
     * @return the value, or {@link #SUSPENDED}
     */
    public static Object await(Object awaitable, Coroutine<?> frame) {
        return CORE.await(awaitable, frame);
    }

    // ---- direct calls: await(foo(x)) on a non-overridable @Async method of the same class -------------------
    //
    // The awaiting body calls foo's body directly, with no frame (null), its own task, and foo's arguments. The
    // callee allocates its frame only if it suspends; the frames of a chain of direct calls are then linked on
    // the way up, each callee publishing its frame in the task and its caller adopting it.

    /**
     * A body called directly allocated its frame (it is about to suspend, or to await something that may):
     * binds the frame to the task.
     *
     * @param frame the new frame
     * @param task the task the body runs in
     */
    public static void bind(Coroutine<?> frame, Task<?> task) {
        CORE.bind(frame, task);
    }

    /**
     * A direct call returned {@link #SUSPENDED}: the callee's frame, published in the task, gets {@code frame}
     * as its caller.
     *
     * @param task the task
     * @param frame the frame of the calling body
     */
    public static void adopt(Task<?> task, Coroutine<?> frame) {
        CORE.adopt(task, frame);
    }

    /**
     * A body that was called directly suspends: publishes its frame in the task for its caller to adopt.
     *
     * @param task the task
     * @param frame the body's frame
     */
    public static void publish(Task<?> task, Coroutine<?> frame) {
        CORE.publish(task, frame);
    }

    /**
     * The task of a frame, which a frame's {@code resume} hands to its body.
     *
     * @param frame the frame
     * @return the task it runs in
     */
    public static Task<?> taskOf(Coroutine<?> frame) {
        return CORE.taskOf(frame);
    }
}
