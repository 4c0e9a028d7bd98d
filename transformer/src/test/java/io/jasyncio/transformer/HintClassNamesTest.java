package io.jasyncio.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every {@code io.jasyncio.X} class that a build error tells the user about must exist: the message for
 * {@code await} inside {@code synchronized}, for instance, says to use {@code io.jasyncio.Lock}. The names are
 * taken from two places: the messages that the {@link BuildErrorsTest} fixtures really produce (which catches a
 * name built from several literals), and every string literal of the transformer's main sources (which catches a
 * message no fixture triggers). The runtime and the annotations are on this module's test class path.
 */
class HintClassNamesTest {
    /** A dotted class name under {@code io.jasyncio}: lowercase package segments, then a capitalized class. */
    private static final Pattern CLASS_NAME =
            Pattern.compile("io\\.jasyncio(?:\\.[a-z_][a-z0-9_]*)*\\.[A-Z][A-Za-z0-9_$]*");
    /** A Java string literal (no text blocks in these sources). */
    private static final Pattern STRING_LITERAL = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
    private static final Path MAIN_SOURCES = Path.of("src/main/java");
    private static final Path BAD_FIXTURES = Path.of("src/test/java/io/jasyncio/transformer/badfixtures");

    /** {@return the io.jasyncio class names mentioned in {@code texts}, sorted} */
    static Set<String> classNames(List<String> texts) {
        Set<String> names = new TreeSet<>();
        for (String text : texts) {
            Matcher m = CLASS_NAME.matcher(text);
            while (m.find()) {
                names.add(m.group());
            }
        }
        return names;
    }

    /** {@return those of {@code names} that are no class on the test class path} */
    static List<String> missing(Set<String> names) {
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            try {
                Class.forName(name, false, HintClassNamesTest.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                missing.add(name);
            }
        }
        return missing;
    }

    /** The messages of the problems that weaving each bad fixture reports. */
    private static List<String> fixtureMessages() throws IOException {
        Transformer transformer = new Transformer(ClassFileLocator.of(HintClassNamesTest.class.getClassLoader()));
        List<String> messages = new ArrayList<>();
        try (Stream<Path> files = Files.list(BAD_FIXTURES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String simpleName = file.getFileName().toString().replace(".java", "");
                byte[] bytes = BuildErrorsTest.bytes("io.jasyncio.transformer.badfixtures." + simpleName);
                TransformException e = assertThrows(TransformException.class, () -> transformer.transform(bytes),
                        simpleName + " is a bad fixture: weaving it must fail");
                for (Problem p : e.problems()) {
                    messages.add(p.message());
                }
            }
        }
        return messages;
    }

    /** The contents of every string literal in the transformer's main sources. */
    private static List<String> mainSourceLiterals() throws IOException {
        List<String> literals = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                Matcher m = STRING_LITERAL.matcher(Files.readString(file));
                while (m.find()) {
                    literals.add(m.group(1));
                }
            }
        }
        return literals;
    }

    @Test
    void everyClassNamedByAFixturesBuildErrorExists() throws IOException {
        Set<String> names = classNames(fixtureMessages());
        // the hint of AwaitInSynchronized, and the return-type rule of NotCoroutine
        assertTrue(names.containsAll(Set.of("io.jasyncio.Lock", "io.jasyncio.Coroutine")), names.toString());
        assertEquals(List.of(), missing(names), "build errors name classes that do not exist");
    }

    @Test
    void everyClassNamedInAStringOfTheTransformerExists() throws IOException {
        Set<String> names = classNames(mainSourceLiterals());
        assertTrue(names.contains("io.jasyncio.Lock"), names.toString());
        assertEquals(List.of(), missing(names), "the transformer's strings name classes that do not exist");
    }

    /** The check itself: a hint that names a class the runtime lacks is found. */
    @Test
    void aHintNamingAMissingClassIsFound() {
        Set<String> names = classNames(List.of("the method would hold the monitor; use io.jasyncio.NoSuchLock instead",
                "an @Async method must return io.jasyncio.Coroutine, not java.lang.String"));
        assertEquals(Set.of("io.jasyncio.NoSuchLock", "io.jasyncio.Coroutine"), names);
        assertEquals(List.of("io.jasyncio.NoSuchLock"), missing(names));
    }
}
