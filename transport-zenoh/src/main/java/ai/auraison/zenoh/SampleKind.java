package ai.auraison.zenoh;

/** Whether a sample carries a value or the deletion of one. */
public enum SampleKind {
    PUT,
    DELETE
}
