package io.jasyncio.transformer.javac;

import com.sun.source.util.JavacTask;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;

/**
 * Not an annotation processor in the usual sense: it processes nothing and claims no annotation. It exists to hand
 * the {@link JasyncioPlugin} javac's {@link Filer}, the only public door to the folder javac writes class files to
 * ({@code -d}, or wherever an IDE's or a build tool's file manager puts them): a javac plugin is given the
 * {@link JavacTask} only, whose file manager is not part of the exported API. The plugin and this processor are
 * loaded from the same processor path by the same class loader, so they meet in {@link #FILERS}.
 *
 * <p>It supports {@code @Async} only, and claims it (no other processor has any use for it), so that
 * {@code -Xlint:processing} does not report it as unclaimed. javac initialises every processor of the path in the
 * first round as long as some annotation is left unclaimed, or when no source has an annotation at all, so the
 * Filer is handed over before any class is generated.
 */
public final class OutputLocator extends AbstractProcessor {
    /** The Filer of each running compilation, by its task; weak, so that a finished compilation is not kept. */
    private static final Map<JavacTask, Filer> FILERS = Collections.synchronizedMap(new WeakHashMap<>());

    /** Creates the processor (javac does, through its service loader). */
    public OutputLocator() {
    }

    @Override
    public synchronized void init(ProcessingEnvironment env) {
        super.init(env);
        try {
            FILERS.put(JavacTask.instance(env), env.getFiler());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // Not javac (ECJ runs processors too): nothing to hand over; the plugin does not run there either.
        }
    }

    /** {@return the Filer of the compilation {@code task}, or {@code null} if annotation processing did not run} */
    static Filer filerOf(JavacTask task) {
        return FILERS.get(task);
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of("io.jasyncio.annotations.Async");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment roundEnv) {
        return true;
    }
}
