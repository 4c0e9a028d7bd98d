package io.jasyncio.it.otherpkg;

import static io.jasyncio.Asyncio.done;

import io.jasyncio.Coroutine;
import io.jasyncio.annotations.Async;
import io.jasyncio.it.DirectAwaitsFixtures;

/** For DirectAwaitsTest: a subclass in another package, whose {@code pkg} does not override the base's. */
public final class OtherPackage {
    private OtherPackage() {
    }

    /** Declares its own {@code pkg}, which {@code invokevirtual PackagePrivate.pkg} never selects. */
    public static class NotAnOverride extends DirectAwaitsFixtures.PackagePrivate {
        @Async
        Coroutine<String> pkg(int n, DirectAwaitsFixtures.Mode m) {
            return done("NotAnOverride" + n);
        }
    }
}
