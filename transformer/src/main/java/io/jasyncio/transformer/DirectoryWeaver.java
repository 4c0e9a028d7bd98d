package io.jasyncio.transformer;

import io.jasyncio.transformer.internal.ClassFileHeader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Weaves every class of a folder in place, or of a jar into a new jar: the host that the Maven plugin and the
 * command line share.
 *
 * <p>For a folder ({@link #weave(Path)}), symbolic links followed (the folder, package folders and class files may
 * be links; a link back to a containing folder fails the run before anything is written):
 * <ol>
 *   <li>every {@code .class} file is read, in sorted order; the coroutine frame classes of an earlier run (those
 *       marked as generated, {@link Transformer#isGeneratedClass(byte[])}) are set aside, every other class, whatever
 *       its name, is given to the transformer;</li>
 *   <li>each is given to the {@link Transformer}; the problems of <em>all</em> classes are collected, and if
 *       there is any, one {@link TransformException} carrying all of them is thrown and <em>nothing</em> is
 *       written;</li>
 *   <li>otherwise each rewritten class replaces its file, and its frame classes are written beside it (a frame
 *       whose file already has the same bytes is left alone). A class that is not rewritten is not touched: a
 *       second run over a woven folder changes no byte and no timestamp;</li>
 *   <li>frame classes left from an earlier run that nothing uses any more are deleted: those of a rewritten class
 *       that the new weaving did not generate, those of a class that is not woven (javac wrote it again and it no
 *       longer uses jasyncio), and those whose class is gone.</li>
 * </ol>
 *
 * <p>The classes of a folder or jar are transformed in parallel (on the common fork-join pool); a {@link
 * ClassFileLocator} other than a {@link ClasspathLocator} is called from one thread at a time. Instances are
 * thread-safe if the locator is; do not weave the same folder from two threads.
 */
public final class DirectoryWeaver {
    private static final String CLASS = ".class";

    private final ClassFileLocator classpath;
    private final boolean unsign;
    private final Predicate<String> selected;
    private final Path stateFile;
    private final String configuration;
    private final WeaveListener listener;

    /**
     * Creates a weaver that refuses to weave a class of a signed jar (see {@link #DirectoryWeaver(ClassFileLocator,
     * boolean)}).
     *
     * @param classpath finds the classes that the woven classes refer to (their dependencies and the JDK, for
     *                  instance {@link ClasspathLocator#of(List)}); the folder or jar being woven is always looked
     *                  in first
     */
    public DirectoryWeaver(ClassFileLocator classpath) {
        this(classpath, false);
    }

    /**
     * Creates a weaver.
     *
     * @param classpath finds the classes that the woven classes refer to (their dependencies and the JDK, for
     *                  instance {@link ClasspathLocator#of(List)}); the folder or jar being woven is always looked
     *                  in first
     * @param unsign what to do with a signed jar in which a class needs weaving: its signature would no longer
     *               match, so {@code false} refuses it (a {@link TransformException} that says so, nothing
     *               written), {@code true} weaves it and leaves its signature files out ({@link
     *               Summary#signatureFilesDropped()} counts them: sign the woven jar again if it must be signed)
     */
    public DirectoryWeaver(ClassFileLocator classpath, boolean unsign) {
        this(classpath, unsign, name -> true, null, null, WeaveListener.NONE);
    }

    private DirectoryWeaver(ClassFileLocator classpath, boolean unsign, Predicate<String> selected, Path stateFile,
                            String configuration, WeaveListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.classpath = Objects.requireNonNull(classpath, "classpath");
        this.unsign = unsign;
        this.selected = Objects.requireNonNull(selected, "selected");
        this.stateFile = stateFile;
        this.configuration = configuration;
    }

    /**
     * A weaver like this one that weaves only the classes {@code selected} accepts (by binary name, such as
     * {@link ClassNamePatterns#of}); the others are left as they are and counted as unchanged.
     *
     * @param selected whether to weave a class, by binary name ({@code com.acme.Fetcher})
     * @return the new weaver
     */
    public DirectoryWeaver selecting(Predicate<String> selected) {
        return new DirectoryWeaver(classpath, unsign, selected, stateFile, configuration, listener);
    }

    /**
     * A weaver like this one that reports to {@code listener}: each class woven, each problem, and the summary of
     * each folder or jar.
     *
     * @param listener the host's listener
     * @return the new weaver
     */
    public DirectoryWeaver listening(WeaveListener listener) {
        return new DirectoryWeaver(classpath, unsign, selected, stateFile, configuration, listener);
    }

    /**
     * A weaver like this one that, after weaving a folder, records in {@code stateFile} a fingerprint of its class
     * files (their paths, sizes and modification times) and skips the next {@link #weave(Path)} of that folder
     * without reading any class file when nothing changed: a build that changed nothing costs one listing of
     * the folder. Any change (a class file added, removed, rewritten, or a different {@code configuration})
     * makes the next run a full one. Used by the Maven plugin; the command line does not keep state.
     *
     * @param stateFile where to keep the fingerprint (outside the folder woven, for instance
     *                  {@code target/jasyncio/classes.state}); its folder is created if needed
     * @param configuration what else decides the weaving and must match for the state to count (the plugin's
     *                      version, includes and excludes)
     * @return the new weaver
     */
    public DirectoryWeaver incremental(Path stateFile, String configuration) {
        return new DirectoryWeaver(classpath, unsign, selected, Objects.requireNonNull(stateFile, "stateFile"),
                Objects.requireNonNull(configuration, "configuration"), listener);
    }

    /**
     * What one run did, for a log line.
     *
     * @param scanned the class files given to the transformer (generated frame classes not counted)
     * @param woven how many of them were rewritten
     * @param methodsWoven how many coroutine methods ({@code @Async} methods and lambda bodies) they have
     * @param framesWritten the frame class files written (new or changed)
     * @param skipped the classes left as they were: they do not use jasyncio, or are woven already
     * @param staleDeleted the frame class files of an earlier run deleted (or left out of the jar) as unused
     * @param signatureFilesDropped the signature files of a signed jar left out of the woven jar (only when the
     *                              weaver was asked to unsign)
     */
    public record Summary(int scanned, int woven, int methodsWoven, int framesWritten, int skipped,
                          int staleDeleted, int signatureFilesDropped) {
        /**
         * The summary of a run that wove no method and dropped no signature file.
         *
         * @param scanned the class files given to the transformer
         * @param woven how many of them were rewritten
         * @param framesWritten the frame class files written
         * @param skipped the classes left as they were
         * @param staleDeleted the stale frame class files deleted
         */
        public Summary(int scanned, int woven, int framesWritten, int skipped, int staleDeleted) {
            this(scanned, woven, 0, framesWritten, skipped, staleDeleted, 0);
        }

        /** {@return the summary as the hosts print it: {@link WeaveListener#describe}} */
        @Override
        public String toString() {
            return WeaveListener.describe(this);
        }
    }

    /**
     * Weaves the class files under {@code directory} in place.
     *
     * @param directory a folder of class files laid out by package ({@code target/classes})
     * @return what was done
     * @throws TransformException with the problems of every class that cannot be woven; nothing was written
     * @throws IOException if a file cannot be read or written
     */
    public Summary weave(Path directory) throws IOException, TransformException {
        if (!Files.isDirectory(directory)) {
            throw new IOException("not a directory: " + directory);
        }
        String fingerprint = null;
        if (stateFile != null) {
            fingerprint = fingerprint(directory);
            Summary unchanged = unchangedSince(fingerprint);
            if (unchanged != null) {
                listener.onSummary(directory, directory, unchanged);
                return unchanged;
            }
            Files.deleteIfExists(stateFile); // written again only after a run that succeeds
        }
        Map<String, BasicFileAttributes> listing = list(directory);
        Map<String, byte[]> classes = new TreeMap<>();
        List<String> frames = new ArrayList<>();
        for (String rel : listing.keySet()) {
            classes.put(rel, null);
        }
        for (Iterator<Map.Entry<String, byte[]>> it = classes.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, byte[]> e = it.next();
            byte[] bytes = Files.readAllBytes(directory.resolve(e.getKey()));
            if (Transformer.isGeneratedClass(bytes)) {
                frames.add(e.getKey());
                it.remove();
            } else {
                e.setValue(bytes);
            }
        }
        Plan plan;
        try (ClasspathLocator self = ClasspathLocator.withoutJdk(List.of(directory))) {
            plan = plan(classes, frames, self);
        }

        int framesWritten = 0;
        for (Map.Entry<String, TransformResult> e : plan.woven.entrySet()) {
            String base = base(e.getKey(), e.getValue().className());
            for (TransformResult.GeneratedClass g : e.getValue().generated()) {
                Path target = resolveInside(directory, base + g.className() + CLASS);
                if (!Files.isRegularFile(target) || !Arrays.equals(Files.readAllBytes(target), g.bytes())) {
                    Files.createDirectories(target.getParent());
                    replace(target, g.bytes(), directory.resolve(e.getKey()));
                    framesWritten++;
                }
            }
            // The class last, so that an interrupted run leaves it unwoven and the next run weaves it again.
            replace(directory.resolve(e.getKey()), e.getValue().bytes(), directory.resolve(e.getKey()));
            listener.onWoven(e.getValue().className().replace('/', '.'), e.getValue().generated().size());
        }
        for (String stale : plan.stale) {
            Files.deleteIfExists(directory.resolve(stale));
        }
        Summary summary = plan.summary(framesWritten);
        if (stateFile != null) {
            // The folder as this run leaves it: a next run that finds it so has nothing to do.
            fingerprint = plan.woven.isEmpty() && plan.stale.isEmpty() ? fingerprint : fingerprint(directory);
            Files.createDirectories(stateFile.toAbsolutePath().getParent());
            Path tmp = temporaryFile(stateFile.toAbsolutePath());
            try {
                Files.writeString(tmp, STATE_HEADER + "\n" + fingerprint + "\n" + summary.scanned() + "\n",
                        StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
                move(tmp, stateFile);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        listener.onSummary(directory, directory, summary);
        return summary;
    }

    /**
     * The class files under {@code directory} by path ({@code a/B.class}), sorted, with their attributes. Symbolic
     * links are followed: the folder itself, package folders and class files may be links (a build that links
     * target/classes elsewhere); a file reached twice through links is listed once.
     */
    private static Map<String, BasicFileAttributes> list(Path directory) throws IOException {
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

    /** The first line of a state file: its format, and the woven-code protocol it was written for. */
    private static final String STATE_HEADER = "jasyncio-state 3 protocol " + Transformer.PROTOCOL;

    /**
     * A fingerprint of the configuration and of each class file's path, size and modification time (in ms): a
     * 64-bit mix of each file's facts, summed (so the order of the listing does not matter), with the count. A
     * change of any file changes its term, and the sum with it but for a chance of 2^-64. Listed with
     * {@code java.io.File}, whose two system calls a file cost a third of a walk of NIO's in a cold JVM; links are
     * followed, to a depth that a loop of links passes (then the fingerprint is one that no state matches).
     */
    private String fingerprint(Path directory) {
        long[] acc = {mix(configuration.hashCode()), 0};
        if (!fingerprint(directory.toFile(), "", acc, 0)) {
            return "loop " + System.nanoTime();
        }
        return acc[1] + " " + Long.toHexString(acc[0]);
    }

    private static boolean fingerprint(java.io.File folder, String prefix, long[] acc, int depth) {
        String[] names = folder.list();
        if (names == null || depth > 200) {
            return names != null;
        }
        for (String name : names) {
            java.io.File f = new java.io.File(folder, name);
            if (name.endsWith(CLASS)) {
                long h = mix((prefix + name).hashCode());
                h = mix(h ^ f.length());
                acc[0] += mix(h ^ f.lastModified());
                acc[1]++;
            } else if (f.isDirectory() && !fingerprint(f, prefix + name + "/", acc, depth + 1)) {
                return false;
            }
        }
        return true;
    }

    /** SplitMix64's finalizer: every bit of the input changes about half the bits of the output. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** {@return the summary of a run that finds the folder as the state file says the last run left it, or null} */
    private Summary unchangedSince(String fingerprint) throws IOException {
        if (!Files.isRegularFile(stateFile)) {
            return null;
        }
        String[] lines = Files.readString(stateFile, StandardCharsets.UTF_8).split("\n");
        if (lines.length != 3 || !lines[0].equals(STATE_HEADER) || !lines[1].equals(fingerprint)) {
            return null;
        }
        try {
            int scanned = Integer.parseInt(lines[2]);
            return new Summary(scanned, 0, 0, scanned, 0);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Weaves the classes of {@code jar} into a new jar {@code output}. Other entries are copied; the order of the
     * entries is kept and each class's frame classes follow it. If a class of a signed jar needs weaving, the
     * signature would no longer match: the jar is refused, or, if this weaver was made to unsign, written without
     * its signature files (the summary says how many were left out). The output is written to a temporary file that replaces
     * {@code output} at the end; {@code output} may be {@code jar} itself.
     *
     * @param jar the jar to weave
     * @param output where to write the woven jar
     * @return what was done ({@link Summary#framesWritten()} counts all frame classes in the new jar)
     * @throws TransformException with the problems of every class that cannot be woven, or that the jar is signed;
     *                            nothing was written
     * @throws IOException if the jar cannot be read or the output written
     */
    public Summary weaveJar(Path jar, Path output) throws IOException, TransformException {
        try (ZipFile zip = new ZipFile(jar.toFile());
             ClasspathLocator self = ClasspathLocator.withoutJdk(List.of(jar))) {
            List<ZipEntry> entries = new ArrayList<>();
            Map<String, byte[]> classes = new TreeMap<>();
            List<String> frames = new ArrayList<>();
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                entries.add(e);
                String name = e.getName();
                if (!e.isDirectory() && name.endsWith(CLASS)) {
                    byte[] bytes;
                    try (InputStream in = zip.getInputStream(e)) {
                        bytes = in.readAllBytes();
                    }
                    if (Transformer.isGeneratedClass(bytes)) {
                        frames.add(name);
                    } else {
                        classes.put(name, bytes);
                    }
                }
            }
            Plan plan = plan(classes, frames, self);

            // Old frames of a re-woven class are all left out: its new frames follow it.
            Set<String> dropped = new HashSet<>(plan.stale);
            for (String frame : frames) {
                if (plan.woven.containsKey(ownerOf(frame) + CLASS)) {
                    dropped.add(frame);
                }
            }
            List<String> signatureFiles = new ArrayList<>();
            for (ZipEntry e : entries) {
                if (!e.isDirectory() && isSignatureFile(e.getName())) {
                    signatureFiles.add(e.getName());
                }
            }
            boolean unsigning = !plan.woven.isEmpty() && !signatureFiles.isEmpty();
            if (unsigning && !unsign) {
                String first = plan.woven.keySet().iterator().next();
                TransformResult r = plan.woven.get(first);
                Problem signed = new Problem(r.className().replace('/', '.'), null, null, -1,
                        "the jar " + jar.getFileName() + " is signed (" + signatureFiles.get(0) + ") and "
                                + plan.woven.size() + (plan.woven.size() == 1 ? " class" : " classes")
                                + " of it need weaving, which would invalidate its signature; weave it unsigned"
                                + " (command line: --unsign) and sign the woven jar again if it must be signed");
                listener.onProblem(signed);
                throw new TransformException(List.of(signed));
            }
            int framesWritten = 0;
            Path parent = output.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = temporaryFile(output.toAbsolutePath());
            try {
                try (ZipOutputStream out = new ZipOutputStream(
                        Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW))) {
                    Set<String> written = new HashSet<>();
                    for (ZipEntry e : entries) {
                        String name = e.getName();
                        if (dropped.contains(name) || (unsigning && isSignatureFile(name)) || !written.add(name)) {
                            continue;
                        }
                        TransformResult r = plan.woven.get(name);
                        if (r == null) {
                            ZipEntry copy = new ZipEntry(e);
                            copy.setCompressedSize(-1);
                            out.putNextEntry(copy);
                            try (InputStream in = zip.getInputStream(e)) {
                                in.transferTo(out);
                            }
                            out.closeEntry();
                            continue;
                        }
                        put(out, name, e.getTime(), r.bytes());
                        String base = base(name, r.className());
                        for (TransformResult.GeneratedClass g : r.generated()) {
                            String frame = base + g.className() + CLASS;
                            if (written.add(frame)) {
                                put(out, frame, e.getTime(), g.bytes());
                                framesWritten++;
                            }
                        }
                    }
                }
                move(tmp, output);
            } finally {
                Files.deleteIfExists(tmp);
            }
            for (TransformResult r : plan.woven.values()) {
                listener.onWoven(r.className().replace('/', '.'), r.generated().size());
            }
            Summary s = plan.summary(framesWritten);
            Summary summary = unsigning ? new Summary(s.scanned(), s.woven(), s.methodsWoven(), s.framesWritten(),
                    s.skipped(), s.staleDeleted(), signatureFiles.size()) : s;
            listener.onSummary(jar, output, summary);
            return summary;
        }
    }

    /** What to do with the classes of a folder or jar: computed in full before anything is written. */
    private record Plan(int scanned, Map<String, TransformResult> woven, List<String> stale) {
        Summary summary(int framesWritten) {
            int methods = 0;
            for (TransformResult r : woven.values()) {
                methods += r.generated().size(); // one frame class per coroutine method
            }
            return new Summary(scanned, woven.size(), methods, framesWritten, scanned - woven.size(), stale.size(), 0);
        }
    }

    /**
     * Transforms every class; throws all problems at once. {@code classes} maps each path ({@code a/B.class},
     * sorted) to its bytes; {@code frames} are the paths of the frame classes present.
     */
    private Plan plan(Map<String, byte[]> classes, List<String> frames, ClassFileLocator self)
            throws TransformException {
        // A locator of the caller's making may not be thread-safe: its (cached, so rare) calls are serialized.
        ClassFileLocator lookup = classpath instanceof ClasspathLocator ? classpath : synchronizedLocator(classpath);
        Transformer transformer = new Transformer(ClassFileLocator.firstOf(List.of(self, lookup)));
        Map<String, TransformResult> woven = new LinkedHashMap<>();
        Set<String> staleOwners = new HashSet<>(); // paths (without .class) of classes whose old frames are stale
        List<Problem> problems = new ArrayList<>();
        List<Throwable> causes = new ArrayList<>();
        // The classes are transformed in parallel (the transformer is a pure function of the bytes and thread-safe
        // with a thread-safe locator); the outcomes are then taken in the sorted order of the paths, so the result,
        // and the order of the problems, is that of a sequential run.
        List<Map.Entry<String, byte[]>> entries = new ArrayList<>(classes.entrySet());
        List<Outcome> outcomes = entries.parallelStream().map(e -> outcome(transformer, e.getValue())).toList();
        for (int i = 0; i < entries.size(); i++) {
            String path = entries.get(i).getKey();
            Outcome o = outcomes.get(i);
            if (o.result != null && o.result.changed()) {
                woven.put(path, o.result);
                staleOwners.add(stripClass(path));
            } else if (o.failure instanceof TransformException x) {
                problems.addAll(x.problems());
                if (x.getCause() != null) {
                    causes.add(x);
                }
            } else if (o.failure != null) {
                // A bug of the transformer: report it with the class rather than abort the other classes.
                problems.add(new Problem(stripClass(path).replace('/', '.'), null, null, -1,
                        "the transformer failed: " + o.failure));
                causes.add(o.failure);
            } else if (!o.woven) { // left out, or unchanged and not woven: its old frames, if any, are stale
                staleOwners.add(stripClass(path));
            }
        }
        if (!problems.isEmpty()) {
            problems.forEach(listener::onProblem);
            TransformException failure = new TransformException(problems);
            causes.forEach(failure::addSuppressed);
            throw failure;
        }
        // An old frame class is stale if its class was re-woven (the new frames replace it, under the same name
        // or not), is not woven (it no longer uses jasyncio), or is gone.
        List<String> stale = new ArrayList<>();
        for (String frame : frames) {
            String owner = ownerOf(frame);
            if (staleOwners.contains(owner) || !classes.containsKey(owner + CLASS)) {
                stale.add(frame);
            }
        }
        // Frames re-generated under their old name are rewritten, not deleted.
        for (Map.Entry<String, TransformResult> e : woven.entrySet()) {
            String base = base(e.getKey(), e.getValue().className());
            for (TransformResult.GeneratedClass g : e.getValue().generated()) {
                stale.remove(base + g.className() + CLASS);
            }
        }
        return new Plan(classes.size(), woven, List.copyOf(stale));
    }

    /**
     * What the transformer made of one class: its result (absent for a class left out), or what it threw; and
     * whether the input carries the woven marker.
     */
    private record Outcome(TransformResult result, Throwable failure, boolean woven) {
    }

    private Outcome outcome(Transformer transformer, byte[] bytes) {
        boolean woven = Transformer.carriesWovenMarker(bytes);
        String name = ClassFileHeader.className(bytes);
        if (name != null && !selected.test(name.replace('/', '.'))) { // left out: as a class not to weave
            return new Outcome(null, null, woven);
        }
        try {
            return new Outcome(transformer.transform(bytes), null, woven);
        } catch (TransformException | RuntimeException | LinkageError x) {
            return new Outcome(null, x, woven);
        }
    }

    private static ClassFileLocator synchronizedLocator(ClassFileLocator locator) {
        Object lock = new Object();
        return internalName -> {
            synchronized (lock) {
                return locator.locate(internalName);
            }
        };
    }

    /** The folder prefix of a class's path before its internal name ({@code META-INF/versions/21/}), or "". */
    private static String base(String path, String internalName) {
        String tail = internalName + CLASS;
        return path.endsWith(tail) ? path.substring(0, path.length() - tail.length()) : "";
    }

    /** The path without {@code .class} of the class whose frame class is at {@code framePath}. */
    private static String ownerOf(String framePath) {
        // the last infix: the owner's own name may contain it (a user's class named Foo$$Async$bar)
        return framePath.substring(0, framePath.lastIndexOf(Transformer.FRAME_CLASS_INFIX));
    }

    private static String stripClass(String path) {
        return path.substring(0, path.length() - CLASS.length());
    }

    private static String relativeName(Path root, Path p) {
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

    private static Path resolveInside(Path root, String rel) throws IOException {
        Path p = root.resolve(rel).normalize();
        if (!p.startsWith(root.normalize())) {
            throw new IOException("generated class outside " + root + ": " + rel);
        }
        return p;
    }

    private static boolean isSignatureFile(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (!upper.startsWith("META-INF/") || upper.indexOf('/', "META-INF/".length()) >= 0) {
            return false;
        }
        return upper.endsWith(".SF") || upper.endsWith(".RSA") || upper.endsWith(".DSA") || upper.endsWith(".EC")
                || upper.startsWith("META-INF/SIG-");
    }

    private static void put(ZipOutputStream out, String name, long time, byte[] bytes) throws IOException {
        ZipEntry e = new ZipEntry(name);
        if (time != -1) {
            e.setTime(time);
        }
        out.putNextEntry(e);
        out.write(bytes);
        out.closeEntry();
    }

    /**
     * Replaces {@code target} with {@code bytes} through a temporary file, so it is never half written; the file
     * gets the permissions of {@code like} (the class file as javac wrote it).
     */
    private static void replace(Path link, byte[] bytes, Path like) throws IOException {
        Path target = Files.isSymbolicLink(link) ? link.toRealPath() : link; // the file, not the link, is rewritten
        Path tmp = temporaryFile(target);
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW)) {
                out.write(bytes);
            }
            if (Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
                Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(like));
            }
            move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * A name for a temporary file beside {@code target}. Not {@link Files#createTempFile}: that makes the file
     * readable by its owner only, and the class files must stay readable as javac (the umask) made them.
     */
    private static Path temporaryFile(Path target) {
        return target.resolveSibling("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + ".jasyncio.tmp");
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
