package io.jasyncio;

/**
 * Something a task can be parked on by {@link Op#park}: the task itself waits in the primitive's queue, with no
 * future and no operation frame of its own (W3: a suspended task costs its {@link Task} and its frames only).
 * The primitive wakes it with {@link Task#unpark()}; a cancellation takes it out with {@link #unpark(Task)}.
 */
interface Parking {
    /** The task, parked here, is cancelled: forget it (it will not be woken by this primitive). */
    void unpark(Task<?> task);
}
