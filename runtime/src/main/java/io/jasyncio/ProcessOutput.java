package io.jasyncio;

import java.nio.charset.Charset;
import java.util.Arrays;

/**
 * What {@link AsyncProcess#communicate(byte[])} read: the child's whole standard output and error (asyncio's
 * {@code (stdout_data, stderr_data)} tuple).
 *
 * @param stdout everything the child wrote to its standard output, or {@code null} if it was not a pipe
 * @param stderr everything it wrote to its standard error, or {@code null} if it was not a pipe
 */
public record ProcessOutput(byte[] stdout, byte[] stderr) {
    /**
     * {@return the standard output decoded with {@code charset}, or {@code null}}
     *
     * @param charset the output's encoding
     */
    public String stdoutText(Charset charset) {
        return stdout == null ? null : new String(stdout, charset);
    }

    /**
     * {@return the standard error decoded with {@code charset}, or {@code null}}
     *
     * @param charset the error's encoding
     */
    public String stderrText(Charset charset) {
        return stderr == null ? null : new String(stderr, charset);
    }

    /** Equal when both outputs hold the same bytes. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ProcessOutput && Arrays.equals(stdout, ((ProcessOutput) o).stdout)
                && Arrays.equals(stderr, ((ProcessOutput) o).stderr);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(stdout) + Arrays.hashCode(stderr);
    }

    @Override
    public String toString() {
        return "ProcessOutput[stdout=" + (stdout == null ? "null" : stdout.length + " bytes") + ", stderr="
                + (stderr == null ? "null" : stderr.length + " bytes") + "]";
    }
}
