package io.jasyncio.benchmarks;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;

import io.jasyncio.Asyncio;
import io.jasyncio.Coroutine;
import io.jasyncio.annotations.Async;

/**
 * The W5 chain ({@code await(chain(d - 1)) + 1}, nothing suspends) in the shapes of await that are not a call of a
 * static, private or final method of the same class: each level awaits a method of ANOTHER class (two classes
 * calling each other), or an overridable instance method. See {@link ChainBenchmark}.
 */
final class ChainShapes {
    private ChainShapes() {
    }

    /** Drives {@code calls} chains of {@code depth} through {@code level}, on a fresh loop. */
    static long run(String what, int calls, int depth, Level level) {
        return Checks.expect(what, Asyncio.run(drive(calls, depth, level)), (long) calls * depth);
    }

    /** One level of a chain, whatever its shape. */
    interface Level {
        Coroutine<Integer> top(int d);
    }

    @Async
    static Coroutine<Long> drive(int calls, int depth, Level level) {
        long sum = 0;
        for (int i = 0; i < calls; i++) {
            sum += await(level.top(depth));
        }
        return done(sum);
    }

    // ---- static methods of another class: Ping.chain awaits Pong.chain, which awaits Ping.chain ---------------

    static final class Ping {
        private Ping() {
        }

        @Async
        static Coroutine<Integer> chain(int d) {
            if (d == 0) {
                return done(0);
            }
            return done(await(Pong.chain(d - 1)) + 1);
        }
    }

    static final class Pong {
        private Pong() {
        }

        @Async
        static Coroutine<Integer> chain(int d) {
            if (d == 0) {
                return done(0);
            }
            return done(await(Ping.chain(d - 1)) + 1);
        }
    }

    // ---- final instance methods of another class --------------------------------------------------------------

    static class FinalPing {
        FinalPong other;

        @Async
        final Coroutine<Integer> chain(int d) {
            if (d == 0) {
                return done(0);
            }
            return done(await(other.chain(d - 1)) + 1);
        }
    }

    static class FinalPong {
        FinalPing other;

        @Async
        final Coroutine<Integer> chain(int d) {
            if (d == 0) {
                return done(0);
            }
            return done(await(other.chain(d - 1)) + 1);
        }
    }

    static FinalPing finalPair() {
        FinalPing ping = new FinalPing();
        FinalPong pong = new FinalPong();
        ping.other = pong;
        pong.other = ping;
        return ping;
    }

    // ---- an overridable method of the same class, on a receiver of that class or of a subclass ----------------

    static class Node {
        @Async
        Coroutine<Integer> chain(int d) {
            if (d == 0) {
                return done(0);
            }
            return done(await(chain(d - 1)) + 1);
        }
    }

    /** Overrides nothing: {@code chain} is {@link Node}'s. */
    static class SubNode extends Node {
    }
}
