package io.jasyncio.internal;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class woven by the jasyncio transformer; written by the transformer, never by hand. Not API.
 *
 * <p>The transformer leaves a class that carries it alone when its {@link #protocol()} is the one it writes, and
 * refuses it otherwise (the class's original code is gone: it must be compiled again). The type exists so that
 * javac, reading woven classes from the class path, finds the annotation's element.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface WovenByJasyncio {
    /**
     * The version of the contract between the woven code and this package ({@link Woven}) the class was woven for.
     *
     * @return the protocol version
     */
    int protocol();
}
