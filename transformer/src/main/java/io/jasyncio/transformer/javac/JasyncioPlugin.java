package io.jasyncio.transformer.javac;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.LineMap;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.Plugin;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import io.jasyncio.transformer.Problem;
import io.jasyncio.transformer.TransformException;
import io.jasyncio.transformer.TransformResult;
import io.jasyncio.transformer.Transformer;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import javax.annotation.processing.Filer;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * The javac plugin {@code jasyncio}: weaves each class as soon as javac has written it, so that whatever runs javac
 * (plain {@code javac}, maven-compiler-plugin, Gradle, an IDE that runs javac) writes woven class files.
 *
 * <pre>
 * javac -Xplugin:jasyncio -processorpath jasyncio-transformer.jar -cp jasyncio-runtime.jar:... -d out *.java
 * </pre>
 *
 * <p>After javac's {@code GENERATE} step of a class (its class file is written), the plugin reads that class file,
 * gives it to the {@link Transformer} and writes the woven class in its place, its frame classes beside it, and
 * deletes the frame classes of an earlier weaving of the class that this one no longer makes. The common super
 * types that frame computation needs are taken from javac's own symbol table ({@link JavacClassFileLocator}),
 * not from a class path scan. A class that cannot be woven is reported as javac errors (with the same messages as
 * the Maven plugin's, on the source line of each problem) and its unwoven class file is deleted, as javac writes
 * no class file for a class with errors.
 *
 * <p>Class files are read and written through javac's {@link Filer} (javac gives a plugin no other public access
 * to its output folder), which {@link OutputLocator}, an annotation processor of the same jar, hands over: the
 * transformer jar must be on the processor path (not only the class path), and annotation processing must not be
 * turned off with {@code -proc:none}; the plugin says so as an error otherwise.
 *
 * <p>Idempotent with the other hosts: a class woven here carries the transformer's marker, so the Maven plugin and
 * the agent leave it as it is.
 */
public final class JasyncioPlugin implements Plugin {
    /** The plugin's name, as in {@code -Xplugin:jasyncio}. */
    public static final String NAME = "jasyncio";
    private static final String PREFIX = "jasyncio: ";

    /** Creates the plugin (javac does, through its service loader). */
    public JasyncioPlugin() {
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public void init(JavacTask task, String... args) {
        task.addTaskListener(new Weaver(task));
    }

    /** Weaves each class after javac wrote it. */
    private static final class Weaver implements TaskListener {
        private final JavacTask task;
        private final Elements elements;
        private final Trees trees;
        private JavacClassFileLocator locator;
        private Transformer transformer;
        private Filer filer;
        private boolean reportedNoFiler;
        /** The frame class files in each output folder, listed when first needed. */
        private final Map<Path, Set<String>> framesIn = new HashMap<>();
        /** Weak: an index lives as long as javac keeps its compilation unit. */
        private final Map<CompilationUnitTree, SourceIndex> indexes = new WeakHashMap<>();

        Weaver(JavacTask task) {
            this.task = task;
            this.elements = task.getElements();
            this.trees = Trees.instance(task);
        }

        @Override
        public void started(TaskEvent e) {
        }

        @Override
        public void finished(TaskEvent e) {
            if (e.getKind() == TaskEvent.Kind.ANALYZE && e.getCompilationUnit() != null) {
                indexes.computeIfAbsent(e.getCompilationUnit(), u -> new SourceIndex(u, trees));
                return;
            }
            if (e.getKind() != TaskEvent.Kind.GENERATE || e.getTypeElement() == null) {
                return;
            }
            TypeElement type = e.getTypeElement();
            if (filer == null) {
                filer = OutputLocator.filerOf(task);
                if (filer == null) {
                    if (!reportedNoFiler) {
                        reportedNoFiler = true;
                        error(e.getCompilationUnit(), classTreeOf(e.getCompilationUnit(), type), PREFIX + "the javac plugin cannot find"
                                + " the class files javac writes, because annotation processing did not run: put"
                                + " jasyncio-transformer on the processor path (-processorpath, or"
                                + " annotationProcessorPaths in maven-compiler-plugin) and do not pass -proc:none"
                                + " (on JDK 23 and later, -proc:full turns processing on if nothing else does)");
                    }
                    return;
                }
                locator = new JavacClassFileLocator(elements, this::writtenClassFile);
                transformer = new Transformer(locator);
            }
            locator.register(type);
            try {
                weave(e, type);
            } catch (IOException | UncheckedIOException x) {
                error(e.getCompilationUnit(), classTreeOf(e.getCompilationUnit(), type), PREFIX + "cannot weave "
                        + elements.getBinaryName(type) + ": " + x);
            } catch (RuntimeException | LinkageError x) {
                // A bug of the transformer: an error on the class (as the Maven plugin reports it), not a javac crash.
                x.printStackTrace(System.err);
                error(e.getCompilationUnit(), classTreeOf(e.getCompilationUnit(), type), PREFIX + "the transformer"
                        + " failed on " + elements.getBinaryName(type) + ": " + x);
            }
        }

        private void weave(TaskEvent e, TypeElement type) throws IOException {
            String packageName = elements.getPackageOf(type).getQualifiedName().toString();
            String binaryName = elements.getBinaryName(type).toString();
            String simpleName = packageName.isEmpty() ? binaryName : binaryName.substring(packageName.length() + 1);
            FileObject output = filer.getResource(StandardLocation.CLASS_OUTPUT, packageName, simpleName + ".class");
            URI written = output.toUri();
            byte[] bytes = read(output);
            if (e.getSourceFile() != null && "file".equals(e.getSourceFile().toUri().getScheme())
                    && (bytes == null || "file".equals(written.getScheme()))) {
                // Without -d, javac writes class files beside their source, not where the Filer looks (the current
                // folder): the newer of the two is the one javac just wrote.
                URI beside = Path.of(e.getSourceFile().toUri()).resolveSibling(simpleName + ".class").toUri();
                if (Files.isRegularFile(Path.of(beside)) && !beside.equals(written) && (bytes == null
                        || Files.getLastModifiedTime(Path.of(beside)).compareTo(
                                Files.getLastModifiedTime(Path.of(written))) > 0)) {
                    written = beside;
                    bytes = Files.readAllBytes(Path.of(beside));
                }
            }
            if (bytes == null) {
                throw new IOException("the class file javac wrote is neither at " + written + " nor beside its source");
            }
            Set<String> frames = new HashSet<>();
            if (Transformer.mayUseJasyncio(bytes)) {
                TransformResult result;
                try {
                    result = transformer.transform(bytes);
                } catch (TransformException x) {
                    for (Problem p : x.problems()) {
                        error(e.getCompilationUnit(), treeOf(e.getCompilationUnit(), type, p), message(p));
                    }
                    deleteIfFile(written); // no class file for a class with errors, as javac does
                    return;
                }
                if (result.changed()) {
                    for (TransformResult.GeneratedClass g : result.generated()) {
                        String frame = g.className().substring(g.className().lastIndexOf('/') + 1);
                        frames.add(frame + ".class");
                        write(written, packageName, frame + ".class", type, g.bytes());
                    }
                    // The class last, as the Maven plugin does: a run stopped half-way leaves it unwoven.
                    write(written, packageName, simpleName + ".class", type, result.bytes());
                } else {
                    return; // woven already (it carries the marker): its frames are its own
                }
            }
            deleteStaleFrames(written, simpleName, frames);
        }

        /** The bytes of a class file, or {@code null} if there is none. */
        private static byte[] read(FileObject file) throws IOException {
            try (InputStream in = file.openInputStream()) {
                return in.readAllBytes();
            } catch (FileNotFoundException | java.nio.file.NoSuchFileException x) {
                return null;
            }
        }

        /**
         * Writes a class file beside {@code classFile}, the class file javac wrote: with java.nio when it is a file
         * (through the Filer, javac's file manager would see its own output written a second time, which
         * {@code -Xlint:output-file-clash} reports), else through the Filer (an in-memory file manager).
         */
        private void write(URI classFile, String packageName, String fileName, TypeElement type, byte[] bytes)
                throws IOException {
            if ("file".equals(classFile.getScheme())) {
                Path target = Path.of(classFile).resolveSibling(fileName);
                Path tmp = target.resolveSibling(fileName + ".jasyncio-tmp");
                Files.write(tmp, bytes);
                try {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (java.nio.file.AtomicMoveNotSupportedException x) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
                return;
            }
            FileObject out = filer.createResource(StandardLocation.CLASS_OUTPUT, packageName, fileName, type);
            try (OutputStream os = out.openOutputStream()) {
                os.write(bytes);
            }
        }

        /**
         * Deletes the frame classes an earlier weaving of the class left beside it that this one did not write
         * again. Each output folder is listed once per compilation, not once per class.
         */
        private void deleteStaleFrames(URI classFile, String simpleName, Set<String> keep) throws IOException {
            if (!"file".equals(classFile.getScheme())) {
                return;
            }
            Path dir = Path.of(classFile).getParent();
            if (dir == null) {
                return;
            }
            Set<String> present = framesIn.get(dir);
            if (present == null) {
                present = new HashSet<>();
                if (Files.isDirectory(dir)) {
                    try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "*$$Async$*.class")) {
                        for (Path p : old) {
                            present.add(p.getFileName().toString());
                        }
                    }
                }
                framesIn.put(dir, present);
            }
            String prefix = simpleName + Transformer.FRAME_CLASS_INFIX;
            for (java.util.Iterator<String> it = present.iterator(); it.hasNext(); ) {
                String name = it.next();
                if (name.startsWith(prefix) && !keep.contains(name)) {
                    Files.deleteIfExists(dir.resolve(name));
                    it.remove();
                }
            }
            present.addAll(keep);
        }

        private static void deleteIfFile(URI classFile) throws IOException {
            if ("file".equals(classFile.getScheme())) {
                Files.deleteIfExists(Path.of(classFile));
            }
        }

        /**
         * For classes that javac has no symbol for by name and did not generate yet in this run: the class file in
         * the output folder.
         */
        private byte[] writtenClassFile(String internalName) throws IOException {
            int slash = internalName.lastIndexOf('/');
            String pkg = slash < 0 ? "" : internalName.substring(0, slash).replace('/', '.');
            try (InputStream in = filer.getResource(StandardLocation.CLASS_OUTPUT, pkg,
                    internalName.substring(slash + 1) + ".class").openInputStream()) {
                return in.readAllBytes();
            } catch (IOException | IllegalArgumentException x) {
                return null;
            }
        }

        private void error(CompilationUnitTree unit, Tree tree, String message) {
            if (tree != null && unit != null) {
                trees.printMessage(Diagnostic.Kind.ERROR, message, tree, unit);
            } else {
                System.err.println("error: " + message);
            }
        }

        /**
         * The text of a problem as the Maven plugin and the command line print it, without the location that javac
         * puts in front of the diagnostic itself ({@code Fetcher.java:12: }).
         */
        static String message(Problem p) {
            String text = p.format();
            int colon = text.indexOf(": ");
            return colon < 0 ? text : text.substring(colon + 2);
        }

        /** Where to report a problem: the tree indexed for its line; without one, its method; else its class. */
        private Tree treeOf(CompilationUnitTree unit, TypeElement type, Problem p) {
            SourceIndex index = indexes.get(unit);
            if (index == null) {
                return unit;
            }
            Tree onLine = p.line() > 0 ? index.firstOnLine.get((long) p.line()) : null;
            if (onLine != null) {
                return onLine;
            }
            if (p.method() != null) {
                Tree method = index.methods.get(p.method().substring(0, Math.max(0, p.method().indexOf('('))));
                if (method != null) {
                    return method;
                }
            }
            return classTreeOf(unit, type);
        }

        /** The declaration of {@code type} in {@code unit}, or the unit. */
        private Tree classTreeOf(CompilationUnitTree unit, TypeElement type) {
            SourceIndex index = indexes.get(unit);
            Tree classTree = index == null ? null : index.classes.get(type.getSimpleName().toString());
            return classTree != null ? classTree : unit;
        }
    }

    /**
     * The trees of one compilation unit by the line they start on, and its methods and classes by name, taken when
     * javac has analysed it: once javac has generated a class, its trees are gone (and javac keeps no end
     * positions), so a problem found in the class file is put back on its line through this index.
     */
    private static final class SourceIndex {
        /** The outermost tree that starts on each line, classes and the unit aside. */
        final Map<Long, Tree> firstOnLine = new HashMap<>();
        /** The first method of each name (constructors are {@code <init>}). */
        final Map<String, Tree> methods = new HashMap<>();
        /** The first class of each simple name. */
        final Map<String, Tree> classes = new HashMap<>();

        SourceIndex(CompilationUnitTree unit, Trees trees) {
            SourcePositions positions = trees.getSourcePositions();
            LineMap lines = unit.getLineMap();
            new TreeScanner<Void, Void>() {
                @Override
                public Void scan(Tree tree, Void unused) {
                    if (tree == null) {
                        return null;
                    }
                    if (tree instanceof ClassTree) {
                        classes.putIfAbsent(((ClassTree) tree).getSimpleName().toString(), tree);
                    } else if (tree instanceof MethodTree) {
                        methods.putIfAbsent(((MethodTree) tree).getName().toString(), tree);
                    }
                    long start = positions.getStartPosition(unit, tree);
                    if (start >= 0 && !(tree instanceof ClassTree) && !(tree instanceof CompilationUnitTree)) {
                        firstOnLine.putIfAbsent(lines.getLineNumber(start), tree);
                    }
                    return super.scan(tree, unused);
                }
            }.scan(unit, null);
        }
    }
}
