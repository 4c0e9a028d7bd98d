package io.jasyncio.examples;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.gather;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.Coroutine;
import io.jasyncio.Queue;
import io.jasyncio.QueueShutDownException;
import io.jasyncio.Task;
import io.jasyncio.annotations.Async;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Three producers put three items each into a {@link Queue} of at most five items, and two consumers take them
 * out, one second of work per item. A {@code put} waits while the queue is full, so the producers go at the
 * consumers' pace; each consumer reports every item done with {@code taskDone()}, and {@code join()} returns
 * once all nine are done. Then {@code shutdown()} (Python 3.13) ends the consumers waiting in {@code get()}:
 * their {@code get} throws {@link QueueShutDownException} (Python's {@code QueueShutDown}). The second consumer
 * starts half a second after the first, so that no two of them wake at the same instant. The Python original
 * (Python 3.13):
 * <pre>{@code
 * import asyncio
 *
 * async def producer(queue, n):
 *     for i in range(3):
 *         item = f"p{n}-{i}"
 *         await queue.put(item)  # waits while the queue holds 5 items
 *         print(f"producer {n}: put {item} (size {queue.qsize()})")
 *
 * async def consumer(queue, n, delay, consumed):
 *     await asyncio.sleep(delay)  # the second consumer starts half a second later
 *     try:
 *         while True:
 *             item = await queue.get()
 *             print(f"consumer {n}: got {item}")
 *             await asyncio.sleep(1)  # the work on the item
 *             consumed.append(item)
 *             queue.task_done()
 *     except asyncio.QueueShutDown:
 *         print(f"consumer {n}: the queue is shut down")
 *
 * async def main():
 *     queue = asyncio.Queue(5)
 *     consumed = []
 *     consumers = [asyncio.create_task(consumer(queue, n, n * 0.5, consumed)) for n in range(2)]
 *     producers = [asyncio.create_task(producer(queue, n)) for n in range(3)]
 *     await asyncio.gather(*producers)
 *     print("all items put")
 *     await queue.join()  # until every item put was reported done
 *     print("all items done")
 *     queue.shutdown()
 *     await asyncio.gather(*consumers)
 *     print(f"{len(consumed)} items consumed, each once: {len(set(consumed)) == len(consumed) == 9}")
 *
 * asyncio.run(main())
 * }</pre>
 * The five first puts go in at once and {@code producer 1}'s third put waits; from then on every {@code get}
 * lets one waiting put in. The last item is taken at 4 s and done at 5 s, when {@code all items done} and the
 * two shutdown lines print.
 */
public final class ProducerConsumer implements Example {

    /** Creates the example. */
    public ProducerConsumer() {
    }

    /** {@return {@code producer-consumer}} */
    @Override
    public String name() {
        return "producer-consumer";
    }

    /** {@return what the example shows} */
    @Override
    public String description() {
        return "3 producers, 2 consumers, a Queue of 5: join() when all 9 items are done, then shutdown(): 5 s";
    }

    /**
     * Puts three items, waiting whenever the queue is full.
     *
     * @param out where the coroutine prints
     * @param queue the queue
     * @param n the producer's number
     * @return the coroutine
     */
    @Async
    public Coroutine<Void> producer(PrintStream out, Queue<String> queue, int n) {
        for (int i = 0; i < 3; i++) {
            String item = "p" + n + "-" + i;
            await(queue.put(item)); // waits while the queue holds 5 items
            out.println("producer " + n + ": put " + item + " (size " + queue.qsize() + ")");
        }
        return done();
    }

    /**
     * Takes items until the queue is shut down, one second of work each, and reports each one done.
     *
     * @param out where the coroutine prints
     * @param queue the queue
     * @param n the consumer's number
     * @param delay how long it waits before it starts
     * @param consumed where it records each item it finished
     * @return the coroutine
     */
    @Async
    public Coroutine<Void> consumer(PrintStream out, Queue<String> queue, int n, double delay, List<String> consumed) {
        await(sleep(delay)); // the second consumer starts half a second later
        try {
            while (true) {
                String item = await(queue.get());
                out.println("consumer " + n + ": got " + item);
                await(sleep(1)); // the work on the item
                consumed.add(item);
                queue.taskDone();
            }
        } catch (QueueShutDownException e) {
            out.println("consumer " + n + ": the queue is shut down");
        }
        return done();
    }

    /**
     * Starts the consumers and the producers, waits for the producers and for every item to be done, then shuts
     * the queue down and waits for the consumers.
     *
     * @param out where the program prints
     * @return the program's main coroutine
     */
    @Async
    @Override
    public Coroutine<Void> main(PrintStream out) {
        Queue<String> queue = new Queue<>(5);
        List<String> consumed = new ArrayList<>();
        List<Task<Void>> consumers = new ArrayList<>();
        for (int n = 0; n < 2; n++) {
            consumers.add(createTask(consumer(out, queue, n, n * 0.5, consumed)));
        }
        List<Task<Void>> producers = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            producers.add(createTask(producer(out, queue, n)));
        }
        await(gather(producers));
        out.println("all items put");
        await(queue.join()); // until every item put was reported done
        out.println("all items done");
        queue.shutdown();
        await(gather(consumers));
        boolean once = new HashSet<>(consumed).size() == consumed.size() && consumed.size() == 9;
        out.println(consumed.size() + " items consumed, each once: " + (once ? "True" : "False"));
        return done();
    }
}
