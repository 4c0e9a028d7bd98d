package io.jasyncio.transformer.badfixtures;

import io.jasyncio.Coroutine;
import io.jasyncio.annotations.Async;

/** An abstract method has no code, so the class file has no line for it: the problem names file and method. */
public abstract class AsyncAbstract {
    @Async
    public abstract Coroutine<Void> cannotBeWoven(); // ERROR (no line) @Async cannot be put on an abstract method
}
