package io.jasyncio.transformer.internal;

import java.nio.charset.StandardCharsets;

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
