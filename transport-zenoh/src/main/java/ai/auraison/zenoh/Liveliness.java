package ai.auraison.zenoh;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;

/**
 * Liveliness: tokens that announce a session is alive under a key expression, subscribers that see tokens appear
 * ({@link SampleKind#PUT}) and disappear ({@link SampleKind#DELETE}), and gets that list the tokens alive now.
 */
public final class Liveliness {

    private final Session session;

    Liveliness(Session session) {
        this.session = session;
    }

    public LivelinessToken declareToken(KeyExpr keyExpr) throws ZError {
        return session.declareToken(keyExpr);
    }

    /** Subscribes to token changes; with {@code history} the tokens already alive are reported first. */
    public <R> Subscriber<R> declareSubscriber(KeyExpr keyExpr, Handler<Sample, R> handler, boolean history)
            throws ZError {
        return session.declareLivelinessSubscriber(keyExpr, handler, history);
    }

    public Subscriber<Void> declareSubscriber(KeyExpr keyExpr, Callback<Sample> callback, boolean history)
            throws ZError {
        return session.declareLivelinessSubscriber(keyExpr, Session.handlerOf(callback), history);
    }

    public Subscriber<Void> declareSubscriber(KeyExpr keyExpr, Callback<Sample> callback) throws ZError {
        return declareSubscriber(keyExpr, callback, false);
    }

    public Subscriber<BlockingQueue<Optional<Sample>>> declareSubscriber(KeyExpr keyExpr, boolean history)
            throws ZError {
        return declareSubscriber(keyExpr, new BlockingQueueHandler<>(), history);
    }

    /** Lists the tokens alive under {@code keyExpr}: one {@link Reply.Success} per token. */
    public <R> R get(KeyExpr keyExpr, Handler<Reply, R> handler, Duration timeout) throws ZError {
        session.livelinessGet(keyExpr, handler, timeout);
        return handler.receiver();
    }

    public void get(KeyExpr keyExpr, Callback<Reply> callback, Duration timeout) throws ZError {
        get(keyExpr, Session.handlerOf(callback), timeout);
    }

    public BlockingQueue<Optional<Reply>> get(KeyExpr keyExpr, Duration timeout) throws ZError {
        return get(keyExpr, new BlockingQueueHandler<>(), timeout);
    }

    public BlockingQueue<Optional<Reply>> get(KeyExpr keyExpr) throws ZError {
        return get(keyExpr, new BlockingQueueHandler<>(), null);
    }
}
