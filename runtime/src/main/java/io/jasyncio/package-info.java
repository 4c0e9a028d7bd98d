/**
 * asyncio for Java: one thread, explicit {@code await}, real coroutines.
 *
 * <h2>Coroutines</h2>
 * A coroutine is a method marked {@link io.jasyncio.annotations.Async @Async} that returns
 * {@link io.jasyncio.Coroutine Coroutine&lt;T&gt;}, awaits with {@link io.jasyncio.Asyncio#await(io.jasyncio.Coroutine) await(...)}
 * and returns with {@link io.jasyncio.Asyncio#done(Object) done(value)}. javac compiles it as plain Java; jasyncio's
 * transformer (the javac plugin {@code -Xplugin:jasyncio}, the Maven plugin, or the java agent) rewrites it into a
 * state machine that suspends at each {@code await} of something not done yet. Calling a coroutine runs nothing:
 * awaiting it, or wrapping it in a {@link io.jasyncio.Task} with {@link io.jasyncio.Asyncio#createTask}, runs it.
 *
 * <pre>{@code
 * import static io.jasyncio.Asyncio.*;
 *
 * @Async static Coroutine<Void> hello() {
 *     System.out.println("Hello");
 *     await(sleep(1));
 *     System.out.println("World");
 *     return done();
 * }
 *
 * public static void main(String[] args) {
 *     Asyncio.run(gatherBoth());   // @Async Coroutine<Void> gatherBoth() { await(gather(hello(), hello())); ... }
 * }
 * }</pre>
 *
 * <h2>Where to start</h2>
 * <ul>
 *   <li>{@link io.jasyncio.Asyncio}: the functions of Python's {@code asyncio} module, as static methods to import:
 *       {@code run}, {@code sleep}, {@code createTask}, {@code gather}, {@code waitFor}, {@code timeout},
 *       {@code taskGroup}, {@code wait}, {@code asCompleted}, {@code shield}, {@code toThread}, streams
 *       ({@code openConnection}, {@code startServer}), subprocesses ({@code createSubprocessExec}).</li>
 *   <li>{@link io.jasyncio.EventLoop}: the loop (callbacks, timers, I/O readiness, signals, executors, the
 *       exception handler, debug mode); {@link io.jasyncio.Runner} runs coroutines on one.</li>
 *   <li>{@link io.jasyncio.Future} and {@link io.jasyncio.Task}: results to come, and running coroutines that
 *       can be cancelled ({@link io.jasyncio.CancelledError} is an {@code Error}, so {@code catch (Exception e)}
 *       does not swallow it).</li>
 *   <li>Synchronization: {@link io.jasyncio.Lock}, {@link io.jasyncio.Event}, {@link io.jasyncio.Condition},
 *       {@link io.jasyncio.Semaphore}, {@link io.jasyncio.Barrier}; queues: {@link io.jasyncio.Queue},
 *       {@link io.jasyncio.PriorityQueue}, {@link io.jasyncio.LifoQueue}.</li>
 *   <li>I/O: {@link io.jasyncio.StreamReader}, {@link io.jasyncio.StreamWriter}, {@link io.jasyncio.Server};
 *       {@link io.jasyncio.Transport} and {@link io.jasyncio.Protocol} below them;
 *       {@link io.jasyncio.AsyncProcess} for child processes.</li>
 *   <li>Context variables: {@link io.jasyncio.ContextVar}, {@link io.jasyncio.Context}.</li>
 * </ul>
 *
 * <h2>Rules</h2>
 * Everything runs on the loop's thread: loop, task and future methods called from another thread throw
 * {@link java.lang.IllegalStateException}, except {@link io.jasyncio.EventLoop#callSoonThreadsafe} and
 * {@link io.jasyncio.Asyncio#runCoroutineThreadsafe}. Blocking calls on the loop's thread stop every task: move
 * them to {@link io.jasyncio.Asyncio#toThread} or {@link io.jasyncio.EventLoop#runInExecutor}. The README's
 * table gives the jasyncio name of every asyncio one; docs/semantics.md shows each construct beside its Python.
 *
 * <p>{@code io.jasyncio.internal} is the contract between woven code and the runtime, used by the transformer's
 * output and not by programs.
 */
package io.jasyncio;
