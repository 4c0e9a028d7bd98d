package io.jasyncio.transformer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The file handling of {@link DirectoryWeaver}: listing a folder's class files (links followed), the paths of
 * classes and their frame classes, signature files, and replacing a file so that it is never half written.
 */
final class ClassFiles {
    static final String CLASS = ".class";

    private ClassFiles() {
    }

    /**
     * The class files under {@code directory} by path ({@code a/B.class}), sorted, with their attributes. Symbolic
     * links are followed: the folder itself, package folders and class files may be links (a build that links
     * target/classes elsewhere); a file reached twice through links is listed once.
     */
    static Map<String, BasicFileAttributes> list(Path directory) throws IOException {
        Map<String, BasicFileAttributes> listing = new TreeMap<>();
        Set<Object> seen = new HashSet<>();
        Files.walkFileTree(directory, Set.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path p, BasicFileAttributes attrs) throws IOException {
                        String rel = relativeName(directory, p);
                        if (rel.endsWith(CLASS) && attrs.isRegularFile()
                                && seen.add(attrs.fileKey() != null ? attrs.fileKey() : p.toRealPath())) {
                            listing.put(rel, attrs);
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path p, IOException e) throws IOException {
                        if (e instanceof FileSystemLoopException) {
                            throw new IOException("a symbolic link under " + directory + " leads back to a folder"
                                    + " that contains it (" + e.getMessage() + "); nothing was woven", e);
                        }
                        throw e;
                    }
                });
        return listing;
    }

    /** The folder prefix of a class's path before its internal name ({@code META-INF/versions/21/}), or "". */
    static String base(String path, String internalName) {
        String tail = internalName + CLASS;
        return path.endsWith(tail) ? path.substring(0, path.length() - tail.length()) : "";
    }

    /** The path without {@code .class} of the class whose frame class is at {@code framePath}. */
    static String ownerOf(String framePath) {
        // the last infix: the owner's own name may contain it (a user's class named Foo$$Async$bar)
        return framePath.substring(0, framePath.lastIndexOf(Transformer.FRAME_CLASS_INFIX));
    }

    static String stripClass(String path) {
        return path.substring(0, path.length() - CLASS.length());
    }

    static String relativeName(Path root, Path p) {
        if (root.getFileSystem().getSeparator().equals("/")) {
            return root.relativize(p).toString();
        }
        StringBuilder sb = new StringBuilder();
        for (Path part : root.relativize(p)) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(part);
        }
        return sb.toString();
    }

    static Path resolveInside(Path root, String rel) throws IOException {
        Path p = root.resolve(rel).normalize();
        if (!p.startsWith(root.normalize())) {
            throw new IOException("generated class outside " + root + ": " + rel);
        }
        return p;
    }

    static boolean isSignatureFile(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (!upper.startsWith("META-INF/") || upper.indexOf('/', "META-INF/".length()) >= 0) {
            return false;
        }
        return upper.endsWith(".SF") || upper.endsWith(".RSA") || upper.endsWith(".DSA") || upper.endsWith(".EC")
                || upper.startsWith("META-INF/SIG-");
    }

    static void put(ZipOutputStream out, String name, long time, byte[] bytes) throws IOException {
        ZipEntry e = new ZipEntry(name);
        if (time != -1) {
            e.setTime(time);
        }
        out.putNextEntry(e);
        out.write(bytes);
        out.closeEntry();
    }

    /**
     * Writes woven classes, each with its frame classes, every file through a temporary one so that none is ever
     * half written, with the permissions of the class file javac wrote. Safe for threads: classes are written in
     * parallel. What is the same for many files is asked once: per folder, whether its file store has POSIX
     * permissions (asking a file store reads the mount table, about 80 µs on Linux, which was a third of a fresh
     * weave's time), what permissions a new file gets there, and that the folder exists; per class, the
     * permissions of its class file (which its frame classes get too).
     */
    static final class Replacer {
        /** Per folder: the permissions a new file gets there, or an empty set if it has none to set. */
        private final Map<Path, Set<PosixFilePermission>> created = new ConcurrentHashMap<>();

        /**
         * Writes the frame classes of {@code woven} that are not already in {@code directory} with the same bytes,
         * then the class itself (last, so that an interrupted run leaves it unwoven and the next run weaves it
         * again).
         *
         * @param path the class file's path in {@code directory}
         * @return how many frame classes were written
         */
        int writeWoven(Path directory, String path, TransformResult woven) throws IOException {
            Path classFile = directory.resolve(path);
            Like like = new Like(classFile);
            int framesWritten = 0;
            String base = base(path, woven.className());
            for (TransformResult.GeneratedClass g : woven.generated()) {
                Path target = resolveInside(directory, base + g.className() + CLASS);
                if (!Files.isRegularFile(target) || !Arrays.equals(Files.readAllBytes(target), g.bytes())) {
                    replace(target, g.bytes(), like);
                    framesWritten++;
                }
            }
            replace(classFile, woven.bytes(), like);
            return framesWritten;
        }

        /** The class file whose permissions its frame classes get, read when first needed. */
        private static final class Like {
            final Path path;
            Set<PosixFilePermission> permissions;

            Like(Path path) {
                this.path = path;
            }
        }

        private void replace(Path link, byte[] bytes, Like like) throws IOException {
            Path target = Files.isSymbolicLink(link) ? link.toRealPath() : link; // the file, not the link, is rewritten
            Path folder = target.toAbsolutePath().getParent();
            Set<PosixFilePermission> fresh = created.get(folder);
            if (fresh == null) {
                Files.createDirectories(folder);
            }
            Path tmp = temporaryFile(target);
            try {
                try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW)) {
                    out.write(bytes);
                }
                if (fresh == null) {
                    fresh = Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)
                            ? Files.getPosixFilePermissions(tmp) : Set.of();
                    created.put(folder, fresh);
                }
                if (!fresh.isEmpty()) {
                    if (like.permissions == null) {
                        like.permissions = Files.getPosixFilePermissions(like.path);
                    }
                    if (!like.permissions.equals(fresh)) {
                        Files.setPosixFilePermissions(tmp, like.permissions);
                    }
                }
                move(tmp, target);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
        }
    }

    /**
     * A name for a temporary file beside {@code target}. Not {@link Files#createTempFile}: that makes the file
     * readable by its owner only, and the class files must stay readable as javac (the umask) made them.
     */
    static Path temporaryFile(Path target) {
        return target.resolveSibling("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + ".jasyncio.tmp");
    }

    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
