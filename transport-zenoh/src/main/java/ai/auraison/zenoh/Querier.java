package ai.auraison.zenoh;

import java.util.Optional;
import java.util.concurrent.BlockingQueue;

/**
 * Sends repeated gets on one key expression with fixed settings; the key expression is declared to the router once.
 * Thread-safe.
 */
public final class Querier extends Declared {

    private final Session session;
    private final GetOptions options;
    private final int exprId;

    Querier(Session session, KeyExpr keyExpr, GetOptions options, int exprId) {
        super(keyExpr, () -> session.undeclareExpr(exprId));
        this.session = session;
        this.options = options;
        this.exprId = exprId;
    }

    /** A get without parameters; replies arrive in the returned queue, which ends with an empty Optional. */
    public BlockingQueue<Optional<Reply>> get() throws ZError {
        return get("", null, null, new BlockingQueueHandler<>());
    }

    public void get(Callback<Reply> callback) throws ZError {
        get("", null, null, Session.handlerOf(callback));
    }

    /**
     * A get with {@code parameters}, an optional {@code payload} and {@code attachment}; replies go to
     * {@code handler}, whose receiver is returned.
     */
    public <R> R get(String parameters, ZBytes payload, ZBytes attachment, Handler<Reply, R> handler) throws ZError {
        ensureOpen("the querier");
        GetOptions effective = options;
        if (payload != null) effective = effective.withPayload(payload);
        if (attachment != null) effective = effective.withAttachment(attachment);
        session.query(new Selector(keyExpr(), parameters), exprId, effective, handler);
        return handler.receiver();
    }
}
