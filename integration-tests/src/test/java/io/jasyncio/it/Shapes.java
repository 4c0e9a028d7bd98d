package io.jasyncio.it;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.it.Constructs.val;

import io.jasyncio.AsyncCallable;
import io.jasyncio.AsyncFunction;
import io.jasyncio.Coroutine;
import io.jasyncio.annotations.Async;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The shapes of code javac writes around {@code @Async} methods and coroutine lambdas (issue 10): bridge methods
 * onto which javac copies {@code @Async}, nested lambdas, lambdas of static initializers and constructors, enum
 * constant bodies, records, local and anonymous classes, switches on strings and enums inside lambdas, default,
 * private and static interface methods, bounded generics and varargs. Every method takes {@code suspend}: the
 * awaited values come from {@link Constructs#val}, which really suspends when it is true, so each shape runs on
 * both paths of an {@code await}. {@code ShapesTest} runs them; {@code WovenBytecodeTest} checks them with ASM's
 * CheckClassAdapter, and the JVM verifies them as they load.
 */
public final class Shapes {
    private Shapes() {
    }

    // ---- bridge methods -----------------------------------------------------------------------------------

    /** A generic interface: an implementation's {@code map(String)} gets a bridge {@code map(Object)}. */
    public interface Mapper<A, B> {
        Coroutine<B> map(A a, boolean suspend);
    }

    /** javac copies {@code @Async} onto the bridge {@code map(Object, boolean)}, which only delegates. */
    public static final class Lengths implements Mapper<String, Integer> {
        @Async
        @Override
        public Coroutine<Integer> map(String s, boolean suspend) {
            return done(s.length() + await(val(0, suspend)));
        }
    }

    /** A generic class whose coroutine a subclass overrides for one type argument (a bridge in the subclass). */
    public static class Base<T> {
        @Async
        public Coroutine<String> describe(T value, boolean suspend) {
            return done("base " + await(val(value, suspend)));
        }
    }

    /** Overrides {@code describe(T)} as {@code describe(Integer)}: javac adds the bridge {@code describe(Object)}. */
    public static final class IntBase extends Base<Integer> {
        @Async
        @Override
        public Coroutine<String> describe(Integer value, boolean suspend) {
            int v = await(val(value, suspend));
            return done("int " + (v + 1) + " " + await(super.describe(v, suspend)));
        }
    }

    /** A covariant override: {@code Base.self()} returns Object, {@code Covariant.self()} String (a bridge). */
    public static class Source {
        public Object self() {
            return "source";
        }

        @Async
        public Coroutine<Object> produce(boolean suspend) {
            return done(await(val(self(), suspend)));
        }
    }

    /** Overrides {@code self()} covariantly, so the class has the bridge {@code Object self()} beside its coroutine. */
    public static final class Covariant extends Source {
        @Override
        public String self() {
            return "covariant";
        }

        @Async
        @Override
        public Coroutine<Object> produce(boolean suspend) {
            Object base = await(super.produce(suspend));
            return done(base + "/" + await(val(self().length(), suspend)));
        }
    }

    // ---- lambdas ------------------------------------------------------------------------------------------

    /** A coroutine lambda made in a static initializer ({@code lambda$static$0}). */
    static final AsyncFunction<Integer, Integer> TWICE = x -> done(2 * await(val(x, x > 0)));

    @Async
    public static Coroutine<Integer> twice(int x) throws Exception {
        return done(await(TWICE.apply(x)));
    }

    /** A lambda inside a lambda inside a lambda, each awaiting. */
    @Async
    public static Coroutine<String> nestedLambdas(boolean suspend) throws Exception {
        String prefix = "n";
        AsyncFunction<String, String> outer = a -> {
            AsyncFunction<String, String> middle = b -> {
                AsyncCallable<String> inner = () -> done(prefix + await(val(b, suspend)));
                return done(await(inner.call()) + "|" + await(val(a, suspend)));
            };
            return done(await(middle.apply(a + "m")) + "!");
        };
        return done(await(outer.apply("x")));
    }

    /** A coroutine lambda made in a constructor ({@code lambda$new$0}), capturing a parameter and a field. */
    public static final class Built {
        private final int base;
        final AsyncFunction<Boolean, Integer> next;

        public Built(int base) {
            this.base = base;
            int step = 5;
            this.next = suspend -> done(await(val(step, suspend)) + 1);
        }

        @Async
        public Coroutine<Integer> total(boolean suspend) throws Exception {
            return done(base + await(next.apply(suspend)));
        }
    }

    /** Switches on strings and on enums (the latter through javac's synthetic {@code $SwitchMap$} class). */
    public enum Color { RED, GREEN, BLUE }

    @Async
    public static Coroutine<String> switchesInLambda(boolean suspend) throws Exception {
        AsyncFunction<String, String> f = key -> {
            String out;
            switch (key) {
                case "red":
                    out = "R" + await(val(1, suspend));
                    break;
                case "green":
                    out = "G";
                    break;
                default:
                    out = "?" + await(val(key.length(), suspend));
            }
            Color c = await(val(key.equals("red") ? Color.RED : key.equals("green") ? Color.GREEN : Color.BLUE,
                    suspend));
            switch (c) {
                case RED:
                    out += await(val("r", suspend));
                    break;
                case GREEN:
                    out += "g";
                    break;
                default:
                    out += await(val("b", suspend));
            }
            String arrow = switch (c) {
                case RED -> "1";
                case GREEN -> await(val("2", suspend));
                case BLUE -> "3";
            };
            return done(out + arrow);
        };
        StringBuilder sb = new StringBuilder();
        for (String k : List.of("red", "green", "blue")) {
            sb.append(await(f.apply(k))).append(',');
        }
        return done(sb.toString());
    }

    // ---- enums and records --------------------------------------------------------------------------------

    /** Enum constants with bodies: each body is an anonymous subclass with its own {@code @Async} method. */
    public enum Op {
        PLUS {
            @Async
            @Override
            public Coroutine<Integer> apply(int a, int b, boolean suspend) {
                return done(a + await(val(b, suspend)));
            }
        },
        TIMES {
            @Async
            @Override
            public Coroutine<Integer> apply(int a, int b, boolean suspend) {
                int x = await(val(a, suspend));
                return done(x * await(val(b, suspend)));
            }
        };

        public abstract Coroutine<Integer> apply(int a, int b, boolean suspend);
    }

    /** A record: a compact constructor that makes a coroutine lambda, and an {@code @Async} method. */
    public record Pair(String left, int right, Supplier<Coroutine<String>> lazy) {
        public Pair {
            String l = left.trim();
            int r = right;
            lazy = () -> done(l + await(val(r, r % 2 == 0)));
        }

        @Async
        public Coroutine<String> both(boolean suspend) {
            return done(await(lazy.get()) + ":" + await(val(left, suspend)) + right);
        }
    }

    // ---- local and anonymous classes ----------------------------------------------------------------------

    @Async
    public static Coroutine<String> localAndAnonymous(boolean suspend) throws Exception {
        String captured = "c";
        int n = await(val(3, suspend));
        final class Local {
            @Async
            Coroutine<String> repeat(boolean s) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    sb.append(await(val(captured, s)));
                }
                return done(sb.toString());
            }
        }
        AsyncCallable<String> anonymous = new AsyncCallable<>() {
            private final String own = "a";

            @Async
            @Override
            public Coroutine<String> call() throws Exception {
                return done(own + await(val(captured, suspend)) + await(new Local().repeat(suspend)));
            }
        };
        return done(await(new Local().repeat(suspend)) + "/" + await(anonymous.call()));
    }

    // ---- interfaces ---------------------------------------------------------------------------------------

    /** Default, private and static coroutine methods of an interface. */
    public interface Steps {
        String name();

        @Async
        default Coroutine<String> run(boolean suspend) {
            String a = await(step(1, suspend));
            return done(a + await(twiceStatic(name(), suspend)));
        }

        @Async
        private Coroutine<String> step(int i, boolean suspend) {
            return done(name() + await(val(i, suspend)));
        }

        @Async
        static Coroutine<String> twiceStatic(String s, boolean suspend) {
            return done(await(val(s, suspend)) + s);
        }
    }

    // ---- generics and varargs -----------------------------------------------------------------------------

    /** A class with a bounded type parameter and a coroutine with an intersection bound. */
    public static final class Box<T extends Comparable<T>> {
        private final T value;

        public Box(T value) {
            this.value = value;
        }

        @Async
        public Coroutine<T> maxWith(T other, boolean suspend) {
            T o = await(val(other, suspend));
            return done(value.compareTo(o) >= 0 ? value : o);
        }

        @Async
        public static <U extends Number & Comparable<U>> Coroutine<U> larger(U a, U b, boolean suspend) {
            U x = await(val(a, suspend));
            U y = await(val(b, suspend));
            return done(x.compareTo(y) >= 0 ? x : y); // Comparable through the bound: a cast from the erasure Number
        }
    }

    @Async
    public static Coroutine<Integer> sum(boolean suspend, int... xs) {
        int total = 0;
        for (int x : xs) {
            total += await(val(x, suspend));
        }
        return done(total);
    }

    @Async
    @SafeVarargs
    public static <T> Coroutine<List<T>> listOf(boolean suspend, T... xs) {
        List<T> out = new ArrayList<>();
        for (T x : xs) {
            out.add(await(val(x, suspend)));
        }
        return done(out);
    }

    /** A lambda given to a plain {@link Function}: returns a coroutine, so it is woven too. */
    static final Function<String, Coroutine<String>> SHOUT = s -> done(await(val(s.toUpperCase(), true)) + "!");
}
