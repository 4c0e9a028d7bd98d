package io.jasyncio.transformer;

/**
 * One reason a class cannot be woven, with where it is in the source.
 *
 * @param className the class's binary name ({@code com.example.Fetcher})
 * @param method the method's name and descriptor, or {@code null} for a class-level problem
 * @param sourceFile the source file name from the class file ({@code Fetcher.java}), or {@code null}
 * @param line the source line, or {@code -1} if unknown
 * @param message what is wrong and how to fix it
 */
public record Problem(String className, String method, String sourceFile, int line, String message) {

    /**
     * The problem as a compiler would print it: {@code Fetcher.java:12: com.example.Fetcher.main(): message}.
     *
     * @return the formatted problem
     */
    public String format() {
        String where = (sourceFile != null ? sourceFile : className.replace('.', '/') + ".class")
                + (line > 0 ? ":" + line : "");
        String what = className + (method != null ? "." + method.substring(0, Math.max(0, method.indexOf('('))) + "()" : "");
        return where + ": " + what + ": " + message;
    }

    @Override
    public String toString() {
        return format();
    }
}
