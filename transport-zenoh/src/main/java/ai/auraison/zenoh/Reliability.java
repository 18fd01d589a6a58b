package ai.auraison.zenoh;

/** The channel of a link a message travels on. */
public enum Reliability {
    BEST_EFFORT,
    RELIABLE
}
