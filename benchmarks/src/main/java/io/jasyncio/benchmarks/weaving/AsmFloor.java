package io.jasyncio.benchmarks.weaving;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.tree.ClassNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The floor under a fresh weave: what a cold JVM spends listing a folder of class files, reading them, passing each
 * through ASM's tree API unchanged ({@code ClassReader} into a {@code ClassNode}, back out through
 * {@code ClassWriter(0)}: no analysis, no weaving) and writing them back, with the ASM version the transformer
 * shades. Any transformer built on ASM's tree API pays at least this; docs/benchmarks.md compares it with the weave.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.jasyncio.benchmarks.weaving.AsmFloor DIR [--parallel]</pre>
 *
 * <p>It rewrites the class files of {@code DIR} in place (with the same bytes, as far as ASM round-trips them):
 * run it on a copy.
 */
public final class AsmFloor {
    private AsmFloor() {
    }

    /**
     * Runs the round trip once and prints the time of each step.
     *
     * @param args the folder, then {@code --parallel} to transform on the common fork-join pool as the weaver does
     * @throws IOException if a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: AsmFloor DIR [--parallel]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        boolean parallel = args.length > 1 && args[1].equals("--parallel");
        long t0 = System.nanoTime();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> p.toString().endsWith(".class")).sorted().toList();
        }
        long t1 = System.nanoTime();
        List<byte[]> in = new ArrayList<>();
        for (Path p : files) {
            in.add(Files.readAllBytes(p));
        }
        long t2 = System.nanoTime();
        List<byte[]> out = (parallel ? in.parallelStream() : in.stream()).map(AsmFloor::roundTrip).toList();
        long t3 = System.nanoTime();
        for (int i = 0; i < files.size(); i++) {
            Files.write(files.get(i), out.get(i));
        }
        long t4 = System.nanoTime();
        long bytes = out.stream().mapToLong(b -> b.length).sum();
        if (bytes == 0 && !files.isEmpty()) {
            throw new UncheckedIOException(new IOException("nothing written"));
        }
        System.out.printf("%d class files (%d bytes): list %d ms, read %d ms, ASM tree round trip %d ms, write %d ms%n",
                files.size(), bytes, ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), ms(t4 - t3));
    }

    private static byte[] roundTrip(byte[] classFile) {
        ClassNode cn = new ClassNode();
        new ClassReader(classFile).accept(cn, 0);
        ClassWriter cw = new ClassWriter(0);
        cn.accept(cw);
        return cw.toByteArray();
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
