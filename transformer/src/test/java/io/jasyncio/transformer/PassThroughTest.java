package io.jasyncio.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.transformer.fixtures.Basics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, defect 1: what does not use jasyncio passes through the transformer and its hosts untouched, whatever
 * it is (a class file of a Java newer than ASM knows, an empty or garbage {@code .class}); what does use jasyncio
 * but cannot be read gets a clear message, never a raw exception from inside ASM.
 */
class PassThroughTest {
    private static final Transformer TRANSFORMER =
            new Transformer(ClassFileLocator.of(PassThroughTest.class.getClassLoader()));

    @TempDir
    Path dir;

    /** A plain class with its major version set to {@code major} (ASM 9.9 reads up to 70). */
    private static byte[] withVersion(byte[] classFile, int major) {
        byte[] b = classFile.clone();
        b[6] = (byte) (major >> 8);
        b[7] = (byte) major;
        return b;
    }

    private static final byte[] EMPTY = new byte[0];
    private static final byte[] GARBAGE = "not a class file at all, just text".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAGIC_ONLY = {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 71, 0};

    @Test
    void transform_unknownVersionWithoutJasyncio_passesThroughUntouched() throws Exception {
        for (int major : new int[] {71, 80, 0xFFFF}) {
            byte[] input = withVersion(TestClasses.plain("demo/Future"), major);
            TransformResult r = TRANSFORMER.transform(input);
            assertFalse(r.changed());
            assertSame(input, r.bytes());
            assertEquals("demo/Future", r.className(), "the name is read without ASM");
        }
    }

    @Test
    void transform_emptyOrGarbageFile_passesThroughUntouched() throws Exception {
        for (byte[] input : List.of(EMPTY, GARBAGE, MAGIC_ONLY, Arrays.copyOf(TestClasses.plain("demo/P"), 20))) {
            TransformResult r = TRANSFORMER.transform(input);
            assertFalse(r.changed());
            assertSame(input, r.bytes());
            assertNull(r.className(), "not a readable class file");
        }
    }

    @Test
    void transform_jasyncioClassOfUnknownVersion_saysNewerThanSupported() throws Exception {
        // 71 is past what ASM 9.9 reads: without the header check ASM throws IllegalArgumentException
        byte[] input = withVersion(BuildErrorsTest.bytes(Basics.class), 71);
        TransformException e = assertThrows(TransformException.class, () -> TRANSFORMER.transform(input));
        assertEquals("io.jasyncio.transformer.fixtures.Basics", e.problems().get(0).className());
        assertTrue(e.getMessage().contains("version 71 (Java 27) is newer than the jasyncio transformer supports"
                + " (up to Java 25, version 69)"), e.getMessage());
    }

    @Test
    void transform_truncatedJasyncioClass_saysMalformed() throws Exception {
        byte[] basics = BuildErrorsTest.bytes(Basics.class);
        // cut in the middle of the methods: the constant pool (with the names jasyncio scans for) is whole
        byte[] input = Arrays.copyOf(basics, basics.length - 200);
        TransformException e = assertThrows(TransformException.class, () -> TRANSFORMER.transform(input));
        assertEquals("io.jasyncio.transformer.fixtures.Basics", e.problems().get(0).className());
        assertTrue(e.getMessage().contains("the class file is malformed and cannot be read"), e.getMessage());
        // garbage that merely mentions jasyncio
        byte[] mentions = "garbage io/jasyncio/Asyncio".getBytes(StandardCharsets.US_ASCII);
        TransformException g = assertThrows(TransformException.class, () -> TRANSFORMER.transform(mentions));
        assertTrue(g.getMessage().contains("not a valid class file"), g.getMessage());
    }

    @Test
    void weave_folderWithUnreadableClassFiles_wovenAroundThem() throws Exception {
        String basics = "io/jasyncio/transformer/fixtures/Basics";
        TestClasses.write(dir, basics, BuildErrorsTest.bytes(Basics.class));
        TestClasses.write(dir, basics + "$Point", BuildErrorsTest.bytes(basics.replace('/', '.') + "$Point"));
        byte[] future = withVersion(TestClasses.plain("demo/Future"), 71);
        TestClasses.write(dir, "demo/Future", future);
        TestClasses.write(dir, "demo/Empty", EMPTY);
        TestClasses.write(dir, "demo/Garbage", GARBAGE);
        DirectoryWeaverTest.agedSnapshot(dir);
        Map<String, DirectoryWeaverTest.Snapshot> before = DirectoryWeaverTest.snapshot(dir);

        DirectoryWeaver.Summary s = new DirectoryWeaver(ClassFileLocator.of(getClass().getClassLoader())).weave(dir);

        assertEquals(1, s.woven());
        Map<String, DirectoryWeaverTest.Snapshot> after = DirectoryWeaverTest.snapshot(dir);
        for (String untouched : List.of("demo/Future.class", "demo/Empty.class", "demo/Garbage.class")) {
            assertEquals(before.get(untouched), after.get(untouched), untouched);
        }
        assertArrayEquals(future, Files.readAllBytes(dir.resolve("demo/Future.class")));
    }

    @Test
    void weaveJar_withUnreadableClassFiles_copiedAsTheyAre() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("demo/Future.class", withVersion(TestClasses.plain("demo/Future"), 71));
        entries.put("demo/Empty.class", EMPTY);
        entries.put("demo/Garbage.class", GARBAGE);
        Path jar = DirectoryWeaverTest.jar(dir.resolve("in.jar"), entries);
        Path out = dir.resolve("out.jar");

        assertEquals(new DirectoryWeaver.Summary(3, 0, 0, 3, 0),
                new DirectoryWeaver(ClasspathLocator.of(List.of())).weaveJar(jar, out));

        DirectoryWeaverTest.assertEntries(entries, out);
    }
}
