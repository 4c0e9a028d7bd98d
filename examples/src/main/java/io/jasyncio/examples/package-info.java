/**
 * asyncio's classic tutorial programs, in Java with jasyncio: each {@link io.jasyncio.examples.Example} prints
 * exactly what its Python original (quoted in the class's documentation) prints. {@link io.jasyncio.examples.Main}
 * runs them by name, on real time, and adds the elapsed time; the tests run the same coroutines on virtual time.
 */
package io.jasyncio.examples;
