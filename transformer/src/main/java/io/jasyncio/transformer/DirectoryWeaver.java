package io.jasyncio.transformer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
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
 *       written. A class woven already whose frame class is gone (deleted after weaving) is one of them: it
 *       cannot run, and its original code is gone, so it must be compiled again;</li>
 *   <li>otherwise each rewritten class replaces its file, and its frame classes are written beside it (a frame
 *       whose file already has the same bytes is left alone). A class that is not rewritten is not touched: a
 *       second run over a woven folder changes no byte and no timestamp;</li>
 *   <li>frame classes left from an earlier run that nothing uses any more are deleted: those of a rewritten class
 *       that the new weaving did not generate, those of a class that is not woven (javac wrote it again and it no
 *       longer uses jasyncio), and those whose class is gone.</li>
 * </ol>
 *
 * <p>The classes of a folder or jar are transformed in parallel (on the common fork-join pool), and a folder's
 * woven classes written in parallel (each class after its frame classes); a {@link
 * ClassFileLocator} other than a {@link ClasspathLocator} is called from one thread at a time. Instances are
 * thread-safe if the locator is; do not weave the same folder from two threads.
 */
public final class DirectoryWeaver {
    private static final String CLASS = ClassFiles.CLASS;

    private final ClassFileLocator classpath;
    private final boolean unsign;
    private final Predicate<String> selected;
    private final Path stateFile;
    private final String configuration;
    /** The state of {@link #incremental}, or null. */
    private final FolderState state;
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
        this.state = stateFile == null ? null : new FolderState(stateFile, configuration);
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
     * files (their paths, sizes and modification times; of the frame classes jasyncio generated, their paths only)
     * and skips the next {@link #weave(Path)} of that folder without reading any class file when nothing changed:
     * a build that changed nothing costs one listing of the folder. Any change (a class file added, removed,
     * rewritten, or a different {@code configuration}) makes the next run a full one. Used by the Maven plugin;
     * the command line does not keep state.
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
        if (state != null) {
            Summary unchanged = state.unchangedSince(directory);
            if (unchanged != null) {
                listener.onSummary(directory, directory, unchanged);
                return unchanged;
            }
            state.clear();
        }
        Map<String, BasicFileAttributes> listing = ClassFiles.list(directory);
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
        WeavePlan plan;
        try (ClasspathLocator self = ClasspathLocator.withoutJdk(List.of(directory))) {
            plan = WeavePlan.make(classes, frames, self, classpath, selected, listener);
        }
        Set<String> generated = new HashSet<>(frames); // the frame classes the folder holds after this run
        plan.stale().forEach(generated::remove);
        plan.woven().forEach((path, r) -> r.generated().forEach(g ->
                generated.add(ClassFiles.base(path, r.className()) + g.className() + CLASS)));
        // The classes in parallel, as they were transformed (each with its frame classes, itself last).
        ClassFiles.Replacer files = new ClassFiles.Replacer();
        int framesWritten;
        try {
            framesWritten = plan.woven().entrySet().parallelStream().mapToInt(e -> {
                try {
                    return files.writeWoven(directory, e.getKey(), e.getValue());
                } catch (IOException x) {
                    throw new UncheckedIOException(x);
                }
            }).sum();
        } catch (UncheckedIOException x) {
            throw x.getCause();
        }
        plan.woven().values().forEach(r -> listener.onWoven(r.className().replace('/', '.'), r.generated().size()));
        for (String stale : plan.stale()) {
            Files.deleteIfExists(directory.resolve(stale));
        }
        Summary summary = plan.summary(framesWritten);
        if (state != null) { // the folder as this run leaves it: a next run that finds it so has nothing to do
            state.save(directory, generated, summary);
        }
        listener.onSummary(directory, directory, summary);
        return summary;
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
            WeavePlan plan = WeavePlan.make(classes, frames, self, classpath, selected, listener);

            // Old frames of a re-woven class are all left out: its new frames follow it.
            Set<String> dropped = new HashSet<>(plan.stale());
            for (String frame : frames) {
                if (plan.woven().containsKey(ClassFiles.ownerOf(frame) + CLASS)) {
                    dropped.add(frame);
                }
            }
            List<String> signatureFiles = new ArrayList<>();
            for (ZipEntry e : entries) {
                if (!e.isDirectory() && ClassFiles.isSignatureFile(e.getName())) {
                    signatureFiles.add(e.getName());
                }
            }
            boolean unsigning = !plan.woven().isEmpty() && !signatureFiles.isEmpty();
            if (unsigning && !unsign) {
                String first = plan.woven().keySet().iterator().next();
                TransformResult r = plan.woven().get(first);
                Problem signed = new Problem(r.className().replace('/', '.'), null, null, -1,
                        "the jar " + jar.getFileName() + " is signed (" + signatureFiles.get(0) + ") and "
                                + plan.woven().size() + (plan.woven().size() == 1 ? " class" : " classes")
                                + " of it need weaving, which would invalidate its signature; weave it unsigned"
                                + " (command line: --unsign) and sign the woven jar again if it must be signed");
                listener.onProblem(signed);
                throw new TransformException(List.of(signed));
            }
            int framesWritten = 0;
            Path parent = output.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = ClassFiles.temporaryFile(output.toAbsolutePath());
            try {
                try (ZipOutputStream out = new ZipOutputStream(
                        Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW))) {
                    Set<String> written = new HashSet<>();
                    for (ZipEntry e : entries) {
                        String name = e.getName();
                        if (dropped.contains(name) || (unsigning && ClassFiles.isSignatureFile(name))
                                || !written.add(name)) {
                            continue;
                        }
                        TransformResult r = plan.woven().get(name);
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
                        ClassFiles.put(out, name, e.getTime(), r.bytes());
                        String base = ClassFiles.base(name, r.className());
                        for (TransformResult.GeneratedClass g : r.generated()) {
                            String frame = base + g.className() + CLASS;
                            if (written.add(frame)) {
                                ClassFiles.put(out, frame, e.getTime(), g.bytes());
                                framesWritten++;
                            }
                        }
                    }
                }
                ClassFiles.move(tmp, output);
            } finally {
                Files.deleteIfExists(tmp);
            }
            for (TransformResult r : plan.woven().values()) {
                listener.onWoven(r.className().replace('/', '.'), r.generated().size());
            }
            Summary s = plan.summary(framesWritten);
            Summary summary = unsigning ? new Summary(s.scanned(), s.woven(), s.methodsWoven(), s.framesWritten(),
                    s.skipped(), s.staleDeleted(), signatureFiles.size()) : s;
            listener.onSummary(jar, output, summary);
            return summary;
        }
    }


}
