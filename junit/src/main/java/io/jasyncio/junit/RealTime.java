package io.jasyncio.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs an {@link AsyncTest} (or, on a class, each of its {@code @AsyncTest} methods and those of its nested
 * classes) on the system's monotonic clock instead of virtual time: {@code sleep(1)} then takes a second. For
 * tests whose timing against the outside world matters (sockets with real peers, threads that sleep).
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface RealTime {
}
