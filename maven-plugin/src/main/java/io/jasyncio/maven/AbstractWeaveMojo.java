package io.jasyncio.maven;

import io.jasyncio.transformer.ClassNamePatterns;
import io.jasyncio.transformer.ClasspathLocator;
import io.jasyncio.transformer.DirectoryWeaver;
import io.jasyncio.transformer.Problem;
import io.jasyncio.transformer.TransformException;
import io.jasyncio.transformer.WeaveListener;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * What the two goals share: weave one folder of class files in place with {@link DirectoryWeaver}, the class path
 * of the build being where the transformer looks up the classes that the woven code refers to.
 */
abstract class AbstractWeaveMojo extends AbstractMojo {
    /** Skips weaving (both goals). */
    @Parameter(property = "jasyncio.skip", defaultValue = "false")
    private boolean skip;

    /**
     * The classes to weave, by binary name: {@code com.acme.**} (a package and its subpackages), {@code com.acme.*}
     * (one package), {@code **.*Service}; none given: every class. See {@code ClassNamePatterns}.
     */
    @Parameter(property = "jasyncio.includes")
    private List<String> includes;

    /** The classes not to weave, even if included (same patterns); they are left as javac wrote them. */
    @Parameter(property = "jasyncio.excludes")
    private List<String> excludes;

    /** The project being built. */
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    /** {@return the project being built} */
    final MavenProject project() {
        return project;
    }

    /** {@return the folder to weave in place} */
    abstract File classesDirectory();

    /** {@return the class path of the classes in the folder, the folder itself included} */
    abstract List<String> classpath() throws DependencyResolutionRequiredException;

    /** {@return the source folders of the classes, to print a problem with its source file's full path} */
    abstract List<String> sourceRoots();

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("jasyncio: skipped");
            return;
        }
        Path dir = classesDirectory().toPath();
        if (!Files.isDirectory(dir)) {
            getLog().info("jasyncio: nothing to weave, no " + dir);
            return;
        }
        List<Path> classpath = new ArrayList<>();
        try {
            for (String element : classpath()) {
                classpath.add(Path.of(element));
            }
        } catch (DependencyResolutionRequiredException e) {
            throw new MojoExecutionException("jasyncio: the class path is not resolved: " + e.getMessage(), e);
        }
        long start = System.nanoTime();
        // The report: each problem as an error, with its source file's full path; the one-line summary.
        List<String> lines = new ArrayList<>();
        WeaveListener report = new WeaveListener() {
            @Override
            public void onProblem(Problem problem) {
                String line = format(problem);
                lines.add(line);
                getLog().error(line);
            }

            @Override
            public void onSummary(Path source, Path target, DirectoryWeaver.Summary summary) {
                getLog().info("jasyncio: " + WeaveListener.describe(summary) + " in "
                        + project.getBasedir().toPath().relativize(source) + ", "
                        + (System.nanoTime() - start) / 1_000_000 + " ms");
            }
        };
        try (ClasspathLocator locator = ClasspathLocator.of(classpath)) {
            // A build that changed nothing is told by a fingerprint of the folder, kept beside it in the build
            // folder (target/jasyncio/classes.state), without reading a class file.
            Path state = Path.of(project.getBuild().getDirectory(), "jasyncio", dir.getFileName() + ".state");
            String configuration = "plugin " + pluginVersion() + " includes " + includes + " excludes " + excludes;
            new DirectoryWeaver(locator).selecting(ClassNamePatterns.of(includes, excludes))
                    .incremental(state, configuration).listening(report).weave(dir);
        } catch (TransformException e) {
            long classes = e.problems().stream().map(Problem::className).distinct().count();
            MojoFailureException failure = new MojoFailureException("jasyncio cannot weave " + classes
                    + (classes == 1 ? " class" : " classes") + " of " + dir + " (" + lines.size()
                    + (lines.size() == 1 ? " problem" : " problems") + "):" + System.lineSeparator()
                    + String.join(System.lineSeparator(), lines));
            if (e.getCause() != null || e.getSuppressed().length > 0) {
                // The transformer itself failed: keep its stack traces for -e. (Not otherwise: Maven would print
                // every problem a second time, as the cause's message.)
                failure.initCause(e);
            }
            throw failure;
        } catch (IOException e) {
            throw new MojoExecutionException("jasyncio: cannot weave " + dir + ": " + e, e);
        }
    }

    /**
     * {@return what identifies the transformer weaving: its jar's path, size and time (a snapshot rebuilt with
     * another transformer makes the next build a full one)}
     */
    private static String pluginVersion() {
        try {
            Path jar = Path.of(DirectoryWeaver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar + " " + Files.size(jar) + " " + Files.getLastModifiedTime(jar);
        } catch (Exception e) { // no code source, or not a file: no state is trusted across plugin changes
            return "unknown " + System.nanoTime();
        }
    }

    /**
     * The problem as {@link Problem#format()} prints it, with the source file's full path when it is found in a
     * source folder ({@code /work/app/src/main/java/com/example/Fetcher.java:12: ...}), as javac's messages.
     */
    private String format(Problem p) {
        String text = p.format();
        if (p.sourceFile() == null || !text.startsWith(p.sourceFile())) {
            return text;
        }
        int dot = p.className().lastIndexOf('.');
        String packageDir = dot < 0 ? "" : p.className().substring(0, dot).replace('.', File.separatorChar);
        for (String root : sourceRoots()) {
            Path source = Path.of(root, packageDir, p.sourceFile());
            if (Files.isRegularFile(source)) {
                return source.getParent().toAbsolutePath() + File.separator + text;
            }
        }
        return text;
    }
}
