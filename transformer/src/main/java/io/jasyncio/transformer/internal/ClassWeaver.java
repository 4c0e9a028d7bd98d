package io.jasyncio.transformer.internal;

import io.jasyncio.transformer.ClassFileLocator;
import io.jasyncio.transformer.TransformException;
import io.jasyncio.transformer.TransformResult;
import org.objectweb.asm.ClassReader;

/** Weaves one class (being written). */
public final class ClassWeaver {
    private final byte[] classFile;

    public ClassWeaver(byte[] classFile, ClassFileLocator locator) {
        this.classFile = classFile;
    }

    public static String className(byte[] classFile) {
        return new ClassReader(classFile).getClassName();
    }

    public TransformResult weave() throws TransformException {
        throw new UnsupportedOperationException("work in progress");
    }
}
