package io.jasyncio.transformer;

import io.jasyncio.transformer.DirectoryWeaver.Summary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The state file of an incremental weaver ({@link DirectoryWeaver#incremental}): a fingerprint of the folder as the
 * last successful run left it, so that a run finding it so reads no class file.
 */
final class FolderState {
    private static final String CLASS = ClassFiles.CLASS;

    private final Path stateFile;
    private final String configuration;

    FolderState(Path stateFile, String configuration) {
        this.stateFile = stateFile;
        this.configuration = configuration;
    }

    /** Forgets the last run: the state is written again only after a run that succeeds. */
    void clear() throws IOException {
        Files.deleteIfExists(stateFile);
    }

    /** Records that {@code fingerprint} is the folder as a run that produced {@code summary} left it. */
    void save(String fingerprint, Summary summary) throws IOException {
        Files.createDirectories(stateFile.toAbsolutePath().getParent());
        Path tmp = ClassFiles.temporaryFile(stateFile.toAbsolutePath());
        try {
            Files.writeString(tmp, STATE_HEADER + "\n" + fingerprint + "\n" + summary.scanned() + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            ClassFiles.move(tmp, stateFile);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The first line of a state file: its format, and the woven-code protocol it was written for. */
    static final String STATE_HEADER = "jasyncio-state 3 protocol " + Transformer.PROTOCOL;

    /**
     * A fingerprint of the configuration and of each class file's path, size and modification time (in ms): a
     * 64-bit mix of each file's facts, summed (so the order of the listing does not matter), with the count. A
     * change of any file changes its term, and the sum with it but for a chance of 2^-64. Listed with
     * {@code java.io.File}, whose two system calls a file cost a third of a walk of NIO's in a cold JVM; links are
     * followed, to a depth that a loop of links passes (then the fingerprint is one that no state matches).
     */
    String fingerprint(Path directory) {
        long[] acc = {mix(configuration.hashCode()), 0};
        if (!fingerprint(directory.toFile(), "", acc, 0)) {
            return "loop " + System.nanoTime();
        }
        return acc[1] + " " + Long.toHexString(acc[0]);
    }

    private static boolean fingerprint(java.io.File folder, String prefix, long[] acc, int depth) {
        String[] names = folder.list();
        if (names == null || depth > 200) {
            return names != null;
        }
        for (String name : names) {
            java.io.File f = new java.io.File(folder, name);
            if (name.endsWith(CLASS)) {
                long h = mix((prefix + name).hashCode());
                h = mix(h ^ f.length());
                acc[0] += mix(h ^ f.lastModified());
                acc[1]++;
            } else if (f.isDirectory() && !fingerprint(f, prefix + name + "/", acc, depth + 1)) {
                return false;
            }
        }
        return true;
    }

    /** SplitMix64's finalizer: every bit of the input changes about half the bits of the output. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** {@return the summary of a run that finds the folder as the state file says the last run left it, or null} */
    Summary unchangedSince(String fingerprint) throws IOException {
        if (!Files.isRegularFile(stateFile)) {
            return null;
        }
        String[] lines = Files.readString(stateFile, StandardCharsets.UTF_8).split("\n");
        if (lines.length != 3 || !lines[0].equals(STATE_HEADER) || !lines[1].equals(fingerprint)) {
            return null;
        }
        try {
            int scanned = Integer.parseInt(lines[2]);
            return new Summary(scanned, 0, 0, scanned, 0);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
