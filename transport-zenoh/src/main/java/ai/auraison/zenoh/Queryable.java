package ai.auraison.zenoh;

/**
 * Answers the queries on key expressions intersecting its own. Stays declared across reconnections until closed.
 *
 * @param <R> the handler's receiver type ({@code Void} for a callback queryable, whose {@link #receiver()} is null)
 */
public final class Queryable<R> extends Declared {

    private final R receiver;

    Queryable(KeyExpr keyExpr, R receiver, Runnable undeclare) {
        super(keyExpr, undeclare);
        this.receiver = receiver;
    }

    /** What the handler exposes; queries taken from it must be closed by the application. */
    public R receiver() {
        return receiver;
    }
}
