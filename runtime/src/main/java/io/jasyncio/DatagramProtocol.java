package io.jasyncio;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * What a {@link DatagramTransport} tells the code that uses it; asyncio's {@code DatagramProtocol}. The callbacks
 * run on the loop's thread: {@link #connectionMade} once, then datagrams and errors, then {@link #connectionLost}
 * once.
 */
public interface DatagramProtocol {
    /**
     * The endpoint is ready.
     *
     * @param transport the endpoint's transport
     */
    default void connectionMade(DatagramTransport transport) {
    }

    /**
     * A datagram arrived. {@code data} is the loop's read buffer: valid only during the call.
     *
     * @param data the datagram, from its position to its limit
     * @param address where it came from
     */
    default void datagramReceived(ByteBuffer data, SocketAddress address) {
    }

    /**
     * A send or receive failed (for example an ICMP "port unreachable" on a connected endpoint); the endpoint
     * stays open.
     *
     * @param exception the error
     */
    default void errorReceived(Exception exception) {
    }

    /**
     * The endpoint is closed.
     *
     * @param exception the error that closed it, or {@code null}
     */
    default void connectionLost(Exception exception) {
    }
}
