package io.jasyncio.transformer.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the version and the name of a class file without ASM, and without failing: ASM's {@code ClassReader}
 * refuses a version it does not know and throws on a truncated file, while a class that does not use jasyncio
 * must pass through the transformer whatever it is (a newer Java's class, an empty or garbage file).
 */
public final class ClassFileHeader {
    private static final int MAGIC = 0xCAFEBABE;

    private ClassFileHeader() {
    }

    /**
     * {@return whether {@code b} starts as a class file does: the magic number and a version}
     *
     * @param b the bytes of a file
     */
    public static boolean looksLikeClassFile(byte[] b) {
        return b.length >= 10 && readInt(b, 0) == MAGIC;
    }

    /**
     * {@return the major version of a class file ({@code 69} for Java 25), or -1 if it is not one}
     *
     * @param b the bytes of a file
     */
    public static int majorVersion(byte[] b) {
        return looksLikeClassFile(b) ? readUnsignedShort(b, 6) : -1;
    }

    /**
     * The internal name of the class ({@code this_class}), read by walking the constant pool; {@code null} if the
     * bytes are not a readable class file.
     *
     * @param b a class file
     * @return its internal name, or {@code null}
     */
    public static String className(byte[] b) {
        Header h = read(b);
        return h == null ? null : h.name();
    }

    /**
     * The access flags, name and super class name of a class file; {@code null} if the bytes are not a readable
     * class file.
     *
     * @param b a class file
     * @return its header, or {@code null}
     */
    public static Header read(byte[] b) {
        if (!looksLikeClassFile(b)) {
            return null;
        }
        try {
            int count = readUnsignedShort(b, 8);
            int[] offsets = new int[count];
            int p = 10;
            for (int i = 1; i < count; i++) {
                offsets[i] = p + 1;
                int tag = b[p] & 0xFF;
                switch (tag) {
                    case 1: // Utf8
                        p += 3 + readUnsignedShort(b, p + 1);
                        break;
                    case 7: case 8: case 16: case 19: case 20: // Class, String, MethodType, Module, Package
                        p += 3;
                        break;
                    case 15: // MethodHandle
                        p += 4;
                        break;
                    case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18:
                        p += 5;
                        break;
                    case 5: case 6: // Long, Double: two entries
                        p += 9;
                        i++;
                        break;
                    default:
                        return null;
                }
            }
            int access = readUnsignedShort(b, p);
            String name = classRef(b, offsets, readUnsignedShort(b, p + 2));
            int superIndex = readUnsignedShort(b, p + 4);
            String superName = superIndex == 0 ? null : classRef(b, offsets, superIndex);
            return name == null || (superIndex != 0 && superName == null) ? null : new Header(access, name, superName);
        } catch (IndexOutOfBoundsException e) {
            return null;
        }
    }

    /**
     * The protocol of a class's woven marker, found by skipping the class's fields and methods to its own
     * attributes (none of the code is read: a tenth of the cost of parsing the class, the check an unchanged
     * build makes for each of its woven classes).
     *
     * @param b a class file
     * @param markerDescriptor the descriptor of the marker annotation ({@code Lio/jasyncio/internal/WovenByJasyncio;})
     * @return the marker's {@code protocol} element, 1 for a marker without one, 0 if the class carries no marker,
     *         or -1 if the bytes are not a readable class file
     */
    public static int wovenProtocol(byte[] b, String markerDescriptor) {
        if (!looksLikeClassFile(b)) {
            return -1;
        }
        try {
            int count = readUnsignedShort(b, 8);
            int[] offsets = new int[count];
            int p = constantPool(b, offsets);
            if (p < 0) {
                return -1;
            }
            p += 6; // access, this, super
            p += 2 + 2 * readUnsignedShort(b, p); // interfaces
            for (int members = 0; members < 2; members++) { // fields, then methods
                int n = readUnsignedShort(b, p);
                p += 2;
                for (int i = 0; i < n; i++) {
                    p = skipAttributes(b, p + 6);
                }
            }
            int attributes = readUnsignedShort(b, p);
            p += 2;
            for (int a = 0; a < attributes; a++) {
                int length = readInt(b, p + 2);
                if ("RuntimeInvisibleAnnotations".equals(utf8(b, offsets, readUnsignedShort(b, p)))) {
                    int q = p + 6;
                    int annotations = readUnsignedShort(b, q);
                    q += 2;
                    for (int i = 0; i < annotations; i++) {
                        boolean marker = markerDescriptor.equals(utf8(b, offsets, readUnsignedShort(b, q)));
                        int pairs = readUnsignedShort(b, q + 2);
                        q += 4;
                        int protocol = 1;
                        for (int k = 0; k < pairs; k++) {
                            String element = utf8(b, offsets, readUnsignedShort(b, q));
                            if (marker && "protocol".equals(element) && b[q + 2] == 'I') {
                                int constant = readUnsignedShort(b, q + 3);
                                if (constant > 0 && constant < count && (b[offsets[constant] - 1] & 0xFF) == 3) {
                                    protocol = readInt(b, offsets[constant]);
                                }
                            }
                            q = skipElementValue(b, q + 2);
                        }
                        if (marker) {
                            return protocol;
                        }
                    }
                }
                p += 6 + length;
            }
            return 0;
        } catch (IndexOutOfBoundsException e) {
            return -1;
        }
    }

    /**
     * The classes that a class file refers to ({@code CONSTANT_Class} entries) whose internal names begin with
     * {@code prefix}, in constant-pool order.
     *
     * @param b a class file
     * @param prefix the beginning of the names wanted ({@code a/B$$Async$} for the frame classes of {@code a/B})
     * @return the names, empty if there are none or the bytes are not a readable class file
     */
    public static List<String> classRefs(byte[] b, String prefix) {
        if (!looksLikeClassFile(b)) {
            return List.of();
        }
        try {
            int[] offsets = new int[readUnsignedShort(b, 8)];
            if (constantPool(b, offsets) < 0) {
                return List.of();
            }
            List<String> names = new ArrayList<>();
            for (int i = 1; i < offsets.length; i++) {
                String name = offsets[i] > 0 ? classRef(b, offsets, i) : null; // 0: a long's or double's second slot
                if (name != null && name.startsWith(prefix)) {
                    names.add(name);
                }
            }
            return names;
        } catch (IndexOutOfBoundsException e) {
            return List.of();
        }
    }

    /** Walks the constant pool, filling {@code offsets} (each entry's offset after its tag); -1 if malformed. */
    private static int constantPool(byte[] b, int[] offsets) {
        int p = 10;
        for (int i = 1; i < offsets.length; i++) {
            offsets[i] = p + 1;
            switch (b[p] & 0xFF) {
                case 1 -> p += 3 + readUnsignedShort(b, p + 1); // Utf8
                case 7, 8, 16, 19, 20 -> p += 3; // Class, String, MethodType, Module, Package
                case 15 -> p += 4; // MethodHandle
                case 3, 4, 9, 10, 11, 12, 17, 18 -> p += 5;
                case 5, 6 -> { // Long, Double: two entries
                    p += 9;
                    i++;
                }
                default -> {
                    return -1;
                }
            }
        }
        return p;
    }

    private static int skipAttributes(byte[] b, int p) {
        int n = readUnsignedShort(b, p);
        p += 2;
        for (int i = 0; i < n; i++) {
            p += 6 + readInt(b, p + 2);
        }
        return p;
    }

    /** Skips one {@code element_value} (JVMS 4.7.16.1) starting at its tag. */
    private static int skipElementValue(byte[] b, int p) {
        switch (b[p]) {
            case 'e':
                return p + 5;
            case '@': {
                int pairs = readUnsignedShort(b, p + 3);
                p += 5;
                for (int k = 0; k < pairs; k++) {
                    p = skipElementValue(b, p + 2);
                }
                return p;
            }
            case '[': {
                int n = readUnsignedShort(b, p + 1);
                p += 3;
                for (int k = 0; k < n; k++) {
                    p = skipElementValue(b, p);
                }
                return p;
            }
            default: // B C D F I J S Z s c: one constant pool index
                return p + 3;
        }
    }

    /** The text of a {@code CONSTANT_Utf8} entry, or {@code null} if {@code index} is not one. */
    private static String utf8(byte[] b, int[] offsets, int index) {
        if (index <= 0 || index >= offsets.length || (b[offsets[index] - 1] & 0xFF) != 1) {
            return null;
        }
        return new String(b, offsets[index] + 2, readUnsignedShort(b, offsets[index]), StandardCharsets.UTF_8);
    }

    /**
     * What a class file says of itself before its fields.
     *
     * @param access its access flags
     * @param name its internal name
     * @param superName its super class's internal name, {@code null} for {@code java/lang/Object} and modules
     */
    public record Header(int access, String name, String superName) {
    }

    /** The name of a {@code CONSTANT_Class} entry, or {@code null} if {@code index} is not one. */
    private static String classRef(byte[] b, int[] offsets, int index) {
        int count = offsets.length;
        if (index <= 0 || index >= count || (b[offsets[index] - 1] & 0xFF) != 7) {
            return null;
        }
        int utf8 = readUnsignedShort(b, offsets[index]);
        if (utf8 <= 0 || utf8 >= count || (b[offsets[utf8] - 1] & 0xFF) != 1) {
            return null;
        }
        int length = readUnsignedShort(b, offsets[utf8]);
        // class names are ASCII in practice; modified UTF-8 equals UTF-8 outside NUL and supplementary chars
        return new String(b, offsets[utf8] + 2, length, StandardCharsets.UTF_8);
    }

    private static int readUnsignedShort(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }
}
