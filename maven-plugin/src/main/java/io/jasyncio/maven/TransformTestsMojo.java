package io.jasyncio.maven;

import java.io.File;
import java.util.List;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Weaves the {@code @Async} methods of the test classes ({@code target/test-classes}) into coroutines, in place,
 * as {@code transform} does for the main classes.
 */
@Mojo(name = "transform-tests", defaultPhase = LifecyclePhase.PROCESS_TEST_CLASSES,
        requiresDependencyResolution = ResolutionScope.TEST, threadSafe = true)
public final class TransformTestsMojo extends AbstractWeaveMojo {
    /** The folder of test class files to weave. */
    @Parameter(defaultValue = "${project.build.testOutputDirectory}", required = true)
    private File testClassesDirectory;

    /** Creates the goal (Maven does). */
    public TransformTestsMojo() {
    }

    @Override
    File classesDirectory() {
        return testClassesDirectory;
    }

    @Override
    List<String> classpath() throws DependencyResolutionRequiredException {
        return project().getTestClasspathElements();
    }

    @Override
    List<String> sourceRoots() {
        return project().getTestCompileSourceRoots();
    }
}
