package io.jasyncio;

/**
 * A write transport's water marks (asyncio's {@code _FlowControlMixin}): the protocol is paused when the write
 * buffer rises above the high-water mark and resumed when it falls to the low one. The transport tells it the
 * buffer's size after each change; the protocol's failures go to the loop's exception handler.
 */
final class WriteFlowControl {
    static final int DEFAULT_HIGH = 64 * 1024;
    static final int DEFAULT_LOW = 16 * 1024;

    private final EventLoop loop;
    private final Transport transport;
    private int high = DEFAULT_HIGH;
    private int low = DEFAULT_LOW;
    private boolean paused;

    /** For {@code transport}, whose {@link Transport#getProtocol() protocol} (the current one) is paused and resumed. */
    WriteFlowControl(EventLoop loop, Transport transport) {
        this.loop = loop;
        this.transport = transport;
    }

    int high() {
        return high;
    }

    int low() {
        return low;
    }

    /** {@return whether the protocol is paused} */
    boolean paused() {
        return paused;
    }

    /** {@link Transport#setWriteBufferLimits}: checks and sets the marks, then applies them to {@code size}. */
    void setLimits(int newHigh, int newLow, int size) {
        if (newLow < 0 || newHigh < newLow) {
            throw new IllegalArgumentException("high (" + newHigh + ") must be >= low (" + newLow + ") must be >= 0");
        }
        high = newHigh;
        low = newLow;
        maybePause(size);
    }

    /** The buffer grew to {@code size}: pauses the protocol above the high-water mark. */
    void maybePause(int size) {
        if (size > high && !paused) {
            paused = true;
            try {
                transport.getProtocol().pauseWriting();
            } catch (RuntimeException e) {
                loop.callExceptionHandler(new ExceptionContext("protocol.pauseWriting() failed: " + transport, e));
            }
        }
    }

    /** The buffer shrank to {@code size}: resumes the protocol at or below the low-water mark. */
    void maybeResume(int size) {
        if (paused && size <= low) {
            paused = false;
            try {
                transport.getProtocol().resumeWriting();
            } catch (RuntimeException e) {
                loop.callExceptionHandler(new ExceptionContext("protocol.resumeWriting() failed: " + transport, e));
            }
        }
    }
}
