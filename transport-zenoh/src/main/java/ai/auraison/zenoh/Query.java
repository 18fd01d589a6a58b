package ai.auraison.zenoh;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A query received by a queryable. Answer it with any number of {@link #reply replies}, {@link #replyDelete
 * deletions} or {@link #replyErr errors}, then {@link #close() close} it: closing tells the asker that this queryable
 * is done. Queries given to a {@link Callback} are closed automatically when the callback returns; queries taken from
 * a handler's receiver must be closed by the application (try-with-resources).
 *
 * <p>Thread-safe.
 */
public final class Query implements AutoCloseable {

    private final InboundQuery inbound;
    private final long queryableId;
    private final KeyExpr keyExpr;
    private final String parameters;
    private final ZBytes payload;
    private final Encoding encoding;
    private final ZBytes attachment;
    private final AtomicBoolean closed = new AtomicBoolean();

    Query(
            InboundQuery inbound,
            long queryableId,
            KeyExpr keyExpr,
            String parameters,
            ZBytes payload,
            Encoding encoding,
            ZBytes attachment) {
        this.inbound = inbound;
        this.queryableId = queryableId;
        this.keyExpr = keyExpr;
        this.parameters = parameters;
        this.payload = payload;
        this.encoding = encoding;
        this.attachment = attachment;
    }

    /** The key expression asked for. */
    public KeyExpr keyExpr() {
        return keyExpr;
    }

    /** The selector's parameters (the text after {@code ?}), possibly empty. */
    public String parameters() {
        return parameters;
    }

    public Selector selector() {
        return new Selector(keyExpr, parameters);
    }

    /** The value sent with the query, or {@code null}. */
    public ZBytes payload() {
        return payload;
    }

    /** The encoding of {@link #payload()}, or {@code null} without payload. */
    public Encoding encoding() {
        return encoding;
    }

    /** The asker's attachment, or {@code null}. */
    public ZBytes attachment() {
        return attachment;
    }

    /** Replies with {@code payload} on {@code key}, which must intersect the query's key expression. */
    public void reply(KeyExpr key, ZBytes payload) throws ZError {
        reply(key, payload, PutOptions.defaults());
    }

    public void reply(KeyExpr key, String payload) throws ZError {
        reply(key, ZBytes.from(payload), PutOptions.defaults());
    }

    public void reply(KeyExpr key, ZBytes payload, PutOptions options) throws ZError {
        check(key);
        inbound.reply(queryableId, key, payload, SampleKind.PUT, options);
    }

    /** Replies that {@code key} was deleted. */
    public void replyDelete(KeyExpr key) throws ZError {
        replyDelete(key, PutOptions.defaults());
    }

    public void replyDelete(KeyExpr key, PutOptions options) throws ZError {
        check(key);
        inbound.reply(queryableId, key, ZBytes.EMPTY, SampleKind.DELETE, options);
    }

    /** Replies with an error. */
    public void replyErr(ZBytes error) throws ZError {
        replyErr(error, Encoding.ZENOH_BYTES);
    }

    public void replyErr(ZBytes error, Encoding encoding) throws ZError {
        if (closed.get()) throw new ZError("the query on " + keyExpr + " is already closed");
        inbound.replyErr(queryableId, keyExpr, error, encoding);
    }

    private void check(KeyExpr key) throws ZError {
        if (closed.get()) throw new ZError("the query on " + keyExpr + " is already closed");
        if (!key.intersects(keyExpr)) {
            throw new ZError("cannot reply on " + key + ": it does not intersect the query's " + keyExpr);
        }
    }

    /** Tells the asker this queryable has finished answering. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) inbound.queryClosed();
    }

    @Override
    public String toString() {
        return "Query[" + selector() + "]";
    }
}
