package ai.auraison.zenoh.internal;

/**
 * Bytes received from the network do not form a valid Zenoh message. It closes only the link the bytes came from;
 * it never escapes the session.
 */
public final class DecodeException extends Exception {

    private static final long serialVersionUID = 1L;

    public DecodeException(String message) {
        super(message, null, false, false);
    }
}
