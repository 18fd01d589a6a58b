package ai.auraison.zenoh;

/** A Zenoh operation failed: invalid input, a closed session, or a failure reported by the network. */
public class ZError extends Exception {

    private static final long serialVersionUID = 1L;

    public ZError(String message) {
        super(message);
    }

    public ZError(String message, Throwable cause) {
        super(message, cause);
    }
}
