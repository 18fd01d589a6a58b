package ai.auraison.zenoh;

/** Opens Zenoh sessions. There is no global state: every session is independent. */
public final class Zenoh {

    private Zenoh() {}

    /**
     * Opens a session and connects it to the first reachable endpoint of {@code config}, retrying with backoff for up
     * to {@code connect/timeout_ms}.
     *
     * @throws ZError when the configuration is unusable or no endpoint could be reached in time
     */
    public static Session open(Config config) throws ZError {
        return Session.open(config);
    }
}
