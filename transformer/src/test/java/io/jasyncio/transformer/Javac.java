package io.jasyncio.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jasyncio.Coroutine;
import io.jasyncio.EventLoop;
import io.jasyncio.TimeSource;
import io.jasyncio.annotations.Async;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compiles test sources with the JDK's javac, for fixtures that need special compilation; and runs coroutines. */
final class Javac {
    private Javac() {
    }

    /**
     * Compiles {@code sources} (binary class name → source text) into {@code out} with {@code options}, against
     * the runtime and the annotations; fails the test with javac's messages if it fails.
     */
    static Path compile(Path out, Map<String, String> sources, String... options) throws IOException {
        Path src = out.resolveSibling(out.getFileName() + "-src");
        List<String> args = new ArrayList<>(List.of("-g", "-nowarn", "-d", out.toString(), "-cp", classpath()));
        args.addAll(List.of(options));
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
            args.add(file.toString());
        }
        Files.createDirectories(out);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = javac.run(null, errors, errors, args.toArray(new String[0]));
        assertEquals(0, status, "javac failed:\n" + errors.toString(StandardCharsets.UTF_8));
        return out;
    }

    static String classpath() {
        return location(Coroutine.class) + File.pathSeparator + location(Async.class);
    }

    private static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A loader over {@code classes} (the runtime from the test class path) for {@link WeavingClassLoader}. */
    static URLClassLoader source(Path classes) throws IOException {
        return new URLClassLoader(new URL[] {classes.toUri().toURL()}, Javac.class.getClassLoader());
    }

    /** Runs a coroutine on a fresh loop on virtual time. */
    static Object run(Object coroutine) {
        try (EventLoop loop = new EventLoop(TimeSource.virtual())) {
            return loop.runUntilComplete((Coroutine<?>) coroutine);
        }
    }
}
