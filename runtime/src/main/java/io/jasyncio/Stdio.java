package io.jasyncio;

import java.io.File;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a child process's standard input, output or error goes (asyncio's {@code stdin=}, {@code stdout=},
 * {@code stderr=} arguments): {@link #PIPE} to the loop, {@link #DEVNULL}, {@link #INHERIT}ed from this JVM,
 * {@link #STDOUT} (standard error only: merged into standard output), or a {@link #file file}.
 *
 * @see SubprocessOptions
 */
public final class Stdio {
    /** A pipe to this program: {@link AsyncProcess#stdin()}, {@link AsyncProcess#stdout()}, {@link AsyncProcess#stderr()}. */
    public static final Stdio PIPE = new Stdio("PIPE", null, null);
    /** Nothing: an empty input, an output thrown away ({@code /dev/null}). */
    public static final Stdio DEVNULL = new Stdio("DEVNULL", null, null);
    /** This JVM's own stream (asyncio's default, {@code None}). */
    public static final Stdio INHERIT = new Stdio("INHERIT", null, null);
    /** For standard error only: into the same place as standard output. */
    public static final Stdio STDOUT = new Stdio("STDOUT", null, null);

    private final String kind;
    private final Path file;
    private final Boolean append;

    private Stdio(String kind, Path file, Boolean append) {
        this.kind = kind;
        this.file = file;
        this.append = append;
    }

    /**
     * A file: read as standard input, or written (truncated first) as an output.
     *
     * @param file the file
     * @return the redirection
     */
    public static Stdio file(Path file) {
        return new Stdio("file", Objects.requireNonNull(file, "file"), false);
    }

    /**
     * A file that an output is appended to.
     *
     * @param file the file, created if missing
     * @return the redirection
     */
    public static Stdio append(Path file) {
        return new Stdio("append", Objects.requireNonNull(file, "file"), true);
    }

    boolean isPipe() {
        return this == PIPE;
    }

    /** {@return the JDK's redirect for the stream named {@code stream} ("stdin", "stdout", "stderr")} */
    Redirect toRedirect(String stream) {
        boolean input = stream.equals("stdin");
        if (this == PIPE) {
            return Redirect.PIPE;
        }
        if (this == INHERIT) {
            return Redirect.INHERIT;
        }
        if (this == DEVNULL) {
            return input ? Redirect.from(new File(nullDevice())) : Redirect.DISCARD;
        }
        if (this == STDOUT) {
            throw new IllegalArgumentException("Stdio.STDOUT is for stderr only, not " + stream);
        }
        if (input) {
            if (append) {
                throw new IllegalArgumentException("Stdio.append(" + file + ") is for an output, not stdin");
            }
            return Redirect.from(file.toFile());
        }
        return append ? Redirect.appendTo(file.toFile()) : Redirect.to(file.toFile());
    }

    private static String nullDevice() {
        return System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null";
    }

    @Override
    public String toString() {
        return file == null ? "Stdio." + kind : "Stdio." + kind + "(" + file + ")";
    }
}
