package ai.auraison.zenoh.internal;

import ai.auraison.zenoh.ZBytes;
import ai.auraison.zenoh.ZenohId;
import java.util.List;

/** The messages of Zenoh's session layer, carried in batches on a link. */
public sealed interface TransportMessage {

    int OAM = 0x00;
    int INIT = 0x01;
    int OPEN = 0x02;
    int CLOSE = 0x03;
    int KEEP_ALIVE = 0x04;
    int FRAME = 0x05;
    int FRAGMENT = 0x06;
    int JOIN = 0x07;

    /** The protocol version of every Zenoh 1.x release. */
    int PROTOCOL_VERSION = 0x09;
    /** Frame sequence numbers and request ids 32 bits wide, the default resolution. */
    int DEFAULT_RESOLUTION = 0x0A;

    int DEFAULT_BATCH_SIZE = 65_535;

    /** InitSyn ({@code ack == false}) or InitAck; the cookie is present only in an InitAck. */
    record Init(
            boolean ack,
            int version,
            int whatAmI,
            ZenohId zid,
            int resolution,
            int batchSize,
            ZBytes cookie,
            List<Extension> extensions)
            implements TransportMessage {

        public static final int EXT_QOS = 0x01;
        public static final int EXT_PATCH = 0x27;

        public boolean hasExtension(int header) {
            return extensions.stream().anyMatch(e -> e.header() == header);
        }
    }

    /** OpenSyn ({@code ack == false}, carries the cookie) or OpenAck. */
    record Open(boolean ack, long leaseMillis, long initialSn, ZBytes cookie, List<Extension> extensions)
            implements TransportMessage {}

    record Close(int reason, boolean session) implements TransportMessage {
        public static final int GENERIC = 0;
        public static final int INVALID = 2;
        public static final int EXPIRED = 5;
    }

    record KeepAlive() implements TransportMessage {}

    /** Complete network messages of one channel and priority. {@code qos} is the raw QoS extension (5 = none). */
    record Frame(boolean reliable, long sn, int qos, List<NetworkMessage> messages) implements TransportMessage {}

    /**
     * A piece of a network message too large for a batch. {@code payload} runs to the end of the batch; when decoded
     * from a link it may view the link's receive buffer and is valid only until the next batch is read.
     */
    record Fragment(boolean reliable, boolean more, long sn, int qos, boolean first, boolean drop, ZBytes payload)
            implements TransportMessage {}

    /** A transport OAM message, parsed only to be ignored. */
    record Oam(int id, Extension body) implements TransportMessage {}

    /** WhatAmI values in Init messages. */
    int ROUTER = 0b00;

    int PEER = 0b01;
    int CLIENT = 0b10;
}
