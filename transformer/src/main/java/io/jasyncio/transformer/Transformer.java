package io.jasyncio.transformer;

import io.jasyncio.transformer.internal.ClassFileHeader;
import io.jasyncio.transformer.internal.ClassHeaders;
import io.jasyncio.transformer.internal.ClassWeaver;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The jasyncio transformer: rewrites each {@code @Async} method of a class (and each lambda body that awaits and
 * returns a {@code Coroutine}) into a resumable state machine. A pure function over class bytes: the Maven
 * plugin, the java agent, the command line and the tests are thin hosts around {@link #transform(byte[])}.
 *
 * <p>Deterministic (the same input gives the same output) and idempotent: a woven class carries a marker
 * ({@link #WOVEN_MARKER}, with the {@link #PROTOCOL} it was woven for) and is returned unchanged. A class woven
 * for another protocol (by an older or newer jasyncio) is refused, since its original code is gone: it must be
 * recompiled. Classes that do not use jasyncio are recognised by a cheap scan and returned unchanged without
 * being parsed.
 *
 * <p>Instances are thread-safe if the {@link ClassFileLocator} is.
 */
public final class Transformer {
    /** The descriptor of the (class-retention) annotation that marks a woven class. */
    public static final String WOVEN_MARKER = "Lio/jasyncio/internal/WovenByJasyncio;";
    /**
     * The version of the contract between woven code and the runtime ({@code io.jasyncio.internal.Woven}), kept in
     * the {@link #WOVEN_MARKER} of every woven class as its element {@code protocol}. 1: bodies entered through
     * their frame only (0.1.0 before direct calls; its markers have no element); 2: bodies that take their
     * arguments and can be called directly; 3: awaits of other classes' methods and of overridable methods linked at
     * run time ({@code Woven.awaitCall}), each woven class declaring its protocol in a field
     * ({@link #PROTOCOL_FIELD}) that the linker can see.
     */
    public static final int PROTOCOL = 3;
    /**
     * The name of the synthetic {@code static final int} field (private; public in an interface) that every woven
     * class declares, its value the {@link #PROTOCOL}, with the protocol in its name too: the run-time linker of
     * direct calls ({@code io.jasyncio.internal.DirectCallLinker}) checks it by name, which neither initializes the
     * class nor depends on the class file being readable (under the agent, the class file on the class path is the
     * unwoven one, so the class-retention marker is not there to read).
     */
    public static final String PROTOCOL_FIELD = "jasyncio$protocol$" + PROTOCOL;
    /** The infix of the names of generated coroutine frame classes: {@code Owner$$Async$method}. */
    public static final String FRAME_CLASS_INFIX = "$$Async$";
    /**
     * The descriptor of the (class-retention) annotation that marks a coroutine frame class the transformer
     * generated: only such classes are ever deleted or left out as stale, never a user's class whose name merely
     * contains {@link #FRAME_CLASS_INFIX}.
     */
    public static final String FRAME_MARKER = "Lio/jasyncio/internal/FrameByJasyncio;";

    private static final byte[] WOVEN = WOVEN_MARKER.getBytes(StandardCharsets.UTF_8);
    private static final byte[] FRAME = FRAME_MARKER.getBytes(StandardCharsets.UTF_8);
    private static final byte[][] INTERESTING = {
        "io/jasyncio/Asyncio".getBytes(StandardCharsets.UTF_8),
        "Lio/jasyncio/annotations/Async;".getBytes(StandardCharsets.UTF_8),
        WOVEN, // woven: parsed to check the protocol it was woven for
    };

    private final ClassFileLocator locator;
    private final ClassHeaders headers = new ClassHeaders();

    /**
     * Creates a transformer.
     *
     * @param locator finds other classes' class files (for common super types); it should cover the classes the
     *                woven code refers to and the JDK ({@link ClassFileLocator#of(ClassLoader)})
     */
    public Transformer(ClassFileLocator locator) {
        this.locator = Objects.requireNonNull(locator, "locator").cached();
    }

    /**
     * Weaves one class file.
     *
     * @param classFile the class file as javac wrote it (major version 52 to 69); bytes that do not use jasyncio
     *                  are returned unchanged whatever they are (a newer class-file version, an empty or a garbage
     *                  file): they are not parsed
     * @return the woven class and the frame classes it needs, or the input unchanged
     * @throws TransformException naming class, method, source file and line, if the class misuses jasyncio
     *                            ({@code await} outside an {@code @Async} method, an {@code @Async} method that does
     *                            not return {@code Coroutine}, {@code await} inside {@code synchronized}, ...) or
     *                            cannot be woven
     */
    public TransformResult transform(byte[] classFile) throws TransformException {
        Objects.requireNonNull(classFile, "classFile");
        if (!mayUseJasyncio(classFile)) {
            return new TransformResult(ClassWeaver.className(classFile), false, classFile, java.util.List.of());
        }
        return new ClassWeaver(classFile, locator, headers).weave();
    }

    /**
     * The cheap scan: whether the class file mentions {@code io/jasyncio/Asyncio} or {@code @Async} at all (a woven
     * class does too: parsing it checks its protocol). A {@code false} answer is final; a {@code true} one is
     * decided by parsing.
     *
     * @param classFile a class file
     * @return whether the class may need weaving
     */
    public static boolean mayUseJasyncio(byte[] classFile) {
        for (byte[] needle : INTERESTING) {
            if (indexOf(classFile, needle) >= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a class file is a coroutine frame class that the transformer generated: its name contains
     * {@link #FRAME_CLASS_INFIX} and it carries the {@link #FRAME_MARKER} (or, as frames written before the marker
     * existed, it is a synthetic subclass of {@code io.jasyncio.Coroutine}, which javac never writes). A user's class
     * named {@code Foo$$Async$bar} is not one.
     *
     * @param classFile a class file
     * @return whether it is a generated frame class
     */
    public static boolean isGeneratedClass(byte[] classFile) {
        ClassFileHeader.Header h = ClassFileHeader.read(classFile);
        if (h == null || !h.name().contains(FRAME_CLASS_INFIX)) {
            return false;
        }
        return indexOf(classFile, FRAME) >= 0
                || ((h.access() & 0x1000) != 0 && "io/jasyncio/Coroutine".equals(h.superName())); // ACC_SYNTHETIC
    }

    /** {@return whether the class file carries the woven marker (of any protocol), by a scan of its bytes} */
    static boolean carriesWovenMarker(byte[] classFile) {
        return indexOf(classFile, WOVEN) >= 0;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        byte first = needle[0];
        int last = haystack.length - needle.length;
        outer:
        for (int i = 0; i <= last; i++) {
            if (haystack[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
