package io.jasyncio.maven;

import java.io.File;
import java.util.List;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Weaves the {@code @Async} methods of the main classes ({@code target/classes}) into coroutines, in place.
 *
 * <p>A class that misuses jasyncio ({@code await} outside an {@code @Async} method, ...) fails the build; every
 * problem is listed with its source file and line. Classes woven by an earlier build are left untouched, so an
 * incremental build rewrites only what javac wrote again; classes woven by another jasyncio version (left in
 * {@code target/classes} across an upgrade) fail the build with a request to {@code mvn clean}.
 */
@Mojo(name = "transform", defaultPhase = LifecyclePhase.PROCESS_CLASSES,
        requiresDependencyResolution = ResolutionScope.COMPILE, threadSafe = true)
public final class TransformMojo extends AbstractWeaveMojo {
    /** The folder of class files to weave. */
    @Parameter(defaultValue = "${project.build.outputDirectory}", required = true)
    private File classesDirectory;

    /** Creates the goal (Maven does). */
    public TransformMojo() {
    }

    @Override
    File classesDirectory() {
        return classesDirectory;
    }

    @Override
    List<String> classpath() throws DependencyResolutionRequiredException {
        return project().getCompileClasspathElements();
    }

    @Override
    List<String> sourceRoots() {
        return project().getCompileSourceRoots();
    }
}
