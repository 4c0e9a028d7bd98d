package io.jasyncio.it;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.Coroutine;
import io.jasyncio.annotations.Async;
import java.util.ArrayList;
import java.util.List;

/**
 * The targets of {@link DirectAwaitsTest}: {@code @Async} methods of other classes in every shape an await can call
 * (static, final, of a final class, overridable with woven, plain and absent overrides, interface defaults), each
 * of which records how it was entered ({@link #probe}). Public, for the subclass of {@code io.jasyncio.it.unwoven}
 * (left unwoven by both hosts: see the plugin's and the agent's {@code excludes} in integration-tests/pom.xml).
 */
public final class DirectAwaitsFixtures {
    private DirectAwaitsFixtures() {
    }

    /** What a target does: return at once or after a suspension, or throw, before or after a suspension. */
    public enum Mode {
        VALUE(false, false), SUSPEND(true, false), THROW(false, true), SUSPEND_THROW(true, true);

        final boolean suspends;
        final boolean fails;

        Mode(boolean suspends, boolean fails) {
            this.suspends = suspends;
            this.fails = fails;
        }
    }

    /** What the targets throw; the last one made is kept, to check that the awaiting code gets that very object. */
    public static final class Boom extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static Boom last;

        public Boom(String message) {
            super(message);
            last = this;
        }
    }

    /**
     * How each target's body was entered, in order: {@code Class.body<-caller}, where the caller is the awaiting
     * body ({@code async$...}) for a direct call, and the frame's {@code resume} for the generic path.
     */
    public static final List<String> ENTRIES = new ArrayList<>();

    /**
     * Records the frame that called the calling body. Method-handle frames are left out: hidden ones are not shown,
     * and a call site's first call of a receiver class goes through its linker's {@code invokeWithArguments}.
     */
    static void probe() {
        List<StackWalker.StackFrame> frames = StackWalker.getInstance()
                .walk(s -> s.skip(1).filter(f -> !f.getClassName().startsWith("java.lang.invoke.")
                        && !f.getClassName().startsWith("io.jasyncio.internal.DirectCallLinker")).limit(2).toList());
        String body = frames.get(0).getClassName();
        ENTRIES.add(body.substring(Math.max(body.lastIndexOf('$'), body.lastIndexOf('.')) + 1) + "." + frames.get(0).getMethodName() + "<-"
                + frames.get(1).getMethodName());
    }

    /** The common end of every target: suspends, fails or returns as told. */
    @Async
    static Coroutine<String> act(String who, int n, Mode m) {
        if (m.suspends) {
            await(sleep(1));
        }
        if (m.fails) {
            throw new Boom(who + n);
        }
        return done(who + n);
    }

    /** The interface that {@link Base} implements. */
    public interface Who {
        Coroutine<String> who(int n, Mode m);
    }

    public static class Base implements Who {
        @Async
        @Override
        public Coroutine<String> who(int n, Mode m) {
            probe();
            if (m.suspends) {
                await(sleep(1));
            }
            if (m.fails) {
                throw new Boom("Base" + n);
            }
            return done("Base" + n);
        }
    }

    /** A package-private {@code @Async} method, which a class of another package cannot override. */
    public static class PackagePrivate {
        @Async
        Coroutine<String> pkg(int n, Mode m) {
            probe();
            return done("PackagePrivate+" + await(act("", n, m)));
        }
    }

    /** Overrides {@link PackagePrivate#pkg} (same package). */
    public static class PackagePrivateOverride extends PackagePrivate {
        @Async
        @Override
        Coroutine<String> pkg(int n, Mode m) {
            probe();
            return done("PackagePrivateOverride+" + await(act("", n, m)));
        }
    }

    public static class WovenOverride extends Base {
        @Async
        @Override
        public Coroutine<String> who(int n, Mode m) {
            probe();
            return done("WovenOverride+" + await(act("", n, m)));
        }
    }

    public static class NoOverride extends Base {
    }

    public static class DeepNoOverride extends WovenOverride {
    }

    /** Overrides with a plain method (nothing to weave): returns another method's coroutine. */
    public static class PlainOverride extends Base {
        @Override
        public Coroutine<String> who(int n, Mode m) {
            return act("PlainOverride", n, m);
        }
    }

    /** A plain override that returns the same coroutine every time: awaiting it twice must fail the second time. */
    public static class SameCoroutine extends Base {
        private Coroutine<String> once;

        @Override
        public Coroutine<String> who(int n, Mode m) {
            if (once == null) {
                once = act("SameCoroutine", n, m);
            }
            return once;
        }
    }

    public static class SuperCall extends Base {
        @Async
        @Override
        public Coroutine<String> who(int n, Mode m) {
            probe();
            return done("SuperCall+" + await(super.who(n, m)));
        }
    }

    /** Overrides in a class of which nothing is woven: the override is plain, its own base is woven. */
    public static class OverrideOfPlain extends PlainOverride {
        @Async
        @Override
        public Coroutine<String> who(int n, Mode m) {
            probe();
            return done("OverrideOfPlain+" + await(act("", n, m)));
        }
    }

    public static final class Statics {
        private Statics() {
        }

        @Async
        public static Coroutine<String> value(String who, int n, Mode m) {
            probe();
            if (m.suspends) {
                await(sleep(1));
            }
            if (m.fails) {
                throw new Boom(who + n);
            }
            return done(who + n);
        }

        /** Rule 2 and 3 through a linked call: the arguments first, then the body, inline, in order. */
        @Async
        static Coroutine<Integer> ordered(DirectAwaitsTest t, int n) {
            t.expect(2);
            await(sleep(1));
            t.expect(3);
            return done(n + 1);
        }

        /** A static method that is not {@code @Async}: plain Java returning another method's coroutine. */
        public static Coroutine<String> plain(int n, Mode m) {
            return act("plain", n, m);
        }
    }

    public static class Finals {
        @Async
        public final Coroutine<String> fin(int n, Mode m) {
            probe();
            return done("Finals+" + await(act("", n, m)));
        }
    }

    public static final class FinalClass {
        @Async
        public Coroutine<String> fin(int n, Mode m) {
            probe();
            return done("FinalClass+" + await(act("", n, m)));
        }
    }

    /** A subclass of {@link Finals}: the final method is still {@code Finals}'. */
    public static class FinalsSub extends Finals {
    }

    public interface WithDefault {
        @Async
        default Coroutine<String> greet(int n, Mode m) {
            probe();
            return done("Default+" + await(act("", n, m)));
        }
    }

    public static class UsesDefault implements WithDefault {
    }

    /** Overrides the default in a subinterface: the JVM selects this one, the most specific. */
    public interface WithDefault2 extends WithDefault {
        @Async
        @Override
        default Coroutine<String> greet(int n, Mode m) {
            probe();
            return done("Default2+" + await(act("", n, m)));
        }
    }

    /** Implements both: WithDefault2's default is the most specific. */
    public static class UsesDefault2 implements WithDefault, WithDefault2 {
    }

    /** Redeclares the default abstract: a class implementing it must implement it. */
    public interface Abstracted extends WithDefault {
        @Override
        Coroutine<String> greet(int n, Mode m);
    }

    public static class ImplementsAbstracted implements Abstracted {
        @Async
        @Override
        public Coroutine<String> greet(int n, Mode m) {
            probe();
            return done("ImplementsAbstracted+" + await(act("", n, m)));
        }
    }

    /** Inherits UsesDefault's interface default through its superclass. */
    public static class UsesDefaultSub extends UsesDefault {
    }

    public static class OverridesDefault implements WithDefault {
        @Async
        @Override
        public Coroutine<String> greet(int n, Mode m) {
            probe();
            return done("OverridesDefault+" + await(act("", n, m)));
        }
    }
}
