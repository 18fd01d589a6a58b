package ai.auraison.zenoh;

/** The state of a session's link to its router. */
public enum SessionStatus {
    /** Connected; declarations are live. */
    CONNECTED,
    /** The link was lost; the session retries with backoff and re-declares everything once back. */
    RECONNECTING,
    /** Closed by the application; final. */
    CLOSED
}
