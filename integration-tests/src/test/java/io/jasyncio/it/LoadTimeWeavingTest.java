package io.jasyncio.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Coroutine;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs only in the surefire execution {@code under-the-agent} (see the pom): proves that the construct and rule
 * tests running beside it use classes that the java agent wove as they loaded, not classes woven at build time.
 */
class LoadTimeWeavingTest {

    @Test
    void theSuiteIsWovenByTheAgentNotAtBuildTime() throws IOException, URISyntaxException {
        Path classes = Path.of(Constructs.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(classes.endsWith("agent-test-classes"), "not the agent's copy of the suite: " + classes);
        List<String> frameFiles;
        try (Stream<Path> files = Files.walk(classes)) {
            frameFiles = files.map(p -> p.getFileName().toString()).filter(n -> n.contains("$$Async$"))
                    .collect(Collectors.toList());
        }
        assertEquals(List.of(), frameFiles, "frame classes were written at build time");

        Coroutine<String> c = Constructs.val("x", false);
        assertTrue(c.getClass().getName().startsWith(Constructs.class.getName() + "$$Async$"),
                "Constructs.val was not woven at load time: it returned " + c.getClass());
    }
}
