package io.jasyncio.transformer.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The header facts (super class, interfaces, whether an interface) of the classes that the weavings of one
 * {@link io.jasyncio.transformer.Transformer} look up through its locator, read once for all of them: ASM's
 * {@code ClassReader} reads a whole constant pool to give them. Thread-safe; one per locator.
 */
public final class ClassHeaders {
    final Map<String, Hierarchy.Info> located = new ConcurrentHashMap<>();

    /** An empty cache. */
    public ClassHeaders() {
    }
}
