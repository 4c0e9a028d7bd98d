package io.jasyncio.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryWeaverTest {
    private static final FileTime OLD = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));

    @TempDir
    Path dir;

    private final DirectoryWeaver weaver = new DirectoryWeaver(ClasspathLocator.of(List.of()));

    @Test
    void weave_classesWithoutJasyncio_nothingWritten() throws Exception {
        TestClasses.write(dir, "demo/Plain", TestClasses.plain("demo/Plain"));
        TestClasses.write(dir, "demo/sub/Other", TestClasses.plain("demo/sub/Other"));
        Files.writeString(dir.resolve("demo/readme.txt"), "not a class");
        Map<String, Snapshot> before = agedSnapshot(dir);

        DirectoryWeaver.Summary summary = weaver.weave(dir);

        assertEquals(new DirectoryWeaver.Summary(2, 0, 0, 2, 0), summary);
        assertEquals(before, snapshot(dir));
    }

    @Test
    void weave_twice_secondRunChangesNothing() throws Exception {
        TestClasses.write(dir, "demo/Plain", TestClasses.plain("demo/Plain"));
        TestClasses.write(dir, "demo/Woven", TestClasses.markedWoven("demo/Woven"));
        TestClasses.write(dir, "demo/Woven$$Async$run", TestClasses.frame("demo/Woven$$Async$run"));
        weaver.weave(dir);
        Map<String, Snapshot> afterFirst = agedSnapshot(dir);

        assertEquals(new DirectoryWeaver.Summary(2, 0, 0, 2, 0), weaver.weave(dir));
        assertEquals(afterFirst, snapshot(dir));
    }

    @Test
    void weave_classWovenForAnotherProtocol_refusedWithWhatToDo() throws Exception {
        // target/classes woven by an older jasyncio, then the plugin upgraded without mvn clean: javac does not
        // compile the unchanged sources again, and their original code is gone
        TestClasses.write(dir, "demo/Old", TestClasses.markedWoven("demo/Old", null));
        TestClasses.write(dir, "demo/Newer", TestClasses.markedWoven("demo/Newer", Transformer.PROTOCOL + 1));
        Map<String, Snapshot> before = agedSnapshot(dir);

        TransformException e = assertThrows(TransformException.class, () -> weaver.weave(dir));

        assertEquals(List.of("demo.Newer", "demo.Old"),
                e.problems().stream().map(Problem::className).collect(Collectors.toList()));
        assertTrue(e.problems().get(1).message().contains("woven-code protocol 1; this transformer writes "
                + Transformer.PROTOCOL), e.getMessage());
        assertTrue(e.getMessage().contains("mvn clean"), e.getMessage());
        assertEquals(before, snapshot(dir), "nothing written nor deleted");
    }

    @Test
    void weave_failingClasses_allProblemsAndNothingWritten() throws Exception {
        TestClasses.write(dir, "demo/Plain", TestClasses.plain("demo/Plain"));
        TestClasses.write(dir, "demo/Bad", TestClasses.awaitOutsideAsync("demo/Bad"));
        TestClasses.write(dir, "demo/z/Worse", TestClasses.awaitOutsideAsync("demo/z/Worse"));
        TestClasses.write(dir, "demo/Gone$$Async$run", TestClasses.frame("demo/Gone$$Async$run"));
        Map<String, Snapshot> before = agedSnapshot(dir);

        TransformException e = assertThrows(TransformException.class, () -> weaver.weave(dir));

        List<String> failed = e.problems().stream().map(Problem::className).distinct().collect(Collectors.toList());
        assertEquals(List.of("demo.Bad", "demo.z.Worse"), failed);
        assertEquals(before, snapshot(dir), "nothing written nor deleted");
        TestClasses.assertAwaitOutsideAsync(e, "demo/Bad");
        TestClasses.assertAwaitOutsideAsync(e, "demo/z/Worse");
    }

    @Test
    void weave_frameClasses_notTransformed() throws Exception {
        // A frame class is never given to the transformer, even one that calls await (as real frames do).
        TestClasses.write(dir, "demo/Woven", TestClasses.markedWoven("demo/Woven"));
        TestClasses.write(dir, "demo/Woven$$Async$run",
                TestClasses.frame(TestClasses.awaitOutsideAsync("demo/Woven$$Async$run")));

        assertEquals(new DirectoryWeaver.Summary(1, 0, 0, 1, 0), weaver.weave(dir));
        assertTrue(Files.exists(dir.resolve("demo/Woven$$Async$run.class")));
    }

    @Test
    void weave_staleFrames_deleted() throws Exception {
        TestClasses.write(dir, "demo/Woven", TestClasses.markedWoven("demo/Woven"));
        TestClasses.write(dir, "demo/Woven$$Async$run", TestClasses.frame("demo/Woven$$Async$run"));
        // javac wrote Plain again and it no longer uses jasyncio; Gone's source was deleted.
        TestClasses.write(dir, "demo/Plain", TestClasses.plain("demo/Plain"));
        TestClasses.write(dir, "demo/Plain$$Async$run", TestClasses.frame("demo/Plain$$Async$run"));
        TestClasses.write(dir, "demo/Gone$$Async$run", TestClasses.frame("demo/Gone$$Async$run"));
        // Not frames of Plain: a nested class of Plain, and a class whose name merely starts like it.
        TestClasses.write(dir, "demo/Plain$Inner", TestClasses.plain("demo/Plain$Inner"));
        TestClasses.write(dir, "demo/Plain$Inner$$Async$x", TestClasses.frame("demo/Plain$Inner$$Async$x"));

        assertEquals(new DirectoryWeaver.Summary(3, 0, 0, 3, 3), weaver.weave(dir));

        assertEquals(List.of("demo/Plain$Inner.class", "demo/Plain.class", "demo/Woven$$Async$run.class",
                "demo/Woven.class"), List.copyOf(snapshot(dir).keySet()));
    }

    /** Issue 10: a user's class whose name merely contains $$Async$ was deleted as a "stale frame class". */
    @Test
    void weave_userClassNamedLikeAFrame_keptAndGivenToTheTransformer() throws Exception {
        TestClasses.write(dir, "demo/My$$Async$Thing", TestClasses.plain("demo/My$$Async$Thing"));
        TestClasses.write(dir, "demo/Gone$$Async$run", TestClasses.plain("demo/Gone$$Async$run")); // no demo/Gone
        TestClasses.write(dir, "demo/Woven", TestClasses.markedWoven("demo/Woven"));
        TestClasses.write(dir, "demo/Woven$$Async$run", TestClasses.plain("demo/Woven$$Async$run")); // unmarked
        Map<String, Snapshot> before = agedSnapshot(dir);

        assertEquals(new DirectoryWeaver.Summary(4, 0, 0, 4, 0), weaver.weave(dir));
        assertEquals(before, snapshot(dir), "nothing deleted nor written");

        // given to the transformer like any class: its misuse is reported
        TestClasses.write(dir, "demo/Bad$$Async$x", TestClasses.awaitOutsideAsync("demo/Bad$$Async$x"));
        TransformException e = assertThrows(TransformException.class, () -> weaver.weave(dir));
        TestClasses.assertAwaitOutsideAsync(e, "demo/Bad$$Async$x");
    }

    @Test
    void weave_framesOfBeforeTheMarker_stillRecognisedByTheirShape() throws Exception {
        // frame classes written before FRAME_MARKER existed: synthetic subclasses of Coroutine, which javac never
        // writes; stale ones (their class is gone) are deleted
        org.objectweb.asm.ClassWriter cw = new org.objectweb.asm.ClassWriter(0);
        cw.visit(org.objectweb.asm.Opcodes.V17, org.objectweb.asm.Opcodes.ACC_FINAL
                        | org.objectweb.asm.Opcodes.ACC_SYNTHETIC | org.objectweb.asm.Opcodes.ACC_SUPER,
                "demo/Gone$$Async$run", null, "io/jasyncio/Coroutine", null);
        cw.visitEnd();
        TestClasses.write(dir, "demo/Gone$$Async$run", cw.toByteArray());

        assertEquals(new DirectoryWeaver.Summary(0, 0, 0, 0, 1), weaver.weave(dir));
        assertEquals(List.of(), List.copyOf(snapshot(dir).keySet()));
    }

    @Test
    void weaveJar_userClassNamedLikeAFrame_kept() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("demo/My$$Async$Thing.class", TestClasses.plain("demo/My$$Async$Thing"));
        entries.put("demo/Gone$$Async$run.class", TestClasses.plain("demo/Gone$$Async$run"));
        Path jar = jar(dir.resolve("in.jar"), entries);
        Path out = dir.resolve("out.jar");

        assertEquals(new DirectoryWeaver.Summary(2, 0, 0, 2, 0), weaver.weaveJar(jar, out));
        assertEntries(entries, out);
    }

    @Test
    void weave_generatedFrames_carryTheMarker() throws Exception {
        copyFixture(dir, BASICS);
        copyFixture(dir, BASICS + "$Point");
        fixtureWeaver().weave(dir);
        List<String> frames = frameFiles(dir);
        assertFalse(frames.isEmpty());
        for (String f : frames) {
            assertTrue(Transformer.isGeneratedClass(Files.readAllBytes(dir.resolve(f))), f);
        }
        assertFalse(Transformer.isGeneratedClass(Files.readAllBytes(dir.resolve(BASICS + ".class"))));
    }

    /** Issue 10: a class folder that is a symbolic link was silently not woven ("0 classes scanned"). */
    @Test
    void weave_folderThatIsASymbolicLink_woven() throws Exception {
        Path real = dir.resolve("real");
        copyFixture(real, BASICS);
        copyFixture(real, BASICS + "$Point");
        Path link = Files.createSymbolicLink(dir.resolve("classes"), real);

        DirectoryWeaver.Summary s = fixtureWeaver().weave(link);

        assertEquals(2, s.scanned());
        assertEquals(1, s.woven());
        assertFalse(frameFiles(real).isEmpty());
        assertEquals("p0-p1+p2-", runLoops(real));
    }

    /** Issue 10: symlinked package folders were silently skipped. */
    @Test
    void weave_symbolicLinksToPackageFoldersAndClassFiles_wovenThroughThem() throws Exception {
        Path classes = dir.resolve("classes");
        Path elsewhere = dir.resolve("elsewhere");
        copyFixture(elsewhere, BASICS);
        copyFixture(elsewhere, BASICS + "$Point");
        Files.createDirectories(classes);
        Files.createSymbolicLink(classes.resolve("io"), elsewhere.resolve("io"));
        Path other = dir.resolve("other");
        TestClasses.write(other, "demo/Plain", TestClasses.plain("demo/Plain"));
        Files.createDirectories(classes.resolve("demo"));
        Files.createSymbolicLink(classes.resolve("demo/Plain.class"), other.resolve("demo/Plain.class"));

        DirectoryWeaver.Summary s = fixtureWeaver().weave(classes);

        assertEquals(new DirectoryWeaver.Summary(3, 1, s.framesWritten(), s.framesWritten(), 2, 0, 0), s);
        assertTrue(s.framesWritten() > 0);
        assertTrue(Files.isSymbolicLink(classes.resolve("io")), "the link stays a link");
        assertEquals("p0-p1+p2-", runLoops(elsewhere));
        assertEquals(new DirectoryWeaver.Summary(3, 0, 0, 3, 0), fixtureWeaver().weave(classes), "woven already");
    }

    @Test
    void weave_symbolicLinkToAWovenClassFile_rewritesTheFileKeepsTheLink() throws Exception {
        Path classes = dir.resolve("classes");
        Path other = dir.resolve("other");
        copyFixture(other, BASICS);
        copyFixture(classes, BASICS + "$Point");
        Files.createSymbolicLink(classes.resolve(BASICS + ".class"), other.resolve(BASICS + ".class"));

        assertEquals(1, fixtureWeaver().weave(classes).woven());

        assertTrue(Files.isSymbolicLink(classes.resolve(BASICS + ".class")));
        assertTrue(Transformer.carriesWovenMarker(Files.readAllBytes(other.resolve(BASICS + ".class"))));
    }

    @Test
    void weave_symbolicLinkCycle_failsLoudlyNothingWritten() throws Exception {
        Path classes = dir.resolve("classes");
        copyFixture(classes, BASICS);
        Files.createSymbolicLink(classes.resolve("io/loop"), classes);
        byte[] before = Files.readAllBytes(classes.resolve(BASICS + ".class"));

        IOException e = assertThrows(IOException.class, () -> fixtureWeaver().weave(classes));

        assertTrue(e.getMessage().contains("leads back to a folder that contains it"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(classes.resolve(BASICS + ".class")));
    }

    /** Issue 10 (hosts): includes and excludes; a class left out is left as it is, its misuse not reported. */
    @Test
    void weave_selecting_onlyTheSelectedClassesGoToTheTransformer() throws Exception {
        TestClasses.write(dir, "demo/Bad", TestClasses.awaitOutsideAsync("demo/Bad"));
        TestClasses.write(dir, "demo/z/Worse", TestClasses.awaitOutsideAsync("demo/z/Worse"));
        TestClasses.write(dir, "demo/Plain", TestClasses.plain("demo/Plain"));
        Map<String, Snapshot> before = agedSnapshot(dir);

        TransformException e = assertThrows(TransformException.class, () -> weaver.selecting(
                ClassNamePatterns.of(List.of("demo.**"), List.of("demo.Bad"))).weave(dir));
        assertEquals(List.of("demo.z.Worse"),
                e.problems().stream().map(Problem::className).distinct().collect(Collectors.toList()));

        assertEquals(new DirectoryWeaver.Summary(3, 0, 0, 3, 0), // the classes left out count as unchanged
                weaver.selecting(ClassNamePatterns.of(List.of("demo.*"), List.of("demo.Bad"))).weave(dir));
        assertEquals(before, snapshot(dir));
    }

    @Test
    void weave_asyncClass_wovenOnceAndRunnable() throws Exception {
        copyFixture(dir, BASICS);
        copyFixture(dir, BASICS + "$Point");
        byte[] compiled = Files.readAllBytes(dir.resolve(BASICS + ".class"));
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
        Set<PosixFilePermission> javacMade = PosixFilePermissions.fromString("rw-r-----");
        if (posix) {
            Files.setPosixFilePermissions(dir.resolve(BASICS + ".class"), javacMade);
        }

        DirectoryWeaver.Summary first = fixtureWeaver().weave(dir);

        assertEquals(2, first.scanned());
        assertEquals(1, first.woven());
        List<String> frames = frameFiles(dir);
        assertFalse(frames.isEmpty());
        assertEquals(frames.size(), first.framesWritten());
        assertEquals(frames.size(), first.methodsWoven(), "one frame class per coroutine method");
        assertTrue(first.toString().startsWith("2 classes scanned, 1 woven (" + frames.size() + " methods), "),
                first.toString());
        assertFalse(java.util.Arrays.equals(compiled, Files.readAllBytes(dir.resolve(BASICS + ".class"))));
        assertEquals("p0-p1+p2-", runLoops(dir));
        if (posix) {
            for (String f : snapshot(dir).keySet()) {
                if (f.startsWith(BASICS + "$$")) {
                    assertEquals(javacMade, Files.getPosixFilePermissions(dir.resolve(f)), f);
                }
            }
            assertEquals(javacMade, Files.getPosixFilePermissions(dir.resolve(BASICS + ".class")));
        }

        Map<String, Snapshot> woven = agedSnapshot(dir);
        assertEquals(new DirectoryWeaver.Summary(2, 0, 0, 2, 0), fixtureWeaver().weave(dir));
        assertEquals(woven, snapshot(dir), "a second run changes nothing");
    }

    @Test
    void weave_recompiledClass_staleFramesReplaced() throws Exception {
        copyFixture(dir, BASICS);
        copyFixture(dir, BASICS + "$Point");
        fixtureWeaver().weave(dir);
        List<String> frames = frameFiles(dir);
        // javac compiles Basics again (unwoven); an @Async method was removed since the last weaving.
        copyFixture(dir, BASICS);
        TestClasses.write(dir, BASICS + "$$Async$removed", TestClasses.frame(BASICS + "$$Async$removed"));
        Map<String, Snapshot> before = agedSnapshot(dir);

        DirectoryWeaver.Summary summary = fixtureWeaver().weave(dir);

        assertEquals(new DirectoryWeaver.Summary(2, 1, frames.size(), 0, 1, 1, 0), summary);
        assertEquals(frames, frameFiles(dir));
        Map<String, Snapshot> after = snapshot(dir);
        for (String frame : frames) {
            assertEquals(before.get(frame), after.get(frame), "identical frame class not rewritten: " + frame);
        }
        assertEquals("p0-p1+p2-", runLoops(dir));
    }

    @Test
    void weaveJar_asyncClass_framesFollowTheirClass() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(BASICS + ".class", fixture(BASICS));
        entries.put(BASICS + "$$Async$stale.class", TestClasses.frame(BASICS + "$$Async$stale"));
        entries.put("z/Last.class", TestClasses.plain("z/Last"));
        Path jar = jar(dir.resolve("in.jar"), entries);
        Path out = dir.resolve("out.jar");

        DirectoryWeaver.Summary summary = fixtureWeaver().weaveJar(jar, out);

        assertEquals(1, summary.woven());
        assertEquals(1, summary.staleDeleted());
        try (ZipFile zip = new ZipFile(out.toFile())) {
            List<String> names = zip.stream().map(ZipEntry::getName).collect(Collectors.toList());
            assertEquals(BASICS + ".class", names.get(0));
            assertEquals("z/Last.class", names.get(names.size() - 1));
            assertEquals(summary.framesWritten(), names.size() - 2);
            assertTrue(names.subList(1, names.size() - 1).stream()
                    .allMatch(n -> n.startsWith(BASICS + Transformer.FRAME_CLASS_INFIX)), names::toString);
        }
        assertEquals(new DirectoryWeaver.Summary(2, 0, 0, 2, 0), fixtureWeaver().weaveJar(out, out),
                "a woven jar is woven already");
    }

    @Test
    void weave_wovenClassWhoseFrameClassIsGone_refusedNamingIt() throws Exception {
        copyFixture(dir, BASICS);
        copyFixture(dir, BASICS + "$Point");
        fixtureWeaver().weave(dir);
        List<String> frames = frameFiles(dir);
        String gone = frames.get(frames.size() - 1);
        Files.delete(dir.resolve(gone));
        Map<String, Snapshot> before = agedSnapshot(dir);

        TransformException e = assertThrows(TransformException.class, () -> fixtureWeaver().weave(dir));

        assertEquals(1, e.problems().size(), e.getMessage());
        Problem p = e.problems().get(0);
        assertEquals(BASICS.replace('/', '.'), p.className());
        assertTrue(p.message().contains("frame class " + gone + " is missing") && p.message().contains("mvn clean"),
                p.format());
        assertEquals(before, snapshot(dir), "nothing written");
    }

    @Test
    void incremental_unchangedFolder_noClassFileRead(@TempDir Path build) throws Exception {
        Path state = build.resolve("jasyncio/classes.state");
        DirectoryWeaver incremental = fixtureWeaver().incremental(state, "config A");
        copyFixture(dir, BASICS);
        copyFixture(dir, BASICS + "$Point");
        DirectoryWeaver.Summary first = incremental.weave(dir);
        assertEquals(1, first.woven());
        assertTrue(Files.isRegularFile(state));

        // The proof that an unchanged folder is not read: a class file replaced by bytes of the same size and
        // time (which a full run would refuse as a malformed class mentioning jasyncio) goes unnoticed.
        Path woven = dir.resolve(BASICS + ".class");
        FileTime time = Files.getLastModifiedTime(woven);
        byte[] garbage = spoilKeepingSizeAndTime(woven);
        assertEquals(new DirectoryWeaver.Summary(2, 0, 0, 2, 0), incremental.weave(dir));
        assertArrayEquals(garbage, Files.readAllBytes(woven));

        // javac writes the class again (a new time): the run is a full one, and weaves it
        copyFixture(dir, BASICS);
        Files.setLastModifiedTime(woven, FileTime.fromMillis(time.toMillis() + 2000));
        assertEquals(1, incremental.weave(dir).woven());
        assertEquals("p0-p1+p2-", runLoops(dir));
        assertEquals(new DirectoryWeaver.Summary(2, 0, 0, 2, 0), incremental.weave(dir));
    }

    @Test
    void incremental_otherConfigurationOrNewClass_fullRun(@TempDir Path build) throws Exception {
        Path state = build.resolve("classes.state");
        copyFixture(dir, BASICS);
        copyFixture(dir, BASICS + "$Point");
        fixtureWeaver().incremental(state, "config A").weave(dir);
        Path woven = dir.resolve(BASICS + ".class");
        byte[] bytes = Files.readAllBytes(woven);
        spoilKeepingSizeAndTime(woven); // seen by a full run only
        assertEquals(new DirectoryWeaver.Summary(2, 0, 0, 2, 0),
                fixtureWeaver().incremental(state, "config A").weave(dir));

        // other includes/excludes (the plugin's configuration): not the state of this configuration, a full run
        TransformException e = assertThrows(TransformException.class,
                () -> fixtureWeaver().incremental(state, "config B").weave(dir));
        assertTrue(e.getMessage().contains("not a valid class file"), e.getMessage());
        Files.write(woven, bytes);
        DirectoryWeaver.Summary s = fixtureWeaver().incremental(state, "config B").weave(dir);
        assertEquals(new DirectoryWeaver.Summary(2, 0, 0, 2, 0), s);

        // a class file added: the listing differs, the run is a full one
        TestClasses.write(dir, "demo/Plain", TestClasses.plain("demo/Plain"));
        assertEquals(new DirectoryWeaver.Summary(3, 0, 0, 3, 0),
                fixtureWeaver().incremental(state, "config B").weave(dir));
    }

    /**
     * Zeroes the first 64 bytes of a woven class file, keeping its size and time: bytes that mention jasyncio but are
     * not a class file, which a full run refuses and only a full run reads. {@return the bytes written}
     */
    private static byte[] spoilKeepingSizeAndTime(Path file) throws IOException {
        FileTime time = Files.getLastModifiedTime(file);
        byte[] garbage = Files.readAllBytes(file);
        java.util.Arrays.fill(garbage, 0, 64, (byte) 0);
        Files.write(file, garbage);
        Files.setLastModifiedTime(file, time);
        return garbage;
    }

    @Test
    void incremental_frameClassesCountByTheirNames(@TempDir Path build) throws Exception {
        Path state = build.resolve("classes.state");
        copyFixture(dir, BASICS);
        copyFixture(dir, BASICS + "$Point");
        DirectoryWeaver.Summary first = fixtureWeaver().incremental(state, "config A").weave(dir);
        assertTrue(first.framesWritten() > 1, first::toString);
        List<Path> frameFiles;
        try (Stream<Path> files = Files.list(dir.resolve(BASICS).getParent())) {
            frameFiles = files.filter(p -> p.getFileName().toString().contains(Transformer.FRAME_CLASS_INFIX))
                    .sorted().collect(Collectors.toList());
        }
        assertEquals(first.framesWritten(), frameFiles.size());
        assertTrue(Files.readString(state).lines().skip(1).findFirst().orElseThrow().startsWith("frames-by-name "),
                "the state counts generated frame classes by name");

        // A frame class's facts are not read (the system calls a no-change build saves): rewritten in place it goes
        // unnoticed, as a full run leaves it too (a frame class of a woven, unchanged owner is never rewritten).
        Path frame = frameFiles.get(0);
        byte[] frameBytes = Files.readAllBytes(frame);
        Files.write(frame, java.util.Arrays.copyOf(frameBytes, frameBytes.length + 1));
        Files.setLastModifiedTime(frame, FileTime.fromMillis(Files.getLastModifiedTime(frame).toMillis() + 5000));
        assertEquals(new DirectoryWeaver.Summary(2, 0, 0, 2, 0),
                fixtureWeaver().incremental(state, "config A").weave(dir));
        assertEquals(new DirectoryWeaver.Summary(2, 0, 0, 2, 0), fixtureWeaver().weave(dir), "full run, stateless");
        Files.write(frame, frameBytes);

        // A frame class deleted changes the listing: the run is a full one. (Shown by the woven class's bytes made
        // invalid with the same size and time, which only a full run reads and refuses.)
        spoilKeepingSizeAndTime(dir.resolve(BASICS + ".class"));
        assertEquals(new DirectoryWeaver.Summary(2, 0, 0, 2, 0),
                fixtureWeaver().incremental(state, "config A").weave(dir), "nothing else changed: not read");
        Files.delete(frameFiles.get(1));
        TransformException e = assertThrows(TransformException.class,
                () -> fixtureWeaver().incremental(state, "config A").weave(dir));
        assertTrue(e.getMessage().contains("not a valid class file"), e.getMessage());
    }

    @Test
    void incremental_userClassNamedLikeAFrame_countsByItsFacts(@TempDir Path build) throws Exception {
        Path state = build.resolve("classes.state");
        copyFixture(dir, BASICS);
        copyFixture(dir, BASICS + "$Point");
        String user = "demo/User" + Transformer.FRAME_CLASS_INFIX + "named";
        TestClasses.write(dir, user, TestClasses.plain(user));
        fixtureWeaver().incremental(state, "config A").weave(dir);
        assertTrue(Files.readString(state).lines().skip(1).findFirst().orElseThrow().startsWith("every-file "),
                "a class jasyncio did not generate is named like a frame class: every file counts by its facts");

        // javac writes the user's class again, in place: seen, and the full run reads it (here bytes that mention
        // jasyncio but are not a class file, which a full run refuses)
        Path userFile = dir.resolve(user + ".class");
        byte[] garbage = Files.readAllBytes(dir.resolve(BASICS + ".class"));
        java.util.Arrays.fill(garbage, 0, 64, (byte) 0);
        Files.write(userFile, garbage);
        Files.setLastModifiedTime(userFile, FileTime.fromMillis(Files.getLastModifiedTime(userFile).toMillis() + 5000));
        TransformException e = assertThrows(TransformException.class,
                () -> fixtureWeaver().incremental(state, "config A").weave(dir));
        assertTrue(e.getMessage().contains("not a valid class file"), e.getMessage());
    }

    @Test
    void listening_reportsEachClassWovenEachProblemAndTheSummary() throws Exception {
        List<String> heard = new java.util.ArrayList<>();
        WeaveListener listener = new WeaveListener() {
            @Override
            public void onWoven(String className, int methods) {
                heard.add("woven " + className + " " + methods);
            }

            @Override
            public void onProblem(Problem problem) {
                heard.add("problem " + problem.className());
            }

            @Override
            public void onSummary(Path source, Path target, DirectoryWeaver.Summary summary) {
                heard.add("summary " + dir.relativize(source) + " " + dir.relativize(target) + ": " + summary);
            }
        };
        copyFixture(dir, BASICS);
        copyFixture(dir, BASICS + "$Point");
        DirectoryWeaver.Summary s = fixtureWeaver().listening(listener).weave(dir);
        assertEquals(List.of("woven " + BASICS.replace('/', '.') + " " + s.methodsWoven(),
                "summary  : " + WeaveListener.describe(s)), heard);
        assertEquals(WeaveListener.describe(s), s.toString());

        heard.clear();
        TestClasses.write(dir, "demo/Bad", TestClasses.awaitOutsideAsync("demo/Bad"));
        assertThrows(TransformException.class, () -> fixtureWeaver().listening(listener).weave(dir));
        assertEquals(List.of("problem demo.Bad"), heard);
    }

    private static final String BASICS = "io/jasyncio/transformer/fixtures/Basics";

    /** Weaves with the test class path (fixtures, runtime, JDK) as what the classes refer to. */
    private static DirectoryWeaver fixtureWeaver() {
        return new DirectoryWeaver(ClassFileLocator.of(DirectoryWeaverTest.class.getClassLoader()));
    }

    private static byte[] fixture(String internalName) throws IOException {
        try (InputStream in = DirectoryWeaverTest.class.getClassLoader().getResourceAsStream(internalName + ".class")) {
            return in.readAllBytes();
        }
    }

    private static void copyFixture(Path root, String internalName) throws IOException {
        TestClasses.write(root, internalName, fixture(internalName));
    }

    private static List<String> frameFiles(Path root) throws IOException {
        return snapshot(root).keySet().stream().filter(n -> n.contains(Transformer.FRAME_CLASS_INFIX))
                .collect(Collectors.toList());
    }

    /** Loads the fixtures from {@code root} (the runtime from the test class path) and runs {@code loops(3)}. */
    private static Object runLoops(Path root) throws Exception {
        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(
                new java.net.URL[] {root.toUri().toURL()}, DirectoryWeaverTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                synchronized (getClassLoadingLock(name)) {
                    if (name.startsWith("io.jasyncio.transformer.fixtures.")) {
                        Class<?> c = findLoadedClass(name);
                        return c != null ? c : findClass(name);
                    }
                    return super.loadClass(name, resolve);
                }
            }
        }) {
            Class<?> basics = loader.loadClass(BASICS.replace('/', '.'));
            Object coroutine = basics.getMethod("loops", int.class).invoke(null, 3);
            try (io.jasyncio.EventLoop loop = new io.jasyncio.EventLoop(io.jasyncio.TimeSource.virtual())) {
                return loop.runUntilComplete((io.jasyncio.Coroutine<?>) coroutine);
            }
        }
    }

    @Test
    void weave_notADirectory_fails() {
        assertThrows(IOException.class, () -> weaver.weave(dir.resolve("missing")));
    }

    @Test
    void weaveJar_classesWithoutJasyncio_copied() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n".getBytes());
        entries.put("demo/", null);
        entries.put("demo/Plain.class", TestClasses.plain("demo/Plain"));
        entries.put("demo/Woven.class", TestClasses.markedWoven("demo/Woven"));
        entries.put("demo/Woven$$Async$run.class", TestClasses.frame("demo/Woven$$Async$run"));
        entries.put("demo/Gone$$Async$run.class", TestClasses.frame("demo/Gone$$Async$run"));
        entries.put("demo/data.txt", "data".getBytes());
        Path jar = jar(dir.resolve("in.jar"), entries);
        Path out = dir.resolve("out/woven.jar");

        assertEquals(new DirectoryWeaver.Summary(2, 0, 0, 2, 1), weaver.weaveJar(jar, out));

        entries.remove("demo/Gone$$Async$run.class");
        assertEntries(entries, out);
        try (Stream<Path> files = Files.list(out.getParent())) {
            assertEquals(List.of(out), files.collect(Collectors.toList()), "no temporary file left");
        }
    }

    /** A jar as jarsigner leaves it (the signature's bytes do not matter here: nothing verifies them). */
    static Map<String, byte[]> signedJarEntries(String className, byte[] classFile) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("META-INF/MANIFEST.MF", ("Manifest-Version: 1.0\r\n\r\nName: " + className
                + ".class\r\nSHA-256-Digest: AAAA\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        entries.put("META-INF/SIGNER.SF", "Signature-Version: 1.0\r\n\r\n".getBytes());
        entries.put("META-INF/SIGNER.RSA", new byte[] {1, 2, 3});
        entries.put(className + ".class", classFile);
        return entries;
    }

    /** Issue 10: weaving a signed jar dropped its signature files without a word. */
    @Test
    void weaveJar_signedJarWithClassesToWeave_refusedNothingWritten() throws Exception {
        Path jar = jar(dir.resolve("signed.jar"), signedJarEntries(BASICS, fixture(BASICS)));
        Path out = dir.resolve("out.jar");

        TransformException e = assertThrows(TransformException.class, () -> fixtureWeaver().weaveJar(jar, out));

        assertTrue(e.getMessage().contains("the jar signed.jar is signed (META-INF/SIGNER.SF) and 1 class of it need"
                + " weaving, which would invalidate its signature"), e.getMessage());
        assertTrue(e.getMessage().contains("--unsign"), e.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void weaveJar_signedJarWhenAskedToUnsign_wovenWithoutSignatureAndSaysSo() throws Exception {
        Path jar = jar(dir.resolve("signed.jar"), signedJarEntries(BASICS, fixture(BASICS)));
        Path out = dir.resolve("out.jar");

        DirectoryWeaver.Summary s = new DirectoryWeaver(ClassFileLocator.of(getClass().getClassLoader()), true)
                .weaveJar(jar, out);

        assertEquals(1, s.woven());
        assertEquals(2, s.signatureFilesDropped());
        assertTrue(s.toString().contains("THE JAR WAS SIGNED: its 2 signature files were left out"), s.toString());
        try (ZipFile zip = new ZipFile(out.toFile())) {
            assertTrue(zip.stream().noneMatch(z -> z.getName().startsWith("META-INF/SIGNER")));
            assertTrue(zip.getEntry("META-INF/MANIFEST.MF") != null);
        }
    }

    @Test
    void weaveJar_signedJarWithNothingToWeave_copiedSigned() throws Exception {
        Map<String, byte[]> entries = signedJarEntries("demo/Plain", TestClasses.plain("demo/Plain"));
        Path jar = jar(dir.resolve("signed.jar"), entries);
        Path out = dir.resolve("out.jar");

        DirectoryWeaver.Summary s = weaver.weaveJar(jar, out);

        assertEquals(0, s.signatureFilesDropped());
        assertEntries(entries, out);
    }

    /** Issue 10 (hosts): a multi-release jar's versioned classes are woven too, their frames beside them. */
    @Test
    void weaveJar_multiReleaseJar_versionedClassesWovenFramesBesideThem() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nMulti-Release: true\r\n\r\n".getBytes());
        entries.put(BASICS + ".class", fixture(BASICS));
        entries.put(BASICS + "$Point.class", fixture(BASICS + "$Point"));
        entries.put("META-INF/versions/17/" + BASICS + ".class", fixture(BASICS));
        entries.put("META-INF/versions/17/demo/Plain.class", TestClasses.plain("demo/Plain"));
        Path jar = jar(dir.resolve("mr.jar"), entries);
        Path out = dir.resolve("out.jar");

        DirectoryWeaver.Summary s = fixtureWeaver().weaveJar(jar, out);

        assertEquals(4, s.scanned());
        assertEquals(2, s.woven());
        try (ZipFile zip = new ZipFile(out.toFile())) {
            List<String> names = zip.stream().map(ZipEntry::getName).collect(Collectors.toList());
            List<String> rootFrames = names.stream().filter(n -> n.startsWith(BASICS + "$$Async$"))
                    .collect(Collectors.toList());
            List<String> versionedFrames = names.stream()
                    .filter(n -> n.startsWith("META-INF/versions/17/" + BASICS + "$$Async$")).collect(Collectors.toList());
            assertFalse(rootFrames.isEmpty());
            assertEquals(rootFrames.size(), versionedFrames.size(), names::toString);
            assertEquals(rootFrames.size() * 2, s.framesWritten());
            for (String n : List.of(BASICS + ".class", "META-INF/versions/17/" + BASICS + ".class")) {
                try (InputStream in = zip.getInputStream(zip.getEntry(n))) {
                    assertTrue(Transformer.carriesWovenMarker(in.readAllBytes()), n);
                }
            }
            try (InputStream in = zip.getInputStream(zip.getEntry("META-INF/versions/17/demo/Plain.class"))) {
                assertArrayEquals(TestClasses.plain("demo/Plain"), in.readAllBytes());
            }
        }
        assertEquals(new DirectoryWeaver.Summary(4, 0, 0, 4, 0), fixtureWeaver().weaveJar(out, out), "woven already");
    }

    @Test
    void weaveJar_inPlace() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("demo/Plain.class", TestClasses.plain("demo/Plain"));
        Path jar = jar(dir.resolve("in.jar"), entries);

        weaver.weaveJar(jar, jar);

        assertEntries(entries, jar);
    }

    @Test
    void weaveJar_failingClass_nothingWritten() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("demo/Bad.class", TestClasses.awaitOutsideAsync("demo/Bad"));
        Path jar = jar(dir.resolve("in.jar"), entries);
        Path out = dir.resolve("out.jar");

        TransformException e = assertThrows(TransformException.class, () -> weaver.weaveJar(jar, out));

        assertFalse(Files.exists(out));
        assertEquals(List.of("in.jar"), List.copyOf(snapshot(dir).keySet()));
        TestClasses.assertAwaitOutsideAsync(e, "demo/Bad");
    }

    /**
     * Sets the time of the files under {@code root} to the past, so that a rewrite, however quick, changes it;
     * then takes a {@link #snapshot(Path)}.
     */
    static Map<String, Snapshot> agedSnapshot(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).collect(Collectors.toList())) {
                Files.setLastModifiedTime(p, OLD);
            }
        }
        return snapshot(root);
    }

    /** The regular files under {@code root}, by relative path, with their bytes and time. */
    static Map<String, Snapshot> snapshot(Path root) throws IOException {
        Map<String, Snapshot> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).collect(Collectors.toList())) {
                files.put(root.relativize(p).toString().replace('\\', '/'),
                        new Snapshot(Files.readAllBytes(p), Files.getLastModifiedTime(p)));
            }
        }
        return files;
    }

    /** A file's bytes (as a string of hex, to compare by value) and modification time. */
    record Snapshot(String hex, FileTime time) {
        Snapshot(byte[] bytes, FileTime time) {
            this(java.util.HexFormat.of().formatHex(bytes), time);
        }
    }

    static Path jar(Path path, Map<String, byte[]> entries) throws IOException {
        try (OutputStream os = Files.newOutputStream(path); ZipOutputStream out = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry z = new ZipEntry(e.getKey());
                z.setTime(OLD.toMillis());
                out.putNextEntry(z);
                if (e.getValue() != null) {
                    out.write(e.getValue());
                }
                out.closeEntry();
            }
        }
        return path;
    }

    static void assertEntries(Map<String, byte[]> expected, Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            List<String> names = new ArrayList<>();
            for (ZipEntry e : zip.stream().collect(Collectors.toList())) {
                names.add(e.getName());
                byte[] want = expected.get(e.getName());
                try (InputStream in = zip.getInputStream(e)) {
                    assertArrayEquals(want == null ? new byte[0] : want, in.readAllBytes(), e.getName());
                }
            }
            assertEquals(List.copyOf(expected.keySet()), names);
        }
    }
}
