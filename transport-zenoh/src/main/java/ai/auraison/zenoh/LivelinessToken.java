package ai.auraison.zenoh;

/**
 * Announces that this session is alive under a key expression: liveliness subscribers see it appear, and disappear
 * when it is closed or the session dies. Re-declared after a reconnection.
 */
public final class LivelinessToken implements AutoCloseable {

    private final KeyExpr keyExpr;
    private final Runnable undeclare;
    private volatile boolean closed;

    LivelinessToken(KeyExpr keyExpr, Runnable undeclare) {
        this.keyExpr = keyExpr;
        this.undeclare = undeclare;
    }

    public KeyExpr keyExpr() {
        return keyExpr;
    }

    /** Withdraws the token. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        undeclare.run();
    }
}
