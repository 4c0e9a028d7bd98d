package io.jasyncio.transformer;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * Loads the classes of chosen packages from the test classpath woven by the {@link Transformer}, checking every
 * woven class and frame class with ASM's {@link CheckClassAdapter} (data-flow verification included) before the
 * JVM's own verifier sees it at definition.
 */
public final class WeavingClassLoader extends ClassLoader {
    private final String prefix;
    private final Transformer transformer;
    private final Map<String, byte[]> pending = new HashMap<>();
    /** Where the class files of the woven packages are read from. */
    private final ClassLoader source;

    public WeavingClassLoader(String packagePrefix) {
        this(packagePrefix, WeavingClassLoader.class.getClassLoader());
    }

    /**
     * A loader that weaves the classes of {@code packagePrefix} read from {@code source} (which also resolves the
     * classes they refer to); other classes come from the test class path.
     */
    public WeavingClassLoader(String packagePrefix, ClassLoader source) {
        super(WeavingClassLoader.class.getClassLoader());
        this.prefix = packagePrefix;
        this.source = source;
        this.transformer = new Transformer(ClassFileLocator.of(source));
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                c = name.startsWith(prefix) ? findClass(name) : super.loadClass(name, false);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        String internal = name.replace('.', '/');
        byte[] bytes = pending.remove(internal);
        if (bytes == null) {
            try (InputStream in = source.getResourceAsStream(internal + ".class")) {
                if (in == null) {
                    throw new ClassNotFoundException(name);
                }
                TransformResult r = transformer.transform(in.readAllBytes());
                bytes = r.bytes();
                if (r.changed()) {
                    for (TransformResult.GeneratedClass g : r.generated()) {
                        pending.put(g.className(), g.bytes());
                    }
                    pending.put(internal, bytes); // visible to the checks, which may resolve the class
                    check(bytes);
                    for (TransformResult.GeneratedClass g : r.generated()) {
                        check(g.bytes());
                    }
                    pending.remove(internal);
                }
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            } catch (TransformException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        return defineClass(name, bytes, 0, bytes.length);
    }

    /** ASM's verifier over the class; throws with its report if anything is wrong. */
    private void check(byte[] bytes) {
        StringWriter out = new StringWriter();
        CheckClassAdapter.verify(new ClassReader(bytes), this, false, new PrintWriter(out));
        if (!out.toString().isEmpty()) {
            throw new AssertionError("CheckClassAdapter rejected " + new ClassReader(bytes).getClassName() + ":\n" + out);
        }
    }
}
