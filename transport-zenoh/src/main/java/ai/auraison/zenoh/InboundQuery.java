package ai.auraison.zenoh;

import ai.auraison.zenoh.internal.EntityGlobalId;
import ai.auraison.zenoh.internal.NetworkMessage;
import ai.auraison.zenoh.internal.NetworkMessage.Del;
import ai.auraison.zenoh.internal.NetworkMessage.Err;
import ai.auraison.zenoh.internal.NetworkMessage.PushBody;
import ai.auraison.zenoh.internal.NetworkMessage.Put;
import ai.auraison.zenoh.internal.NetworkMessage.Response;
import ai.auraison.zenoh.internal.NetworkMessage.ResponseFinal;
import ai.auraison.zenoh.internal.Transport;
import ai.auraison.zenoh.internal.WireExpr;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One request being answered by this session's queryables: routes replies back (to the router on the link the
 * request came from, or straight to a local get) and sends the single final once every matching queryable closed
 * its query.
 */
final class InboundQuery {

    /** The reply QoS Zenoh uses: priority data, congestion control block. */
    private static final int REPLY_QOS = NetworkMessage.qos(Priority.DATA.value(), true, false);

    private final Session session;
    private final long requestId;
    private final Transport via;
    private final GetCollector local;
    private final AtomicInteger open;

    InboundQuery(Session session, long requestId, Transport via, GetCollector local, int queries) {
        this.session = session;
        this.requestId = requestId;
        this.via = via;
        this.local = local;
        this.open = new AtomicInteger(queries);
    }

    void reply(long queryableId, KeyExpr key, ZBytes payload, SampleKind kind, PutOptions options) {
        Priority priority = options.priority() == null ? Priority.DATA : options.priority();
        CongestionControl cc =
                options.congestionControl() == null ? CongestionControl.BLOCK : options.congestionControl();
        if (local != null) {
            Sample sample = new Sample(
                    key,
                    payload,
                    options.encoding() == null ? Encoding.ZENOH_BYTES : options.encoding(),
                    kind,
                    options.timestamp(),
                    options.attachment(),
                    priority,
                    cc,
                    options.express());
            local.add(new Reply.Success(sample, session.zid()));
            return;
        }
        PushBody body = kind == SampleKind.PUT
                ? new Put(options.timestamp(), options.encoding(), null, options.attachment(), List.of(), payload)
                : new Del(options.timestamp(), null, options.attachment(), List.of());
        int qos = NetworkMessage.qos(priority.value(), cc == CongestionControl.BLOCK, options.express());
        send(new Response(
                requestId,
                WireExpr.of(key.toString()),
                qos,
                null,
                new EntityGlobalId(session.zid(), queryableId),
                null,
                new NetworkMessage.Reply(0, List.of(), body)));
    }

    void replyErr(long queryableId, KeyExpr queryKey, ZBytes error, Encoding encoding) {
        if (local != null) {
            local.add(new Reply.Error(error, encoding, session.zid()));
            return;
        }
        send(new Response(
                requestId,
                WireExpr.of(queryKey.toString()),
                REPLY_QOS,
                null,
                new EntityGlobalId(session.zid(), queryableId),
                null,
                new Err(encoding, null, List.of(), error)));
    }

    void queryClosed() {
        if (open.decrementAndGet() != 0) return;
        if (local != null) local.finalReceived();
        else send(new ResponseFinal(requestId, REPLY_QOS, null));
    }

    private void send(NetworkMessage message) {
        // a reply for a request that came on a link that has since been replaced is dropped
        if (via.isOpen()) via.send(message, true, Priority.DATA.value(), true, true);
    }
}
