package io.jasyncio.transformer;

import java.util.List;

/**
 * The outcome of weaving one class file.
 *
 * @param className the internal name of the class ({@code com/example/Fetcher}); {@code null} only for an
 *                  unchanged input that is not a readable class file (an empty or garbage {@code .class})
 * @param changed whether the class was rewritten; when {@code false}, {@link #bytes()} is the input itself
 * @param bytes the class file to use in place of the input
 * @param generated the classes the transformer added (one coroutine frame class per {@code @Async} method), to
 *                  be written beside the class or defined in the same class loader and package
 */
public record TransformResult(String className, boolean changed, byte[] bytes, List<GeneratedClass> generated) {

    /**
     * A class made by the transformer.
     *
     * @param className its internal name
     * @param bytes its class file
     */
    public record GeneratedClass(String className, byte[] bytes) {
    }
}
