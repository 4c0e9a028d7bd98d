package io.jasyncio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.Set;

/**
 * The loop's I/O readiness part: one {@link Selector}, opened when the first channel is watched, and the reader
 * and writer callbacks of each channel (asyncio's selector event loop's {@code _add_reader} and the like).
 *
 * <h2>Implementation overview</h2>
 * <p>A channel keeps its {@link SelectionKey} for as long as it is open: when neither a reader nor a writer is
 * left, its interest set becomes empty instead of the key being cancelled, because a cancelled key stays in the
 * selector until its next selection and registering the channel again before that throws
 * {@link CancelledKeyException} (the JDK's documented behaviour, which Netty works around the same way). Closing
 * a channel cancels its key. {@link #watched} counts the channels with a non-empty interest set: while it is
 * zero the loop waits as it did before there was a selector, so a loop without I/O never pays for it.
 */
final class IoSelector {
    private final EventLoop loop;
    private final Selector selector;
    /** Channels whose interest set is not empty. */
    int watched;

    IoSelector(EventLoop loop) {
        this.loop = loop;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a Selector for " + loop, e);
        }
    }

    /** The callbacks of one channel. */
    private static final class Registration {
        Handle reader;
        Handle writer;
    }

    void add(SelectableChannel channel, Handle handle, boolean write) {
        SelectionKey key = channel.keyFor(selector);
        Registration reg;
        try {
            if (key == null || !key.isValid()) {
                if (channel.isBlocking()) {
                    channel.configureBlocking(false);
                }
                reg = new Registration();
                key = channel.register(selector, 0, reg);
            } else {
                reg = (Registration) key.attachment();
            }
        } catch (ClosedChannelException e) {
            throw new IllegalArgumentException(channel + " is closed", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + channel + " non-blocking", e);
        }
        int before = key.interestOps();
        Handle old;
        if (write) {
            old = reg.writer;
            reg.writer = handle;
            key.interestOps(before | SelectionKey.OP_WRITE | connectOp(channel, before));
        } else {
            old = reg.reader;
            reg.reader = handle;
            key.interestOps(before | readOp(channel));
        }
        if (old != null) {
            old.cancel();
        }
        if (before == 0) {
            watched++;
        }
    }

    boolean remove(SelectableChannel channel, boolean write) {
        SelectionKey key = channel.keyFor(selector);
        if (key == null || !key.isValid()) {
            return false;
        }
        Registration reg = (Registration) key.attachment();
        Handle old = write ? reg.writer : reg.reader;
        if (old == null) {
            return false;
        }
        old.cancel();
        int ops = key.interestOps();
        if (write) {
            reg.writer = null;
            ops &= ~(SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT);
        } else {
            reg.reader = null;
            ops &= ~(SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
        }
        key.interestOps(ops);
        if (ops == 0) {
            watched--;
        }
        return true;
    }

    /** A server channel is readable when it can accept; a socket being connected is writable when it has connected. */
    private static int readOp(SelectableChannel channel) {
        return (channel.validOps() & SelectionKey.OP_ACCEPT) != 0 ? SelectionKey.OP_ACCEPT : SelectionKey.OP_READ;
    }

    private static int connectOp(SelectableChannel channel, int before) {
        if (channel instanceof java.nio.channels.SocketChannel
                && ((java.nio.channels.SocketChannel) channel).isConnectionPending()) {
            return SelectionKey.OP_CONNECT;
        }
        return 0;
    }

    /**
     * Waits for readiness (up to {@code timeoutNanos}; -1: until woken; 0: not at all) and queues the callbacks of
     * the ready channels on the loop. {@return whether any channel was ready}
     */
    boolean select(long timeoutNanos) {
        int n;
        try {
            if (timeoutNanos == 0) {
                n = selector.selectNow();
            } else if (timeoutNanos < 0) {
                n = selector.select();
            } else {
                n = selector.select(Math.max(1, (timeoutNanos + 999_999) / 1_000_000)); // ms, rounded up
            }
        } catch (IOException e) {
            throw new UncheckedIOException("select() failed in " + loop, e);
        }
        if (n == 0) {
            if (watched > 0 && selector.keys().isEmpty()) {
                watched = 0; // the watched channels were closed (which cancels their keys) without being removed
            }
            return false;
        }
        Set<SelectionKey> selected = selector.selectedKeys();
        for (Iterator<SelectionKey> it = selected.iterator(); it.hasNext(); ) {
            SelectionKey key = it.next();
            it.remove();
            Registration reg = (Registration) key.attachment();
            int ready;
            try {
                ready = key.readyOps();
            } catch (CancelledKeyException closed) {
                continue; // its channel was closed after it was selected
            }
            if ((ready & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0 && reg.reader != null) {
                loop.readyAdd(reg.reader);
            }
            if ((ready & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0 && reg.writer != null) {
                loop.readyAdd(reg.writer);
            }
        }
        return true;
    }

    /**
     * Releases the channels closed since the last selection. The JDK closes the descriptor of a channel registered
     * with a selector only when its cancelled key is deregistered, which happens in the selector's next selection
     * ({@code AbstractSelectableChannel.implCloseChannel}, {@code SelectorImpl.processDeregisterQueue}). A loop that
     * watches no channel does not select: without this, a closed server socket would keep its port bound, and each
     * closed connection its descriptor, until some later select. Costs nothing once no key is left.
     */
    void flushCancelled() {
        if (!selector.keys().isEmpty()) {
            select(0);
        }
    }

    /** From any thread: makes the current (or next) {@link #select} return at once. */
    void wakeup() {
        selector.wakeup();
    }

    void close() {
        try {
            selector.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the Selector of " + loop, e);
        }
    }
}
