package ai.auraison.zenoh;

/**
 * Announces that this session is alive under a key expression: liveliness subscribers see it appear, and disappear
 * when it is closed (which withdraws it; idempotent) or the session dies. Re-declared after a reconnection.
 */
public final class LivelinessToken extends Declared {

    LivelinessToken(KeyExpr keyExpr, Runnable undeclare) {
        super(keyExpr, undeclare);
    }
}
