package ai.auraison.zenoh;

/**
 * A value published on a key (or its deletion), as a subscriber or a get receives it.
 *
 * @param keyExpr the key it was published on
 * @param payload the value (empty for a deletion)
 * @param encoding the payload's encoding
 * @param kind put or delete
 * @param timestamp when it was stamped (routers stamp data by default), or {@code null}
 * @param attachment the publisher's attachment, or {@code null}
 * @param priority the priority it travelled with
 * @param congestionControl its congestion control
 * @param express whether it was sent without batching
 */
public record Sample(
        KeyExpr keyExpr,
        ZBytes payload,
        Encoding encoding,
        SampleKind kind,
        Timestamp timestamp,
        ZBytes attachment,
        Priority priority,
        CongestionControl congestionControl,
        boolean express) {}
