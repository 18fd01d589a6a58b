package ai.auraison.zenoh;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the session declared for an application on one key expression (subscriber, queryable, liveliness token,
 * publisher, querier): closed once, by whichever thread closes it first, which undeclares it.
 */
abstract class Declared implements AutoCloseable {

    private final KeyExpr keyExpr;
    private final Runnable undeclare;
    private final AtomicBoolean closed = new AtomicBoolean();

    Declared(KeyExpr keyExpr, Runnable undeclare) {
        this.keyExpr = keyExpr;
        this.undeclare = undeclare;
    }

    public KeyExpr keyExpr() {
        return keyExpr;
    }

    /** Undeclares it. Idempotent, also when several threads close it at once. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) undeclare.run();
    }

    /** Throws when closed: {@code what} names it in the error, e.g. "the publisher". */
    final void ensureOpen(String what) throws ZError {
        if (closed.get()) throw new ZError(what + " on " + keyExpr + " is closed");
    }
}
