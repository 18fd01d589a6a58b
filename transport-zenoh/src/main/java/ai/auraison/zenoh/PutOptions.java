package ai.auraison.zenoh;

/**
 * Options of a put, a delete or a reply. A {@code null} field means "the default" (for a publisher: the publisher's
 * setting). Build with {@link #defaults()} and the {@code with…} methods.
 *
 * @param encoding the payload's encoding
 * @param attachment bytes sent beside the payload
 * @param timestamp a timestamp to stamp the sample with
 * @param priority the priority lane (default {@link Priority#DATA})
 * @param congestionControl default {@link CongestionControl#DROP} for puts and deletes, BLOCK for replies
 * @param express whether to send at once without waiting to batch
 * @param reliability default {@link Reliability#RELIABLE}
 */
public record PutOptions(
        Encoding encoding,
        ZBytes attachment,
        Timestamp timestamp,
        Priority priority,
        CongestionControl congestionControl,
        boolean express,
        Reliability reliability) {

    private static final PutOptions DEFAULTS = new PutOptions(null, null, null, null, null, false, null);

    public static PutOptions defaults() {
        return DEFAULTS;
    }

    public PutOptions withEncoding(Encoding encoding) {
        return new PutOptions(encoding, attachment, timestamp, priority, congestionControl, express, reliability);
    }

    public PutOptions withAttachment(ZBytes attachment) {
        return new PutOptions(encoding, attachment, timestamp, priority, congestionControl, express, reliability);
    }

    public PutOptions withTimestamp(Timestamp timestamp) {
        return new PutOptions(encoding, attachment, timestamp, priority, congestionControl, express, reliability);
    }

    public PutOptions withPriority(Priority priority) {
        return new PutOptions(encoding, attachment, timestamp, priority, congestionControl, express, reliability);
    }

    public PutOptions withCongestionControl(CongestionControl congestionControl) {
        return new PutOptions(encoding, attachment, timestamp, priority, congestionControl, express, reliability);
    }

    public PutOptions withExpress(boolean express) {
        return new PutOptions(encoding, attachment, timestamp, priority, congestionControl, express, reliability);
    }

    public PutOptions withReliability(Reliability reliability) {
        return new PutOptions(encoding, attachment, timestamp, priority, congestionControl, express, reliability);
    }
}
