package ai.auraison.zenoh;

/**
 * Answers the queries on key expressions intersecting its own. Stays declared across reconnections until closed.
 *
 * @param <R> the handler's receiver type ({@code Void} for a callback queryable, whose {@link #receiver()} is null)
 */
public final class Queryable<R> implements AutoCloseable {

    private final KeyExpr keyExpr;
    private final R receiver;
    private final Runnable undeclare;
    private volatile boolean closed;

    Queryable(KeyExpr keyExpr, R receiver, Runnable undeclare) {
        this.keyExpr = keyExpr;
        this.receiver = receiver;
        this.undeclare = undeclare;
    }

    public KeyExpr keyExpr() {
        return keyExpr;
    }

    /** What the handler exposes; queries taken from it must be closed by the application. */
    public R receiver() {
        return receiver;
    }

    /** Undeclares the queryable. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        undeclare.run();
    }
}
