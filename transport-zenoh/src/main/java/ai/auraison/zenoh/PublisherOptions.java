package ai.auraison.zenoh;

/**
 * Settings a publisher applies to all its puts (each put may override them with {@link PutOptions}).
 *
 * @param encoding default {@link Encoding#ZENOH_BYTES}
 * @param priority default {@link Priority#DATA}
 * @param congestionControl default {@link CongestionControl#DROP}
 * @param express default false
 * @param reliability default {@link Reliability#RELIABLE}
 */
public record PublisherOptions(
        Encoding encoding,
        Priority priority,
        CongestionControl congestionControl,
        boolean express,
        Reliability reliability) {

    public PublisherOptions {
        encoding = encoding == null ? Encoding.ZENOH_BYTES : encoding;
        priority = priority == null ? Priority.DATA : priority;
        congestionControl = congestionControl == null ? CongestionControl.DROP : congestionControl;
        reliability = reliability == null ? Reliability.RELIABLE : reliability;
    }

    public static PublisherOptions defaults() {
        return new PublisherOptions(null, null, null, false, null);
    }

    public PublisherOptions withEncoding(Encoding encoding) {
        return new PublisherOptions(encoding, priority, congestionControl, express, reliability);
    }

    public PublisherOptions withPriority(Priority priority) {
        return new PublisherOptions(encoding, priority, congestionControl, express, reliability);
    }

    public PublisherOptions withCongestionControl(CongestionControl congestionControl) {
        return new PublisherOptions(encoding, priority, congestionControl, express, reliability);
    }

    public PublisherOptions withExpress(boolean express) {
        return new PublisherOptions(encoding, priority, congestionControl, express, reliability);
    }

    public PublisherOptions withReliability(Reliability reliability) {
        return new PublisherOptions(encoding, priority, congestionControl, express, reliability);
    }
}
