package io.jasyncio.internal;

import io.jasyncio.Coroutine;
import io.jasyncio.Task;
import java.lang.invoke.CallSite;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

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
    public static final int PROTOCOL = 3;

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

    // ---- direct calls of other classes' methods and of overridable methods: linked at run time ---------------

    /**
     * The bootstrap of an {@code invokedynamic} that woven code puts in place of the creator call of
     * {@code await(owner.name(args))} when that call could not be made direct at build time (a method of another
     * class, or an overridable one): the call site takes the creator's arguments (the receiver first for an
     * instance method) and the awaiting body's task, and returns the value or {@link #SUSPENDED} as a direct call
     * of a body does. It calls the body of the method the JVM would run, when that method's class was woven for
     * this {@link #PROTOCOL}; otherwise it calls the creator and awaits the coroutine as a plain await would
     * ({@link #awaitCalled}). See {@link DirectCallLinker} and docs/design.md, "Direct calls".
     *
     * @param caller the awaiting class's lookup
     * @param name the name of the awaited {@code @Async} method (its creator)
     * @param type the call site's type: the creator's parameters (receiver first), the task; returns Object
     * @param owner the internal name of the class or interface the creator call names
     * @param opcode the creator call's {@code INVOKESTATIC}, {@code INVOKEVIRTUAL} or {@code INVOKEINTERFACE}
     * @return the call site
     */
    public static CallSite awaitCall(MethodHandles.Lookup caller, String name, MethodType type, String owner,
                                     int opcode) {
        return DirectCallLinker.link(caller, name, type, owner, opcode);
    }

    /**
     * The generic path of a linked direct call: awaits the coroutine that the creator returned, for a body that
     * has no frame yet; if it suspends, it is published in the task for the caller to {@link #adopt}, exactly as
     * a body called directly publishes its own frame.
     *
     * @param coroutine what the creator returned
     * @param task the task of the awaiting body
     * @return the value, or {@link #SUSPENDED}
     */
    public static Object awaitCalled(Coroutine<?> coroutine, Task<?> task) {
        return CORE.awaitCalled(coroutine, task);
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
