package io.jasyncio.internal;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a coroutine frame class that the jasyncio transformer generated; written by the transformer, never by
 * hand. Not API. The build hosts delete (or leave out of a jar) a frame class of an earlier run that nothing uses
 * any more only when it carries this mark: a user's class whose name merely looks like a frame's
 * ({@code Foo$$Async$bar}) is never touched. The type exists so that javac, reading frame classes from the class
 * path, finds the annotation.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface FrameByJasyncio {
}
