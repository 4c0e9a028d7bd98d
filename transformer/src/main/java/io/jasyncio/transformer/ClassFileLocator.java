package io.jasyncio.transformer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the class file of a class by its internal name ({@code java/lang/String}). The transformer reads other
 * classes' headers (super class, interfaces) to compute the common super type of values that meet at a branch.
 */
@FunctionalInterface
public interface ClassFileLocator {

    /**
     * The bytes of the class file of {@code internalName}.
     *
     * @param internalName the class's internal name, such as {@code java/util/ArrayList}
     * @return the class file, or {@code null} if this locator does not know the class
     * @throws IOException if the class file exists but cannot be read
     */
    byte[] locate(String internalName) throws IOException;

    /**
     * A locator that reads class files as resources of {@code loader} (the JDK's classes included).
     *
     * @param loader the class loader; {@code null} means the platform loader
     * @return the locator
     */
    static ClassFileLocator of(ClassLoader loader) {
        ClassLoader l = loader != null ? loader : ClassLoader.getPlatformClassLoader();
        return internalName -> {
            try (InputStream in = l.getResourceAsStream(internalName + ".class")) {
                return in == null ? null : in.readAllBytes();
            }
        };
    }

    /**
     * A locator that asks each of {@code locators} in turn.
     *
     * @param locators the locators, in order
     * @return the locator
     */
    static ClassFileLocator firstOf(List<ClassFileLocator> locators) {
        List<ClassFileLocator> copy = List.copyOf(locators);
        return internalName -> {
            for (ClassFileLocator l : copy) {
                byte[] b = l.locate(internalName);
                if (b != null) {
                    return b;
                }
            }
            return null;
        };
    }

    /**
     * A locator over a fixed map of internal names to class files, then {@code fallback}.
     *
     * @param classes class files by internal name
     * @param fallback asked for any other class
     * @return the locator
     */
    static ClassFileLocator of(Map<String, byte[]> classes, ClassFileLocator fallback) {
        Map<String, byte[]> copy = Map.copyOf(classes);
        Objects.requireNonNull(fallback, "fallback");
        return internalName -> {
            byte[] b = copy.get(internalName);
            return b != null ? b : fallback.locate(internalName);
        };
    }

    /**
     * Wraps this locator in a thread-safe cache (misses are cached too).
     *
     * @return the caching locator
     */
    default ClassFileLocator cached() {
        Map<String, Object> cache = new ConcurrentHashMap<>();
        Object missing = new Object();
        return internalName -> {
            Object b = cache.computeIfAbsent(internalName, n -> {
                try {
                    byte[] bytes = locate(n);
                    return bytes == null ? missing : bytes;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return b == missing ? null : (byte[]) b;
        };
    }
}
