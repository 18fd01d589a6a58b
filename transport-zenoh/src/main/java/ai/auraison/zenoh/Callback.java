package ai.auraison.zenoh;

/**
 * Receives samples, queries or replies as they arrive.
 *
 * <p>Subscriber and reply callbacks run on the session's receive thread: keep them short and non-blocking, or use a
 * {@link Handler} such as {@link BlockingQueueHandler}. Query callbacks each run on their own virtual thread and may
 * block. A callback that throws is logged; it does not affect the session.
 */
@FunctionalInterface
public interface Callback<T> {
    void run(T value);
}
