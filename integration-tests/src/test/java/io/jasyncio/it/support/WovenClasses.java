package io.jasyncio.it.support;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * Checks a folder of woven class files: each passes ASM's CheckClassAdapter, then is loaded, linked and initialised
 * in a fresh class loader, which runs the JVM's verifier on it. Used by JavacPluginTest and by the verify scripts of
 * the sample builds under src/it (the invoker adds the test class path to theirs).
 */
public final class WovenClasses {
    private WovenClasses() {
    }

    /**
     * Checks every class of {@code dir}.
     *
     * @param dir a folder of class files
     * @param libraries what the classes need besides the JDK (the runtime and annotations jars)
     * @return how many classes carry the woven marker
     * @throws AssertionError naming the class that fails
     */
    public static int verify(Path dir, List<Path> libraries) throws IOException {
        List<URL> urls = new ArrayList<>(List.of(dir.toUri().toURL()));
        for (Path lib : libraries) {
            urls.add(lib.toUri().toURL());
        }
        int woven = 0;
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
             Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".class")).sorted().collect(Collectors.toList())) {
                byte[] bytes = Files.readAllBytes(p);
                StringWriter report = new StringWriter();
                CheckClassAdapter.verify(new ClassReader(bytes), loader, false, new PrintWriter(report));
                if (!report.toString().isEmpty()) {
                    throw new AssertionError("CheckClassAdapter on " + p + ":\n" + report);
                }
                String name = dir.relativize(p).toString().replace(File.separatorChar, '.');
                try {
                    Class.forName(name.substring(0, name.length() - ".class".length()), true, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    throw new AssertionError("cannot load " + p + ": " + e, e);
                }
                if (new String(bytes, StandardCharsets.ISO_8859_1).contains("Lio/jasyncio/internal/WovenByJasyncio;")) {
                    woven++;
                }
            }
        }
        return woven;
    }
}
