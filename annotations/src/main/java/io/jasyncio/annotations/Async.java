package io.jasyncio.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method as a coroutine function: its body may {@code await(...)} and it is rewritten by the jasyncio
 * transformer (the Maven plugin at build time, or the java agent at load time) into a resumable state machine.
 *
 * <p>The method must return {@code io.jasyncio.Coroutine<T>} and produce its result with
 * {@code return Asyncio.done(value)} (or {@code return Asyncio.done()} for {@code Coroutine<Void>}).
 * Calling the method runs none of its body: it evaluates the arguments and returns a coroutine object, which
 * runs when it is awaited or wrapped in a task.
 *
 * <pre>{@code
 * @Async Coroutine<String> fetch(String url) {
 *     await(sleep(1.0));
 *     return done("data from " + url);
 * }
 * }</pre>
 *
 * <p>The transformer rejects, failing the build with the source file and line: {@code @Async} on a
 * constructor, a static initializer, an abstract or native method; an {@code @Async} method whose return type
 * is not {@code Coroutine}; and {@code await} inside a {@code synchronized} block or method.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Async {
}
