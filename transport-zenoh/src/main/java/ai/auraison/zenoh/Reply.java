package ai.auraison.zenoh;

/** One answer to a get: a sample or an error, with the id of the node that answered (when known). */
public sealed interface Reply {

    ZenohId replierId();

    /** A queryable answered with a value (or a deletion). */
    record Success(Sample sample, ZenohId replierId) implements Reply {}

    /** A queryable answered with an error. */
    record Error(ZBytes payload, Encoding encoding, ZenohId replierId) implements Reply {}
}
