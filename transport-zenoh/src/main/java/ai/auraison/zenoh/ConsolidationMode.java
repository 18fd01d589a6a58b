package ai.auraison.zenoh;

/** How the replies of a get are merged when several carry the same key. */
public enum ConsolidationMode {
    /** Latest, unless the selector asks for a time range. */
    AUTO,
    /** Every reply is delivered as it arrives. */
    NONE,
    /** A reply is delivered as it arrives unless a newer one for its key was delivered already. */
    MONOTONIC,
    /** Only the newest reply per key is delivered, when the get ends. */
    LATEST
}
