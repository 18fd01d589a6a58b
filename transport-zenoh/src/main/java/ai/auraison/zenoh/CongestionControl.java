package ai.auraison.zenoh;

/** What a sender does when a link cannot take more messages. */
public enum CongestionControl {
    /** Drop the message (the default for publications). */
    DROP,
    /** Wait until the message can be sent (the default for queries and replies). */
    BLOCK
}
