package io.jasyncio.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The text of a {@code NotWovenException}: what happened and how to fix it, told apart by what the runtime can see
 * of the calling class (its class file's woven marker, and its protocol) and of the JVM (whether the jasyncio agent
 * is installed: the agent sets {@link #AGENT_PROPERTY}). Not API.
 */
public final class NotWovenDiagnosis {
    /** The system property that the java agent sets when it is installed (its value: the protocol it weaves for). */
    public static final String AGENT_PROPERTY = "jasyncio.agent";
    /** This runtime's protocol: {@link Woven#PROTOCOL}. */
    private static final int PROTOCOL = Woven.PROTOCOL;

    private static final String MARKER = "Lio/jasyncio/internal/WovenByJasyncio;";

    private NotWovenDiagnosis() {
    }

    /**
     * The message for {@code what} ({@code await} or {@code done}) reached in a method of {@code caller}.
     *
     * @param what the method that was reached
     * @param where the calling method, as {@code com.example.Fetcher.fetch (Fetcher.java:12)}
     * @param caller the calling class, or {@code null} if unknown
     * @return the message
     */
    public static String message(String what, String where, Class<?> caller) {
        String head = what + "() was called in " + where + ", which was not woven by the jasyncio transformer";
        String className = caller == null ? "its class" : caller.getName();
        Integer protocol = caller == null ? null : wovenProtocol(caller);
        if (protocol != null && protocol != PROTOCOL) {
            return head + ": " + className + " was woven by another version of jasyncio (for protocol " + protocol
                    + "; this runtime's is " + PROTOCOL + "). Compile it again and weave it with the jasyncio version"
                    + " of this runtime (jasyncio-maven-plugin, -Xplugin:jasyncio or -javaagent of the same version).";
        }
        if (protocol != null) {
            return head + ": " + className + " was woven, but not this method: await() and done() belong in @Async"
                    + " methods returning Coroutine and in lambdas returning Coroutine. Annotate the method @Async and"
                    + " make it return Coroutine<T>, then build again.";
        }
        String agent = System.getProperty(AGENT_PROPERTY);
        if (agent != null) {
            return head + ": the jasyncio agent is installed but did not weave " + className + ". Either the agent"
                    + " refused it and said why on standard error (lines starting [jasyncio-agent]: await outside an"
                    + " @Async method, await inside synchronized, ...), or the class was loaded by the boot or platform"
                    + " class loader, or before the agent started. Fix what the agent reported; the method ran as plain"
                    + " Java up to here, so its side effects before this point happened when it was called.";
        }
        return head + ": " + className + " was compiled but not woven, so the method ran as plain Java up to here"
                + " (its side effects before this point happened when it was called, not when it was awaited)."
                + " Weave it: if jasyncio-maven-plugin is in the build, it weaves in the process-classes phase, after"
                + " compile, so run mvn package, mvn verify or mvn exec:java rather than a bare mvn compile; when javac"
                + " compiles outside that (an IDE, plain javac, Gradle), give javac -Xplugin:jasyncio with"
                + " jasyncio-transformer.jar on the processor path; or run with"
                + " -javaagent:jasyncio-transformer.jar. And the method must be @Async and return Coroutine<T>.";
    }

    /**
     * The protocol in the woven marker of {@code c}'s class file, or {@code null} if it has none (or its class file
     * cannot be read). A marker without a protocol is protocol 1 (jasyncio 0.1.0 before protocols).
     */
    static Integer wovenProtocol(Class<?> c) {
        String name = c.getName();
        try (InputStream in = c.getResourceAsStream(name.substring(name.lastIndexOf('.') + 1) + ".class")) {
            return in == null ? null : markerProtocol(new DataInputStream(in));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Reads a class file as far as its attributes and returns its marker's protocol (see above). */
    private static Integer markerProtocol(DataInputStream in) throws IOException {
        if (in.readInt() != 0xCAFEBABE) {
            return null;
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        Object[] ints = new Object[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 3 -> ints[i] = in.readInt();
                case 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++;
                }
                case 7, 8, 16, 19, 20 -> in.readUnsignedShort();
                case 9, 10, 11, 12, 17, 18 -> in.readInt();
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                default -> {
                    return null; // a constant this reader does not know
                }
            }
        }
        in.readUnsignedShort(); // access
        in.readUnsignedShort(); // this
        in.readUnsignedShort(); // super
        skip(in, in.readUnsignedShort() * 2); // interfaces
        for (int members = 0; members < 2; members++) { // fields, then methods
            int n = in.readUnsignedShort();
            for (int i = 0; i < n; i++) {
                skip(in, 6);
                skipAttributes(in);
            }
        }
        int attributes = in.readUnsignedShort();
        for (int a = 0; a < attributes; a++) {
            String attribute = utf8[in.readUnsignedShort()];
            int length = in.readInt();
            if (!"RuntimeInvisibleAnnotations".equals(attribute)) {
                skip(in, length);
                continue;
            }
            int annotations = in.readUnsignedShort();
            for (int i = 0; i < annotations; i++) {
                String type = utf8[in.readUnsignedShort()];
                int pairs = in.readUnsignedShort();
                Integer protocol = null;
                for (int p = 0; p < pairs; p++) {
                    String element = utf8[in.readUnsignedShort()];
                    int tag = in.readUnsignedByte();
                    if (tag == 'I' && "protocol".equals(element)) {
                        Object v = ints[in.readUnsignedShort()];
                        protocol = v instanceof Integer ? (Integer) v : null;
                    } else {
                        skipElementValue(in, tag);
                    }
                }
                if (MARKER.equals(type)) {
                    return protocol != null ? protocol : 1;
                }
            }
        }
        return null;
    }

    private static void skipAttributes(DataInputStream in) throws IOException {
        int n = in.readUnsignedShort();
        for (int i = 0; i < n; i++) {
            in.readUnsignedShort();
            skip(in, in.readInt());
        }
    }

    private static void skipElementValue(DataInputStream in, int tag) throws IOException {
        switch (tag) {
            case 'e' -> skip(in, 4);
            case '@' -> {
                in.readUnsignedShort();
                int pairs = in.readUnsignedShort();
                for (int p = 0; p < pairs; p++) {
                    in.readUnsignedShort();
                    skipElementValue(in, in.readUnsignedByte());
                }
            }
            case '[' -> {
                int n = in.readUnsignedShort();
                for (int i = 0; i < n; i++) {
                    skipElementValue(in, in.readUnsignedByte());
                }
            }
            default -> skip(in, 2); // a constant or a class
        }
    }

    private static void skip(DataInputStream in, long n) throws IOException {
        in.readNBytes((int) n);
    }
}
