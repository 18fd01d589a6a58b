package ai.auraison.zenoh;

/**
 * Receives the samples published on key expressions intersecting its own (also liveliness changes, for a liveliness
 * subscriber). Stays declared across reconnections until closed.
 *
 * @param <R> the handler's receiver type ({@code Void} for a callback subscriber, whose {@link #receiver()} is null)
 */
public final class Subscriber<R> extends Declared {

    private final R receiver;

    Subscriber(KeyExpr keyExpr, R receiver, Runnable undeclare) {
        super(keyExpr, undeclare);
        this.receiver = receiver;
    }

    /**
     * What the handler exposes (for the default handler, a queue that ends with an empty Optional, also when the
     * subscriber is closed).
     */
    public R receiver() {
        return receiver;
    }
}
