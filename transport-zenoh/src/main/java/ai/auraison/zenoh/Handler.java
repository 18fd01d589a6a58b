package ai.auraison.zenoh;

/**
 * Receives values and exposes a receiver the application reads from (for instance a queue).
 *
 * @param <T> the values handled (samples, queries, replies)
 * @param <R> the receiver type
 */
public interface Handler<T, R> {

    /** Called for each value, on the session's receive thread (must not block). */
    void handle(T value);

    /** What the application reads from. */
    R receiver();

    /** Called once when no more values will come (the declaration was closed, or the get ended). */
    void onClose();
}
