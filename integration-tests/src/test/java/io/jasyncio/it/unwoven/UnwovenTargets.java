package io.jasyncio.it.unwoven;

import static io.jasyncio.Asyncio.done;

import io.jasyncio.Coroutine;
import io.jasyncio.annotations.Async;
import io.jasyncio.it.DirectAwaitsFixtures;

/**
 * {@code @Async} methods that neither host weaves (the plugin's and the agent's {@code excludes} in
 * integration-tests/pom.xml leave this package out): calling them runs their code as plain Java, whose
 * {@code done} throws {@code NotWovenException}. A linked await must call them, never a woven body instead.
 */
public final class UnwovenTargets {
    private UnwovenTargets() {
    }

    @Async
    public static Coroutine<String> value(int n) {
        return done("unwoven" + n);
    }

    /** An unwoven override of a woven method. */
    public static class UnwovenOverride extends DirectAwaitsFixtures.Base {
        @Async
        @Override
        public Coroutine<String> who(int n, DirectAwaitsFixtures.Mode m) {
            return done("UnwovenOverride" + n);
        }
    }
}
