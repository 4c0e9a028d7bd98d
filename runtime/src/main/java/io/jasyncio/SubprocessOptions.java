package io.jasyncio;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link Asyncio#createSubprocessExec(SubprocessOptions, String, String...)} and
 * {@link Asyncio#createSubprocessShell(SubprocessOptions, String)} start a child: where its standard streams go,
 * its working directory, its environment, and the limit of its output readers (asyncio's keyword arguments
 * {@code stdin}, {@code stdout}, {@code stderr}, {@code cwd}, {@code env}, {@code limit}).
 *
 * <pre>{@code
 * AsyncProcess p = await(createSubprocessExec(SubprocessOptions.pipes().withDirectory(dir), "git", "status"));
 * }</pre>
 *
 * @param stdin       the child's standard input
 * @param stdout      its standard output
 * @param stderr      its standard error ({@link Stdio#STDOUT}: merged into the output)
 * @param directory   its working directory, or {@code null} for this JVM's
 * @param environment its whole environment, or {@code null} for this JVM's (as asyncio's {@code env})
 * @param limit       the {@link StreamReader#limit() limit} of the output readers, in bytes
 */
public record SubprocessOptions(Stdio stdin, Stdio stdout, Stdio stderr, Path directory,
                                Map<String, String> environment, int limit) {
    /**
     * Checks the streams and the limit, and freezes the environment.
     *
     * @param stdin see the record's {@code stdin}
     * @param stdout see the record's {@code stdout}
     * @param stderr see the record's {@code stderr}
     * @param directory see the record's {@code directory}
     * @param environment see the record's {@code environment}
     * @param limit see the record's {@code limit}
     */
    public SubprocessOptions {
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        if (stdin == Stdio.STDOUT || stdout == Stdio.STDOUT) {
            throw new IllegalArgumentException("Stdio.STDOUT is for stderr only");
        }
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be > 0, not " + limit);
        }
        if (environment != null) {
            environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        }
    }

    /** {@return the defaults: every stream inherited (asyncio's default), the 64 KiB limit} */
    public static SubprocessOptions defaults() {
        return new SubprocessOptions(Stdio.INHERIT, Stdio.INHERIT, Stdio.INHERIT, null, null, StreamReader.DEFAULT_LIMIT);
    }

    /** {@return every stream a {@link Stdio#PIPE pipe}, the 64 KiB limit} */
    public static SubprocessOptions pipes() {
        return new SubprocessOptions(Stdio.PIPE, Stdio.PIPE, Stdio.PIPE, null, null, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * Where the child's standard input comes from.
     *
     * @param in where standard input comes from
     * @return these options with it
     */
    public SubprocessOptions withStdin(Stdio in) {
        return new SubprocessOptions(in, stdout, stderr, directory, environment, limit);
    }

    /**
     * Where the child's standard output goes.
     *
     * @param out where standard output goes
     * @return these options with it
     */
    public SubprocessOptions withStdout(Stdio out) {
        return new SubprocessOptions(stdin, out, stderr, directory, environment, limit);
    }

    /**
     * Where the child's standard error goes.
     *
     * @param err where standard error goes ({@link Stdio#STDOUT}: with standard output)
     * @return these options with it
     */
    public SubprocessOptions withStderr(Stdio err) {
        return new SubprocessOptions(stdin, stdout, err, directory, environment, limit);
    }

    /**
     * The child's working directory.
     *
     * @param dir the working directory, or {@code null} for this JVM's
     * @return these options with it
     */
    public SubprocessOptions withDirectory(Path dir) {
        return new SubprocessOptions(stdin, stdout, stderr, dir, environment, limit);
    }

    /**
     * The child's whole environment.
     *
     * @param env the child's whole environment, or {@code null} for a copy of this JVM's
     * @return these options with it
     */
    public SubprocessOptions withEnvironment(Map<String, String> env) {
        return new SubprocessOptions(stdin, stdout, stderr, directory, env, limit);
    }

    /**
     * One variable set in the child's environment, on top of the environment given so far (this JVM's if none).
     *
     * @param name  the variable
     * @param value its value
     * @return these options with it
     */
    public SubprocessOptions withEnv(String name, String value) {
        Map<String, String> env = new LinkedHashMap<>(environment == null ? System.getenv() : environment);
        env.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return withEnvironment(env);
    }

    /**
     * The limit of the child's output readers.
     *
     * @param bytes the output readers' limit
     * @return these options with it
     */
    public SubprocessOptions withLimit(int bytes) {
        return new SubprocessOptions(stdin, stdout, stderr, directory, environment, bytes);
    }
}
