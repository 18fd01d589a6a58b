package ai.auraison.zenoh.internal;

import ai.auraison.zenoh.Encoding;
import ai.auraison.zenoh.Timestamp;
import ai.auraison.zenoh.ZBytes;
import java.util.List;

/**
 * The messages routed between Zenoh nodes, carried in frames. {@code qos} fields hold the raw QoS extension byte
 * ({@link #QOS_DEFAULT} when absent): priority in bits 0-2, "don't drop" (block) in bit 3, express in bit 4.
 */
public sealed interface NetworkMessage {

    int OAM = 0x1F;
    int DECLARE = 0x1E;
    int PUSH = 0x1D;
    int REQUEST = 0x1C;
    int RESPONSE = 0x1B;
    int RESPONSE_FINAL = 0x1A;
    int INTEREST = 0x19;

    /** Priority data, congestion control drop, not express: the value that is not written. */
    int QOS_DEFAULT = 5;

    int QOS_BLOCK = 0x08;
    int QOS_EXPRESS = 0x10;

    /** Query targets (the mandatory Target extension of a Request). */
    int TARGET_BEST_MATCHING = 0;

    int TARGET_ALL = 1;
    int TARGET_ALL_COMPLETE = 2;

    static int priorityOf(int qos) {
        return qos & 0x07;
    }

    static int qos(int priority, boolean block, boolean express) {
        return (priority & 0x07) | (block ? QOS_BLOCK : 0) | (express ? QOS_EXPRESS : 0);
    }

    record Push(WireExpr key, int qos, Timestamp timestamp, int nodeId, ZBytes tsStack, PushBody body)
            implements NetworkMessage {}

    record Request(
            long id,
            WireExpr key,
            int qos,
            Timestamp timestamp,
            int nodeId,
            int target,
            long budget,
            long timeoutMillis,
            ZBytes tsStack,
            QueryBody body)
            implements NetworkMessage {
        /** Budget and timeout are absent when 0 (a zero budget is not valid on the wire). */
        public static final long ABSENT = 0;
    }

    record Response(
            long requestId,
            WireExpr key,
            int qos,
            Timestamp timestamp,
            EntityGlobalId responder,
            ZBytes tsStack,
            ResponseBody body)
            implements NetworkMessage {}

    record ResponseFinal(long requestId, int qos, Timestamp timestamp) implements NetworkMessage {}

    /**
     * A request for declarations. {@code options} holds the K, S, Q, T and A bits; R, N and M follow from {@code key}.
     */
    record Interest(long id, int mode, int options, WireExpr key, int qos, Timestamp timestamp, int nodeId)
            implements NetworkMessage {
        public static final int MODE_FINAL = 0b00;
        public static final int MODE_CURRENT = 0b01;
        public static final int MODE_FUTURE = 0b10;
        public static final int MODE_CURRENT_FUTURE = 0b11;
        public static final int KEYEXPRS = 0x01;
        public static final int SUBSCRIBERS = 0x02;
        public static final int QUERYABLES = 0x04;
        public static final int TOKENS = 0x08;
        public static final int RESTRICTED = 0x10;
        public static final int NAMED = 0x20;
        public static final int MAPPING = 0x40;
        public static final int AGGREGATE = 0x80;
    }

    /** {@code interestId} is negative when absent. */
    record Declare(long interestId, int qos, Timestamp timestamp, int nodeId, Declaration body)
            implements NetworkMessage {}

    record Oam(int id, Extension body, int qos, Timestamp timestamp) implements NetworkMessage {}

    /** The data of a Push or of a Reply. */
    sealed interface PushBody {}

    /** The body of a Response. */
    sealed interface ResponseBody {}

    /** A payload with its encoding ({@code null} = default) and where it came from. */
    record Put(
            Timestamp timestamp,
            Encoding encoding,
            SourceInfo sourceInfo,
            ZBytes attachment,
            List<Extension> unknown,
            ZBytes payload)
            implements PushBody {}

    record Del(Timestamp timestamp, SourceInfo sourceInfo, ZBytes attachment, List<Extension> unknown)
            implements PushBody {}

    /** The body of a Request. {@code consolidation} 0 Auto, 1 None, 2 Monotonic, 3 Latest. */
    record QueryBody(
            int consolidation,
            String parameters,
            SourceInfo sourceInfo,
            Encoding valueEncoding,
            ZBytes value,
            ZBytes attachment,
            List<Extension> unknown) {}

    record Reply(int consolidation, List<Extension> unknown, PushBody body) implements ResponseBody {}

    record Err(Encoding encoding, SourceInfo sourceInfo, List<Extension> unknown, ZBytes payload)
            implements ResponseBody {}
}
