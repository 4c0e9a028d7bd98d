package io.jasyncio.transformer.internal;

/** The names and descriptors of the runtime that woven code refers to: the contract with io.jasyncio.internal.Woven. */
final class Names {
    static final String ASYNC_ANNOTATION = "Lio/jasyncio/annotations/Async;";
    static final String ASYNCIO = "io/jasyncio/Asyncio";
    static final String COROUTINE = "io/jasyncio/Coroutine";
    static final String COROUTINE_DESC = "Lio/jasyncio/Coroutine;";
    static final String WOVEN = "io/jasyncio/internal/Woven";
    static final String WOVEN_AWAIT_DESC = "(Ljava/lang/Object;Lio/jasyncio/Coroutine;)Ljava/lang/Object;";
    static final String SUSPENDED = "SUSPENDED";
    static final String OBJECT = "java/lang/Object";
    static final String OBJECT_DESC = "Ljava/lang/Object;";
    static final String RESUME = "resume";
    static final String RESUME_DESC = "(Ljava/lang/Object;Ljava/lang/Throwable;)Ljava/lang/Object;";
    static final String AWAIT_SITE = "awaitSite";
    static final String AWAIT_SITE_DESC = "()Ljava/lang/StackTraceElement;";
    /** Prefix of the static body method that replaces an {@code @Async} method's code. */
    static final String BODY_PREFIX = "async$";
    static final String LABEL_FIELD = "label";
    /** Slots of the body method's own parameters (frame, value, exception, task), after the original ones. */
    static final int BODY_PARAMS = 4;
    static final String TASK_DESC = "Lio/jasyncio/Task;";
    static final String AWAIT_COROUTINE_DESC = "(Lio/jasyncio/Coroutine;)Ljava/lang/Object;";
    static final String WOVEN_BIND_DESC = "(Lio/jasyncio/Coroutine;Lio/jasyncio/Task;)V";
    static final String WOVEN_LINK_DESC = "(Lio/jasyncio/Task;Lio/jasyncio/Coroutine;)V";
    static final String WOVEN_TASK_OF_DESC = "(Lio/jasyncio/Coroutine;)Lio/jasyncio/Task;";

    private Names() {
    }

    static boolean isAwait(String owner, String name) {
        return ASYNCIO.equals(owner) && "await".equals(name);
    }

    static boolean isDone(String owner, String name) {
        return ASYNCIO.equals(owner) && "done".equals(name);
    }
}
