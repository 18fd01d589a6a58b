package ai.auraison.zenoh;

/**
 * Publishes on one key expression with fixed settings. Cheaper than {@link Session#put} for repeated publications:
 * the key expression is declared to the router once and then sent as a small number.
 *
 * <p>Thread-safe. Puts on a session that is reconnecting are dropped, as Zenoh drops data it cannot route.
 */
public final class Publisher extends Declared {

    private final Session session;
    private final PublisherOptions options;
    private final int exprId;

    Publisher(Session session, KeyExpr keyExpr, PublisherOptions options, int exprId) {
        super(keyExpr, () -> session.undeclareExpr(exprId));
        this.session = session;
        this.options = options;
        this.exprId = exprId;
    }

    public PublisherOptions options() {
        return options;
    }

    public void put(ZBytes payload) throws ZError {
        put(payload, PutOptions.defaults());
    }

    public void put(String payload) throws ZError {
        put(ZBytes.from(payload), PutOptions.defaults());
    }

    /** Publishes {@code payload}; {@code overrides} fields that are set replace the publisher's settings. */
    public void put(ZBytes payload, PutOptions overrides) throws ZError {
        ensureOpen("the publisher");
        session.publish(keyExpr(), exprId, payload, SampleKind.PUT, merge(overrides));
    }

    public void delete() throws ZError {
        delete(PutOptions.defaults());
    }

    public void delete(PutOptions overrides) throws ZError {
        ensureOpen("the publisher");
        session.publish(keyExpr(), exprId, ZBytes.EMPTY, SampleKind.DELETE, merge(overrides));
    }

    private PutOptions merge(PutOptions o) {
        return new PutOptions(
                o.encoding() != null ? o.encoding() : options.encoding(),
                o.attachment(),
                o.timestamp(),
                o.priority() != null ? o.priority() : options.priority(),
                o.congestionControl() != null ? o.congestionControl() : options.congestionControl(),
                o.express() || options.express(),
                o.reliability() != null ? o.reliability() : options.reliability());
    }
}
