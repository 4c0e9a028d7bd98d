package io.jasyncio.transformer;

import io.jasyncio.transformer.DirectoryWeaver.Summary;
import io.jasyncio.transformer.internal.ClassFileHeader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What {@link DirectoryWeaver} does with the classes of a folder or jar, computed in full before anything is
 * written: the classes rewritten, by path, and the frame class files of earlier runs that nothing uses any more.
 *
 * @param scanned the class files given to the transformer
 * @param woven the rewritten classes by path ({@code a/B.class}), in path order
 * @param stale the paths of the frame class files to delete or leave out
 */
record WeavePlan(int scanned, Map<String, TransformResult> woven, List<String> stale) {
    private static final String CLASS = ClassFiles.CLASS;

    /** {@return the summary of this plan carried out, with the frame class files it wrote} */
    Summary summary(int framesWritten) {
        int methods = 0;
        for (TransformResult r : woven.values()) {
            methods += r.generated().size(); // one frame class per coroutine method
        }
        return new Summary(scanned, woven.size(), methods, framesWritten, scanned - woven.size(), stale.size(), 0);
    }

    /**
     * Transforms every class; throws all problems at once. {@code classes} maps each path ({@code a/B.class},
     * sorted) to its bytes; {@code frames} are the paths of the frame classes present.
     */
    static WeavePlan make(Map<String, byte[]> classes, List<String> frames, ClassFileLocator self,
                          ClassFileLocator classpath, Predicate<String> selected, WeaveListener listener)
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
        Set<String> present = new HashSet<>(classes.keySet());
        present.addAll(frames);
        List<Outcome> outcomes = entries.parallelStream().map(e -> outcome(transformer, selected, e.getValue())).toList();
        for (int i = 0; i < entries.size(); i++) {
            String path = entries.get(i).getKey();
            Outcome o = outcomes.get(i);
            if (o.result != null && o.result.changed()) {
                woven.put(path, o.result);
                staleOwners.add(ClassFiles.stripClass(path));
            } else if (o.failure instanceof TransformException x) {
                problems.addAll(x.problems());
                if (x.getCause() != null) {
                    causes.add(x);
                }
            } else if (o.failure != null) {
                // A bug of the transformer: report it with the class rather than abort the other classes.
                problems.add(new Problem(ClassFiles.stripClass(path).replace('/', '.'), null, null, -1,
                        "the transformer failed: " + o.failure));
                causes.add(o.failure);
            } else if (!o.woven) { // left out, or unchanged and not woven: its old frames, if any, are stale
                staleOwners.add(ClassFiles.stripClass(path));
            } else if (o.result != null) { // woven already: it cannot run without its frame classes
                Problem missing = missingFrameClass(path, o.result.className(), entries.get(i).getValue(), present);
                if (missing != null) {
                    problems.add(missing);
                }
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
            String owner = ClassFiles.ownerOf(frame);
            if (staleOwners.contains(owner) || !classes.containsKey(owner + CLASS)) {
                stale.add(frame);
            }
        }
        // Frames re-generated under their old name are rewritten, not deleted.
        for (Map.Entry<String, TransformResult> e : woven.entrySet()) {
            String base = ClassFiles.base(e.getKey(), e.getValue().className());
            for (TransformResult.GeneratedClass g : e.getValue().generated()) {
                stale.remove(base + g.className() + CLASS);
            }
        }
        return new WeavePlan(classes.size(), woven, List.copyOf(stale));
    }

    /**
     * {@return a problem if the woven class at {@code path} refers to a frame class of its own that is not in the
     * folder or jar (deleted after weaving), or null} Its original code is gone, so it cannot be woven again.
     */
    private static Problem missingFrameClass(String path, String className, byte[] bytes, Set<String> present) {
        String base = ClassFiles.base(path, className);
        for (String frame : ClassFileHeader.classRefs(bytes, className + Transformer.FRAME_CLASS_INFIX)) {
            if (!present.contains(base + frame + CLASS)) {
                return new Problem(className.replace('/', '.'), null, null, -1, "woven already, but its frame class "
                        + base + frame + CLASS + " is missing (deleted after weaving?), without which the class"
                        + " cannot run; compile it again (mvn clean, or delete " + path + " so that javac writes"
                        + " it again)");
            }
        }
        return null;
    }

    /**
     * What the transformer made of one class: its result (absent for a class left out), or what it threw; and
     * whether the input carries the woven marker.
     */
    private record Outcome(TransformResult result, Throwable failure, boolean woven) {
    }

    private static Outcome outcome(Transformer transformer, Predicate<String> selected, byte[] bytes) {
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
}
