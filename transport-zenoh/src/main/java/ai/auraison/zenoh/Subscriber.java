package ai.auraison.zenoh;

/**
 * Receives the samples published on key expressions intersecting its own (also liveliness changes, for a liveliness
 * subscriber). Stays declared across reconnections until closed.
 *
 * @param <R> the handler's receiver type ({@code Void} for a callback subscriber, whose {@link #receiver()} is null)
 */
public final class Subscriber<R> implements AutoCloseable {

    private final KeyExpr keyExpr;
    private final R receiver;
    private final Runnable undeclare;
    private volatile boolean closed;

    Subscriber(KeyExpr keyExpr, R receiver, Runnable undeclare) {
        this.keyExpr = keyExpr;
        this.receiver = receiver;
        this.undeclare = undeclare;
    }

    public KeyExpr keyExpr() {
        return keyExpr;
    }

    /** What the handler exposes (for the default handler, a queue that ends with an empty Optional). */
    public R receiver() {
        return receiver;
    }

    /** Undeclares the subscriber; the handler's stream ends. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        undeclare.run();
    }
}
