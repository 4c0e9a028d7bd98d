package io.jasyncio.transformer.badfixtures;

import io.jasyncio.annotations.Async;

public class NotCoroutine {
    @Async
    public String wrongType() {
        return "x"; // ERROR an @Async method must return io.jasyncio.Coroutine, not java.lang.String
    }
}
