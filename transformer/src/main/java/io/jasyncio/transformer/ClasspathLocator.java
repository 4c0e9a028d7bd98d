package io.jasyncio.transformer;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A {@link ClassFileLocator} over a class path: folders and jars, asked in order, then (optionally) the JDK's own
 * classes. Jars are opened when first asked and stay open until {@link #close()}. Entries that do not exist are
 * ignored, as the JVM ignores them (a build's class path often names folders not created yet).
 *
 * <p>Thread-safe.
 */
public final class ClasspathLocator implements ClassFileLocator, Closeable {
    private final List<Entry> entries;
    private final ClassFileLocator jdk;

    private ClasspathLocator(List<Path> paths, boolean withJdk) {
        List<Entry> list = new ArrayList<>(paths.size());
        for (Path p : paths) {
            list.add(Files.isDirectory(p) ? new Folder(p) : new Jar(p));
        }
        this.entries = List.copyOf(list);
        this.jdk = withJdk ? ClassFileLocator.of(null) : null;
    }

    /**
     * A locator over {@code classpath}, then the classes of the JDK that runs this code.
     *
     * @param classpath folders and jars, in order
     * @return the locator; close it to close the jars
     */
    public static ClasspathLocator of(List<Path> classpath) {
        return new ClasspathLocator(classpath, true);
    }

    /** A locator over {@code classpath} alone, without the JDK. */
    static ClasspathLocator withoutJdk(List<Path> classpath) {
        return new ClasspathLocator(classpath, false);
    }

    /**
     * Splits a class path string ({@code a.jar:classes} on Unix, {@code a.jar;classes} on Windows) into paths.
     *
     * @param classpath the class path, separated by {@link java.io.File#pathSeparator}; empty parts are dropped
     * @return the paths, in order
     */
    public static List<Path> parse(String classpath) {
        List<Path> paths = new ArrayList<>();
        for (String part : classpath.split(java.util.regex.Pattern.quote(java.io.File.pathSeparator))) {
            if (!part.isBlank()) {
                paths.add(Path.of(part));
            }
        }
        return paths;
    }

    @Override
    public byte[] locate(String internalName) throws IOException {
        String resource = internalName + ".class";
        for (Entry e : entries) {
            byte[] b = e.read(resource);
            if (b != null) {
                return b;
            }
        }
        return jdk != null ? jdk.locate(internalName) : null;
    }

    /** Closes the jars opened so far. */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (Entry e : entries) {
            try {
                e.close();
            } catch (IOException x) {
                if (failure == null) {
                    failure = x;
                } else {
                    failure.addSuppressed(x);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private interface Entry extends Closeable {
        byte[] read(String resource) throws IOException;
    }

    private record Folder(Path root) implements Entry {
        @Override
        public byte[] read(String resource) throws IOException {
            try {
                return Files.readAllBytes(root.resolve(resource));
            } catch (NoSuchFileException e) {
                return null;
            }
        }

        @Override
        public void close() {
        }
    }

    private static final class Jar implements Entry {
        private final Path path;
        private ZipFile zip;
        private boolean missing;

        Jar(Path path) {
            this.path = path;
        }

        private synchronized ZipFile zip() throws IOException {
            if (zip == null && !missing) {
                if (Files.isRegularFile(path)) {
                    zip = new ZipFile(path.toFile());
                } else {
                    missing = true;
                }
            }
            return zip;
        }

        @Override
        public byte[] read(String resource) throws IOException {
            ZipFile z = zip();
            if (z == null) {
                return null;
            }
            ZipEntry e = z.getEntry(resource);
            if (e == null) {
                return null;
            }
            try (InputStream in = z.getInputStream(e)) {
                return in.readAllBytes();
            }
        }

        @Override
        public synchronized void close() throws IOException {
            if (zip != null) {
                zip.close();
                zip = null;
            }
            missing = true;
        }
    }
}
