package ai.auraison.zenoh;

import java.time.Duration;

/**
 * Options of a get (and, except the timeout, of a querier's gets). {@code null} fields mean the default.
 *
 * @param timeout how long to wait for replies (default: the session's {@code queries_default_timeout}, 10 s)
 * @param target which queryables to ask (default {@link QueryTarget#BEST_MATCHING})
 * @param consolidation default {@link ConsolidationMode#AUTO}
 * @param payload a value sent with the query
 * @param encoding the encoding of {@code payload}
 * @param attachment bytes sent beside the query
 * @param priority default {@link Priority#DATA}
 * @param congestionControl default {@link CongestionControl#BLOCK}
 * @param express default false
 */
public record GetOptions(
        Duration timeout,
        QueryTarget target,
        ConsolidationMode consolidation,
        ZBytes payload,
        Encoding encoding,
        ZBytes attachment,
        Priority priority,
        CongestionControl congestionControl,
        boolean express) {

    private static final GetOptions DEFAULTS = new GetOptions(null, null, null, null, null, null, null, null, false);

    public static GetOptions defaults() {
        return DEFAULTS;
    }

    public GetOptions withTimeout(Duration timeout) {
        return new GetOptions(
                timeout, target, consolidation, payload, encoding, attachment, priority, congestionControl, express);
    }

    public GetOptions withTarget(QueryTarget target) {
        return new GetOptions(
                timeout, target, consolidation, payload, encoding, attachment, priority, congestionControl, express);
    }

    public GetOptions withConsolidation(ConsolidationMode consolidation) {
        return new GetOptions(
                timeout, target, consolidation, payload, encoding, attachment, priority, congestionControl, express);
    }

    public GetOptions withPayload(ZBytes payload) {
        return new GetOptions(
                timeout, target, consolidation, payload, encoding, attachment, priority, congestionControl, express);
    }

    public GetOptions withEncoding(Encoding encoding) {
        return new GetOptions(
                timeout, target, consolidation, payload, encoding, attachment, priority, congestionControl, express);
    }

    public GetOptions withAttachment(ZBytes attachment) {
        return new GetOptions(
                timeout, target, consolidation, payload, encoding, attachment, priority, congestionControl, express);
    }

    public GetOptions withPriority(Priority priority) {
        return new GetOptions(
                timeout, target, consolidation, payload, encoding, attachment, priority, congestionControl, express);
    }
}
