package io.jasyncio.transformer;

import java.nio.file.Path;

/**
 * What a host hears of a weaving run: the one interface through which the Maven plugin, the command line and the
 * java agent report (as ByteBuddy's {@code Plugin.Engine.Listener}). {@link DirectoryWeaver} calls it for the
 * folders and jars it weaves ({@link DirectoryWeaver#listening(WeaveListener)}); the agent, which weaves one
 * class at a time, calls {@link #onWoven} and {@link #onProblem} itself. Every method does nothing by default.
 *
 * <p>The calls of one run come from the thread that called the weaver, in the sorted order of the class paths:
 * every {@link #onWoven} (after the class was written), or every {@link #onProblem} (then nothing was written and
 * the run throws), then one {@link #onSummary} if the run succeeded.
 */
public interface WeaveListener {
    /** A listener that does nothing. */
    WeaveListener NONE = new WeaveListener() {
    };

    /**
     * Called when a class was woven.
     *
     * @param className the class's binary name ({@code com.acme.Fetcher})
     * @param methods how many coroutine methods ({@code @Async} methods and lambda bodies) were woven in it
     */
    default void onWoven(String className, int methods) {
    }

    /**
     * Called for each problem that keeps a class from being woven.
     *
     * @param problem the problem, with its class, method, source file and line
     */
    default void onProblem(Problem problem) {
    }

    /**
     * Called when a folder or a jar was woven.
     *
     * @param source the folder or jar woven
     * @param target where the result was written: the folder itself, or the woven jar
     * @param summary what was done
     */
    default void onSummary(Path source, Path target, DirectoryWeaver.Summary summary) {
    }

    /**
     * The one-line report of a run that the hosts print, such as {@code 12 classes scanned, 2 woven (5 methods),
     * 5 frame classes written, 10 unchanged, 0 stale frame classes deleted}.
     *
     * @param s what a run did
     * @return the sentence
     */
    static String describe(DirectoryWeaver.Summary s) {
        return s.scanned() + " classes scanned, " + s.woven() + " woven (" + s.methodsWoven()
                + (s.methodsWoven() == 1 ? " method), " : " methods), ") + s.framesWritten()
                + " frame classes written, " + s.skipped() + " unchanged, " + s.staleDeleted()
                + " stale frame classes deleted"
                + (s.signatureFilesDropped() == 0 ? "" : "; THE JAR WAS SIGNED: its " + s.signatureFilesDropped()
                + " signature files were left out, the woven jar is unsigned");
    }
}
