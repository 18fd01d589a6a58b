package ai.auraison.zenoh.internal;

import ai.auraison.zenoh.Encoding;
import ai.auraison.zenoh.Timestamp;
import ai.auraison.zenoh.ZBytes;
import ai.auraison.zenoh.ZenohId;
import ai.auraison.zenoh.internal.Declaration.DeclareFinal;
import ai.auraison.zenoh.internal.Declaration.DeclareKeyExpr;
import ai.auraison.zenoh.internal.Declaration.DeclareQueryable;
import ai.auraison.zenoh.internal.Declaration.DeclareSubscriber;
import ai.auraison.zenoh.internal.Declaration.DeclareToken;
import ai.auraison.zenoh.internal.Declaration.UndeclareKeyExpr;
import ai.auraison.zenoh.internal.Declaration.UndeclareQueryable;
import ai.auraison.zenoh.internal.Declaration.UndeclareSubscriber;
import ai.auraison.zenoh.internal.Declaration.UndeclareToken;
import ai.auraison.zenoh.internal.NetworkMessage.Declare;
import ai.auraison.zenoh.internal.NetworkMessage.Del;
import ai.auraison.zenoh.internal.NetworkMessage.Err;
import ai.auraison.zenoh.internal.NetworkMessage.Interest;
import ai.auraison.zenoh.internal.NetworkMessage.Push;
import ai.auraison.zenoh.internal.NetworkMessage.PushBody;
import ai.auraison.zenoh.internal.NetworkMessage.Put;
import ai.auraison.zenoh.internal.NetworkMessage.QueryBody;
import ai.auraison.zenoh.internal.NetworkMessage.Reply;
import ai.auraison.zenoh.internal.NetworkMessage.Request;
import ai.auraison.zenoh.internal.NetworkMessage.Response;
import ai.auraison.zenoh.internal.NetworkMessage.ResponseBody;
import ai.auraison.zenoh.internal.NetworkMessage.ResponseFinal;
import ai.auraison.zenoh.internal.TransportMessage.Close;
import ai.auraison.zenoh.internal.TransportMessage.Fragment;
import ai.auraison.zenoh.internal.TransportMessage.Frame;
import ai.auraison.zenoh.internal.TransportMessage.Init;
import ai.auraison.zenoh.internal.TransportMessage.KeepAlive;
import ai.auraison.zenoh.internal.TransportMessage.Open;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes Zenoh 1.x messages (protocol version 0x09).
 *
 * <p>Decoding is total: any byte sequence yields messages or a {@link DecodeException}; every length is checked
 * against the bytes that remain, so a hostile length never allocates more than the input holds. Encoding follows the
 * reference implementation's field and extension order, so a message it decoded re-encodes to the same bytes.
 */
public final class Codec {

    private static final int Z = 0x80;

    // extension headers (id | mandatory | encoding)
    private static final int EXT_FRAME_QOS = 0x31;
    private static final int EXT_FRAGMENT_FIRST = 0x02;
    private static final int EXT_FRAGMENT_DROP = 0x03;
    private static final int EXT_QOS = 0x21;
    private static final int EXT_TIMESTAMP = 0x42;
    private static final int EXT_NODE_ID = 0x33;
    private static final int EXT_TARGET = 0x34;
    private static final int EXT_BUDGET = 0x25;
    private static final int EXT_TIMEOUT = 0x26;
    private static final int EXT_RESPONDER = 0x43;
    private static final int EXT_TS_STACK = 0x47;
    private static final int EXT_QUERYABLE_INFO = 0x21;
    private static final int EXT_WIRE_EXPR = 0x5F;
    private static final int EXT_SOURCE_INFO = 0x41;
    private static final int EXT_SHM = 0x12;
    private static final int EXT_PUT_ATTACHMENT = 0x43;
    private static final int EXT_DEL_ATTACHMENT = 0x42;
    private static final int EXT_QUERY_BODY = 0x43;
    private static final int EXT_QUERY_ATTACHMENT = 0x45;

    private static final int ZENOH_PUT = 0x01;
    private static final int ZENOH_DEL = 0x02;
    private static final int ZENOH_QUERY = 0x03;
    private static final int ZENOH_REPLY = 0x04;
    private static final int ZENOH_ERR = 0x05;

    private Codec() {}

    // ------------------------------------------------------------------------------------------------ transport

    /** Decodes every transport message of one batch (the bytes after the 2-byte length prefix). */
    public static List<TransportMessage> decodeBatch(ZReader r) throws DecodeException {
        List<TransportMessage> out = new ArrayList<>(2);
        while (r.hasRemaining()) out.add(decodeTransport(r));
        return out;
    }

    public static TransportMessage decodeTransport(ZReader r) throws DecodeException {
        int h = r.u8();
        return switch (h & 0x1F) {
            case TransportMessage.FRAME -> decodeFrame(h, r);
            case TransportMessage.FRAGMENT -> decodeFragment(h, r);
            case TransportMessage.KEEP_ALIVE -> {
                if ((h & Z) != 0) skipAll(r);
                yield new KeepAlive();
            }
            case TransportMessage.INIT -> decodeInit(h, r);
            case TransportMessage.OPEN -> decodeOpen(h, r);
            case TransportMessage.CLOSE -> {
                int reason = r.u8();
                if ((h & Z) != 0) skipAll(r);
                yield new Close(reason, (h & 0x20) != 0);
            }
            case TransportMessage.OAM -> {
                int id = (int) r.zint(16);
                boolean more = (h & Z) != 0;
                while (more) {
                    int e = r.u8();
                    more = (e & Z) != 0;
                    if ((e & 0x7F) == EXT_FRAME_QOS) r.zint();
                    else skip(r, e);
                }
                yield new TransportMessage.Oam(id, body(h & Extension.ENC_MASK, r));
            }
            default -> throw new DecodeException("unknown transport message id 0x" + Integer.toHexString(h & 0x1F));
        };
    }

    private static Frame decodeFrame(int h, ZReader r) throws DecodeException {
        boolean reliable = (h & 0x20) != 0;
        long sn = r.zint();
        int qos = NetworkMessage.QOS_DEFAULT;
        boolean more = (h & Z) != 0;
        while (more) {
            int e = r.u8();
            more = (e & Z) != 0;
            if ((e & 0x7F) == EXT_FRAME_QOS) qos = (int) (r.zint() & 0xFF);
            else skip(r, e);
        }
        List<NetworkMessage> messages = new ArrayList<>(1);
        while (r.hasRemaining() && isNetworkId(r.peek())) messages.add(decodeNetwork(r));
        return new Frame(reliable, sn, qos, messages);
    }

    /** Whether the header byte starts a network message (ids 0x19 to 0x1f) rather than a transport message. */
    public static boolean isNetworkId(int header) {
        return (header & 0x1F) >= NetworkMessage.INTEREST;
    }

    private static Fragment decodeFragment(int h, ZReader r) throws DecodeException {
        boolean reliable = (h & 0x20) != 0;
        boolean moreFragments = (h & 0x40) != 0;
        long sn = r.zint();
        int qos = NetworkMessage.QOS_DEFAULT;
        boolean first = false;
        boolean drop = false;
        boolean more = (h & Z) != 0;
        while (more) {
            int e = r.u8();
            more = (e & Z) != 0;
            switch (e & 0x7F) {
                case EXT_FRAME_QOS -> qos = (int) (r.zint() & 0xFF);
                case EXT_FRAGMENT_FIRST -> first = true;
                case EXT_FRAGMENT_DROP -> drop = true;
                default -> skip(r, e);
            }
        }
        int count = r.remaining();
        ZBytes payload = ZBytes.wrap(r.buffer(), r.position(), count);
        r.skip(count);
        return new Fragment(reliable, moreFragments, sn, qos, first, drop, payload);
    }

    private static Init decodeInit(int h, ZReader r) throws DecodeException {
        boolean ack = (h & 0x20) != 0;
        int version = r.u8();
        int flags = r.u8();
        int whatAmI = flags & 0b11;
        if (whatAmI == 0b11) throw new DecodeException("reserved WhatAmI value");
        ZenohId zid = zid(r, 1 + (flags >> 4));
        int resolution = TransportMessage.DEFAULT_RESOLUTION;
        int batchSize = TransportMessage.DEFAULT_BATCH_SIZE;
        if ((h & 0x40) != 0) {
            resolution = r.u8() & 0x3F;
            batchSize = r.u16le();
        }
        ZBytes cookie = null;
        if (ack) {
            long length = r.zint(16);
            cookie = r.zbytes(checkLength(length, r));
        }
        return new Init(ack, version, whatAmI, zid, resolution, batchSize, cookie, extensions(h, r));
    }

    private static Open decodeOpen(int h, ZReader r) throws DecodeException {
        boolean ack = (h & 0x20) != 0;
        long lease = r.zint();
        if ((h & 0x40) != 0) {
            if (lease < 0 || lease > Long.MAX_VALUE / 1000) throw new DecodeException("lease out of range");
            lease *= 1000;
        }
        long initialSn = r.zint();
        ZBytes cookie = ack ? null : r.lengthPrefixed();
        return new Open(ack, lease, initialSn, cookie, extensions(h, r));
    }

    /** Reads an extension chain into a list, rejecting unknown mandatory extensions only through the caller. */
    private static List<Extension> extensions(int h, ZReader r) throws DecodeException {
        if ((h & Z) == 0) return List.of();
        List<Extension> out = new ArrayList<>(4);
        boolean more = true;
        while (more) {
            int e = r.u8();
            more = (e & Z) != 0;
            int header = e & 0x7F;
            Extension body = body(header & Extension.ENC_MASK, r);
            out.add(new Extension(header, body.value(), body.body()));
        }
        return out;
    }

    private static Extension body(int encoding, ZReader r) throws DecodeException {
        return switch (encoding) {
            case Extension.ENC_UNIT -> new Extension(encoding, 0, null);
            case Extension.ENC_Z64 -> new Extension(encoding, r.zint(), null);
            case Extension.ENC_ZBUF -> new Extension(encoding, 0, r.zbytes(checkLength(r.zint(32), r)));
            default -> throw new DecodeException("reserved extension encoding");
        };
    }

    public static void encodeTransport(ZWriter w, TransportMessage message) {
        switch (message) {
            case Init m -> encodeInit(w, m);
            case Open m -> encodeOpen(w, m);
            case Close m ->
                w.u8(TransportMessage.CLOSE | (m.session() ? 0x20 : 0)).u8(m.reason());
            case KeepAlive m -> w.u8(TransportMessage.KEEP_ALIVE);
            case Frame m -> {
                encodeFrameHeader(w, m.reliable(), m.sn(), m.qos());
                for (NetworkMessage n : m.messages()) encodeNetwork(w, n);
            }
            case Fragment m -> {
                encodeFragmentHeader(w, m.reliable(), m.more(), m.sn(), m.qos(), m.first(), m.drop());
                w.bytes(m.payload());
            }
            case TransportMessage.Oam m -> {
                w.u8(TransportMessage.OAM | m.body().encoding()).zint(m.id());
                writeBody(w, m.body());
            }
        }
    }

    public static void encodeFrameHeader(ZWriter w, boolean reliable, long sn, int qos) {
        boolean hasQos = qos != NetworkMessage.QOS_DEFAULT;
        w.u8(TransportMessage.FRAME | (reliable ? 0x20 : 0) | (hasQos ? Z : 0)).zint(sn);
        if (hasQos) w.u8(EXT_FRAME_QOS).zint(qos);
    }

    public static void encodeFragmentHeader(
            ZWriter w, boolean reliable, boolean more, long sn, int qos, boolean first, boolean drop) {
        int exts = (qos != NetworkMessage.QOS_DEFAULT ? 1 : 0) + (first ? 1 : 0) + (drop ? 1 : 0);
        w.u8(TransportMessage.FRAGMENT | (reliable ? 0x20 : 0) | (more ? 0x40 : 0) | (exts > 0 ? Z : 0))
                .zint(sn);
        if (qos != NetworkMessage.QOS_DEFAULT)
            w.u8(EXT_FRAME_QOS | (--exts > 0 ? Z : 0)).zint(qos);
        if (first) w.u8(EXT_FRAGMENT_FIRST | (--exts > 0 ? Z : 0));
        if (drop) w.u8(EXT_FRAGMENT_DROP | (--exts > 0 ? Z : 0));
    }

    private static void encodeInit(ZWriter w, Init m) {
        boolean sizes = m.resolution() != TransportMessage.DEFAULT_RESOLUTION
                || m.batchSize() != TransportMessage.DEFAULT_BATCH_SIZE;
        int h = TransportMessage.INIT
                | (m.ack() ? 0x20 : 0)
                | (sizes ? 0x40 : 0)
                | (m.extensions().isEmpty() ? 0 : Z);
        w.u8(h)
                .u8(m.version())
                .u8(((m.zid().size() - 1) << 4) | m.whatAmI())
                .bytes(m.zid().toBytes());
        if (sizes) w.u8(m.resolution()).u16le(m.batchSize());
        if (m.ack()) w.lengthPrefixed(m.cookie());
        writeExtensions(w, m.extensions());
    }

    private static void encodeOpen(ZWriter w, Open m) {
        boolean seconds = m.leaseMillis() % 1000 == 0;
        int h = TransportMessage.OPEN
                | (m.ack() ? 0x20 : 0)
                | (seconds ? 0x40 : 0)
                | (m.extensions().isEmpty() ? 0 : Z);
        w.u8(h).zint(seconds ? m.leaseMillis() / 1000 : m.leaseMillis()).zint(m.initialSn());
        if (!m.ack()) w.lengthPrefixed(m.cookie());
        writeExtensions(w, m.extensions());
    }

    private static void writeExtensions(ZWriter w, List<Extension> extensions) {
        for (int i = 0; i < extensions.size(); i++) {
            Extension e = extensions.get(i);
            w.u8(e.header() | (i < extensions.size() - 1 ? Z : 0));
            writeBody(w, e);
        }
    }

    private static void writeBody(ZWriter w, Extension e) {
        switch (e.encoding()) {
            case Extension.ENC_Z64 -> w.zint(e.value());
            case Extension.ENC_ZBUF -> w.lengthPrefixed(e.body());
            default -> {}
        }
    }

    // -------------------------------------------------------------------------------------------------- network

    public static NetworkMessage decodeNetwork(ZReader r) throws DecodeException {
        int h = r.u8();
        return switch (h & 0x1F) {
            case NetworkMessage.PUSH -> decodePush(h, r);
            case NetworkMessage.DECLARE -> decodeDeclare(h, r);
            case NetworkMessage.REQUEST -> decodeRequest(h, r);
            case NetworkMessage.RESPONSE -> decodeResponse(h, r);
            case NetworkMessage.RESPONSE_FINAL -> decodeResponseFinal(h, r);
            case NetworkMessage.INTEREST -> decodeInterest(h, r);
            case NetworkMessage.OAM -> decodeOam(h, r);
            default -> throw new DecodeException("unknown network message id 0x" + Integer.toHexString(h & 0x1F));
        };
    }

    private static Push decodePush(int h, ZReader r) throws DecodeException {
        WireExpr key = wireExpr(r, (h & 0x20) != 0, (h & 0x40) != 0);
        int qos = NetworkMessage.QOS_DEFAULT;
        Timestamp timestamp = null;
        int nodeId = 0;
        ZBytes tsStack = null;
        boolean more = (h & Z) != 0;
        while (more) {
            int e = r.u8();
            more = (e & Z) != 0;
            switch (e & 0x7F) {
                case EXT_QOS -> qos = (int) (r.zint() & 0xFF);
                case EXT_TIMESTAMP -> timestamp = timestampExtension(r);
                case EXT_NODE_ID -> nodeId = (int) (r.zint() & 0xFFFF);
                case EXT_TS_STACK -> tsStack = r.lengthPrefixed();
                default -> skip(r, e);
            }
        }
        return new Push(key, qos, timestamp, nodeId, tsStack, pushBody(r));
    }

    private static Request decodeRequest(int h, ZReader r) throws DecodeException {
        long id = r.zint(32);
        WireExpr key = wireExpr(r, (h & 0x20) != 0, (h & 0x40) != 0);
        int qos = NetworkMessage.QOS_DEFAULT;
        Timestamp timestamp = null;
        int nodeId = 0;
        int target = NetworkMessage.TARGET_BEST_MATCHING;
        long budget = Request.ABSENT;
        long timeout = Request.ABSENT;
        ZBytes tsStack = null;
        boolean more = (h & Z) != 0;
        while (more) {
            int e = r.u8();
            more = (e & Z) != 0;
            switch (e & 0x7F) {
                case EXT_QOS -> qos = (int) (r.zint() & 0xFF);
                case EXT_TIMESTAMP -> timestamp = timestampExtension(r);
                case EXT_NODE_ID -> nodeId = (int) (r.zint() & 0xFFFF);
                case EXT_TARGET -> {
                    long value = r.zint();
                    if (value < 0 || value > 2) throw new DecodeException("unknown query target " + value);
                    target = (int) value;
                }
                case EXT_BUDGET -> budget = r.zint() & 0xFFFF_FFFFL;
                case EXT_TIMEOUT -> timeout = r.zint();
                case EXT_TS_STACK -> tsStack = r.lengthPrefixed();
                default -> skip(r, e);
            }
        }
        int b = r.u8();
        if ((b & 0x1F) != ZENOH_QUERY) throw new DecodeException("a request must carry a query");
        return new Request(id, key, qos, timestamp, nodeId, target, budget, timeout, tsStack, decodeQuery(b, r));
    }

    private static Response decodeResponse(int h, ZReader r) throws DecodeException {
        long id = r.zint(32);
        WireExpr key = wireExpr(r, (h & 0x20) != 0, (h & 0x40) != 0);
        int qos = NetworkMessage.QOS_DEFAULT;
        Timestamp timestamp = null;
        EntityGlobalId responder = null;
        ZBytes tsStack = null;
        boolean more = (h & Z) != 0;
        while (more) {
            int e = r.u8();
            more = (e & Z) != 0;
            switch (e & 0x7F) {
                case EXT_QOS -> qos = (int) (r.zint() & 0xFF);
                case EXT_TIMESTAMP -> timestamp = timestampExtension(r);
                case EXT_RESPONDER -> {
                    ZReader body = r.sub(checkLength(r.zint(32), r));
                    int flags = body.u8();
                    responder = new EntityGlobalId(zid(body, 1 + (flags >> 4)), body.zint(32));
                }
                case EXT_TS_STACK -> tsStack = r.lengthPrefixed();
                default -> skip(r, e);
            }
        }
        int b = r.u8();
        ResponseBody body = switch (b & 0x1F) {
            case ZENOH_REPLY -> decodeReply(b, r);
            case ZENOH_ERR -> decodeErr(b, r);
            default -> throw new DecodeException("a response must carry a reply or an error");
        };
        return new Response(id, key, qos, timestamp, responder, tsStack, body);
    }

    private static ResponseFinal decodeResponseFinal(int h, ZReader r) throws DecodeException {
        long id = r.zint(32);
        int qos = NetworkMessage.QOS_DEFAULT;
        Timestamp timestamp = null;
        boolean more = (h & Z) != 0;
        while (more) {
            int e = r.u8();
            more = (e & Z) != 0;
            switch (e & 0x7F) {
                case EXT_QOS -> qos = (int) (r.zint() & 0xFF);
                case EXT_TIMESTAMP -> timestamp = timestampExtension(r);
                default -> skip(r, e);
            }
        }
        return new ResponseFinal(id, qos, timestamp);
    }

    private static Interest decodeInterest(int h, ZReader r) throws DecodeException {
        long id = r.zint(32);
        int mode = (h >> 5) & 0b11;
        int options = 0;
        WireExpr key = null;
        if (mode != Interest.MODE_FINAL) {
            options = r.u8();
            if ((options & Interest.RESTRICTED) != 0) {
                key = wireExpr(r, (options & Interest.NAMED) != 0, (options & Interest.MAPPING) != 0);
            }
        }
        int qos = NetworkMessage.QOS_DEFAULT;
        Timestamp timestamp = null;
        int nodeId = 0;
        boolean more = (h & Z) != 0;
        while (more) {
            int e = r.u8();
            more = (e & Z) != 0;
            switch (e & 0x7F) {
                case EXT_QOS -> qos = (int) (r.zint() & 0xFF);
                case EXT_TIMESTAMP -> timestamp = timestampExtension(r);
                case EXT_NODE_ID -> nodeId = (int) (r.zint() & 0xFFFF);
                default -> skip(r, e);
            }
        }
        int kept = options
                & (Interest.KEYEXPRS
                        | Interest.SUBSCRIBERS
                        | Interest.QUERYABLES
                        | Interest.TOKENS
                        | Interest.AGGREGATE);
        return new Interest(id, mode, kept, key, qos, timestamp, nodeId);
    }

    private static Declare decodeDeclare(int h, ZReader r) throws DecodeException {
        long interestId = (h & 0x20) != 0 ? r.zint(32) : -1;
        int qos = NetworkMessage.QOS_DEFAULT;
        Timestamp timestamp = null;
        int nodeId = 0;
        boolean more = (h & Z) != 0;
        while (more) {
            int e = r.u8();
            more = (e & Z) != 0;
            switch (e & 0x7F) {
                case EXT_QOS -> qos = (int) (r.zint() & 0xFF);
                case EXT_TIMESTAMP -> timestamp = timestampExtension(r);
                case EXT_NODE_ID -> nodeId = (int) (r.zint() & 0xFFFF);
                default -> skip(r, e);
            }
        }
        return new Declare(interestId, qos, timestamp, nodeId, decodeDeclaration(r));
    }

    private static Declaration decodeDeclaration(ZReader r) throws DecodeException {
        int h = r.u8();
        boolean named = (h & 0x20) != 0;
        boolean mapping = (h & 0x40) != 0;
        boolean exts = (h & Z) != 0;
        switch (h & 0x1F) {
            case Declaration.D_KEYEXPR -> {
                int id = (int) r.zint(16);
                WireExpr key = wireExpr(r, named, false);
                if (exts) skipAll(r);
                return new DeclareKeyExpr(id, key);
            }
            case Declaration.U_KEYEXPR -> {
                int id = (int) r.zint(16);
                if (exts) skipAll(r);
                return new UndeclareKeyExpr(id);
            }
            case Declaration.D_SUBSCRIBER -> {
                long id = r.zint(32);
                WireExpr key = wireExpr(r, named, mapping);
                if (exts) skipAll(r);
                return new DeclareSubscriber(id, key);
            }
            case Declaration.U_SUBSCRIBER -> {
                long id = r.zint(32);
                return new UndeclareSubscriber(id, exts ? wireExprExtensions(r) : WireExpr.NONE);
            }
            case Declaration.D_QUERYABLE -> {
                long id = r.zint(32);
                WireExpr key = wireExpr(r, named, mapping);
                boolean complete = false;
                int distance = 0;
                boolean more = exts;
                while (more) {
                    int e = r.u8();
                    more = (e & Z) != 0;
                    if ((e & 0x7F) == EXT_QUERYABLE_INFO) {
                        long info = r.zint();
                        complete = (info & 0x01) != 0;
                        distance = (int) ((info >>> 8) & 0xFFFF);
                    } else {
                        skip(r, e);
                    }
                }
                return new DeclareQueryable(id, key, complete, distance);
            }
            case Declaration.U_QUERYABLE -> {
                long id = r.zint(32);
                return new UndeclareQueryable(id, exts ? wireExprExtensions(r) : WireExpr.NONE);
            }
            case Declaration.D_TOKEN -> {
                long id = r.zint(32);
                WireExpr key = wireExpr(r, named, mapping);
                if (exts) skipAll(r);
                return new DeclareToken(id, key);
            }
            case Declaration.U_TOKEN -> {
                long id = r.zint(32);
                return new UndeclareToken(id, exts ? wireExprExtensions(r) : WireExpr.NONE);
            }
            case Declaration.D_FINAL -> {
                if (exts) skipAll(r);
                return new DeclareFinal();
            }
            default -> throw new DecodeException("unknown declaration id 0x" + Integer.toHexString(h & 0x1F));
        }
    }

    /** An extension chain of an undeclaration: the optional wire-expression extension, other ones skipped. */
    private static WireExpr wireExprExtensions(ZReader r) throws DecodeException {
        WireExpr key = WireExpr.NONE;
        boolean more = true;
        while (more) {
            int e = r.u8();
            more = (e & Z) != 0;
            if ((e & 0x7F) == EXT_WIRE_EXPR) {
                ZReader body = r.sub(checkLength(r.zint(32), r));
                int flags = body.u8();
                int scope = (int) body.zint(16);
                String suffix = (flags & 0x01) != 0 ? body.utf8(body.remaining()) : "";
                key = new WireExpr(scope, suffix, (flags & 0x02) != 0);
            } else {
                skip(r, e);
            }
        }
        return key;
    }

    private static NetworkMessage.Oam decodeOam(int h, ZReader r) throws DecodeException {
        int id = (int) r.zint(16);
        int qos = NetworkMessage.QOS_DEFAULT;
        Timestamp timestamp = null;
        boolean more = (h & Z) != 0;
        while (more) {
            int e = r.u8();
            more = (e & Z) != 0;
            switch (e & 0x7F) {
                case EXT_QOS -> qos = (int) (r.zint() & 0xFF);
                case EXT_TIMESTAMP -> timestamp = timestampExtension(r);
                default -> skip(r, e);
            }
        }
        return new NetworkMessage.Oam(id, body(h & Extension.ENC_MASK, r), qos, timestamp);
    }

    public static void encodeNetwork(ZWriter w, NetworkMessage message) {
        switch (message) {
            case Push m -> encodePush(w, m);
            case Request m -> encodeRequest(w, m);
            case Response m -> encodeResponse(w, m);
            case ResponseFinal m -> {
                int exts = (m.qos() != NetworkMessage.QOS_DEFAULT ? 1 : 0) + (m.timestamp() != null ? 1 : 0);
                w.u8(NetworkMessage.RESPONSE_FINAL | (exts > 0 ? Z : 0)).zint(m.requestId());
                if (m.qos() != NetworkMessage.QOS_DEFAULT)
                    w.u8(EXT_QOS | (--exts > 0 ? Z : 0)).zint(m.qos());
                if (m.timestamp() != null) writeTimestampExtension(w, m.timestamp(), --exts > 0);
            }
            case Interest m -> encodeInterest(w, m);
            case Declare m -> encodeDeclare(w, m);
            case NetworkMessage.Oam m -> {
                int exts = (m.qos() != NetworkMessage.QOS_DEFAULT ? 1 : 0) + (m.timestamp() != null ? 1 : 0);
                w.u8(NetworkMessage.OAM | m.body().encoding() | (exts > 0 ? Z : 0))
                        .zint(m.id());
                if (m.qos() != NetworkMessage.QOS_DEFAULT)
                    w.u8(EXT_QOS | (--exts > 0 ? Z : 0)).zint(m.qos());
                if (m.timestamp() != null) writeTimestampExtension(w, m.timestamp(), --exts > 0);
                writeBody(w, m.body());
            }
        }
    }

    private static int keyFlags(WireExpr key) {
        return (key.hasSuffix() ? 0x20 : 0) | (key.senderMapping() ? 0x40 : 0);
    }

    private static void encodePush(ZWriter w, Push m) {
        encodePushHead(w, m);
        encodePushBody(w, m.body());
    }

    private static void encodePushHead(ZWriter w, Push m) {
        int exts = (m.qos() != NetworkMessage.QOS_DEFAULT ? 1 : 0)
                + (m.timestamp() != null ? 1 : 0)
                + (m.nodeId() != 0 ? 1 : 0)
                + (m.tsStack() != null ? 1 : 0);
        w.u8(NetworkMessage.PUSH | keyFlags(m.key()) | (exts > 0 ? Z : 0));
        writeWireExpr(w, m.key());
        if (m.qos() != NetworkMessage.QOS_DEFAULT)
            w.u8(EXT_QOS | (--exts > 0 ? Z : 0)).zint(m.qos());
        if (m.timestamp() != null) writeTimestampExtension(w, m.timestamp(), --exts > 0);
        if (m.nodeId() != 0) w.u8(EXT_NODE_ID | (--exts > 0 ? Z : 0)).zint(m.nodeId());
        if (m.tsStack() != null) w.u8(EXT_TS_STACK | (--exts > 0 ? Z : 0)).lengthPrefixed(m.tsStack());
    }

    /**
     * Writes {@code message}, except that when it ends with the payload of a put (a push or a reply carrying a put)
     * the payload bytes are left out and returned, so a large payload can go to the link without an extra copy.
     * Returns {@code null} when the whole message was written.
     */
    public static ZBytes encodeNetworkLeavingPayload(ZWriter w, NetworkMessage message) {
        if (message instanceof Push p && p.body() instanceof Put put) {
            encodePushHead(w, p);
            encodePutHeader(w, put, put.payload().length());
            return put.payload();
        }
        if (message instanceof Response r && r.body() instanceof Reply reply && reply.body() instanceof Put put) {
            encodeResponseHead(w, r);
            encodeReplyHead(w, reply);
            encodePutHeader(w, put, put.payload().length());
            return put.payload();
        }
        encodeNetwork(w, message);
        return null;
    }

    private static void encodeRequest(ZWriter w, Request m) {
        int exts = (m.qos() != NetworkMessage.QOS_DEFAULT ? 1 : 0)
                + (m.timestamp() != null ? 1 : 0)
                + (m.target() != NetworkMessage.TARGET_BEST_MATCHING ? 1 : 0)
                + (m.budget() != Request.ABSENT ? 1 : 0)
                + (m.timeoutMillis() != Request.ABSENT ? 1 : 0)
                + (m.nodeId() != 0 ? 1 : 0)
                + (m.tsStack() != null ? 1 : 0);
        w.u8(NetworkMessage.REQUEST | keyFlags(m.key()) | (exts > 0 ? Z : 0)).zint(m.id());
        writeWireExpr(w, m.key());
        if (m.qos() != NetworkMessage.QOS_DEFAULT)
            w.u8(EXT_QOS | (--exts > 0 ? Z : 0)).zint(m.qos());
        if (m.timestamp() != null) writeTimestampExtension(w, m.timestamp(), --exts > 0);
        if (m.target() != NetworkMessage.TARGET_BEST_MATCHING)
            w.u8(EXT_TARGET | (--exts > 0 ? Z : 0)).zint(m.target());
        if (m.budget() != Request.ABSENT)
            w.u8(EXT_BUDGET | (--exts > 0 ? Z : 0)).zint(m.budget());
        if (m.timeoutMillis() != Request.ABSENT)
            w.u8(EXT_TIMEOUT | (--exts > 0 ? Z : 0)).zint(m.timeoutMillis());
        if (m.nodeId() != 0) w.u8(EXT_NODE_ID | (--exts > 0 ? Z : 0)).zint(m.nodeId());
        if (m.tsStack() != null) w.u8(EXT_TS_STACK | (--exts > 0 ? Z : 0)).lengthPrefixed(m.tsStack());
        encodeQuery(w, m.body());
    }

    private static void encodeResponse(ZWriter w, Response m) {
        encodeResponseHead(w, m);
        switch (m.body()) {
            case Reply reply -> encodeReply(w, reply);
            case Err err -> encodeErr(w, err);
        }
    }

    private static void encodeResponseHead(ZWriter w, Response m) {
        int exts = (m.qos() != NetworkMessage.QOS_DEFAULT ? 1 : 0)
                + (m.timestamp() != null ? 1 : 0)
                + (m.responder() != null ? 1 : 0)
                + (m.tsStack() != null ? 1 : 0);
        w.u8(NetworkMessage.RESPONSE | keyFlags(m.key()) | (exts > 0 ? Z : 0)).zint(m.requestId());
        writeWireExpr(w, m.key());
        if (m.qos() != NetworkMessage.QOS_DEFAULT)
            w.u8(EXT_QOS | (--exts > 0 ? Z : 0)).zint(m.qos());
        if (m.timestamp() != null) writeTimestampExtension(w, m.timestamp(), --exts > 0);
        if (m.responder() != null) {
            EntityGlobalId id = m.responder();
            w.u8(EXT_RESPONDER | (--exts > 0 ? Z : 0))
                    .zint(1 + id.zid().size() + ZWriter.zintLength(id.eid()))
                    .u8((id.zid().size() - 1) << 4)
                    .bytes(id.zid().toBytes())
                    .zint(id.eid());
        }
        if (m.tsStack() != null) w.u8(EXT_TS_STACK | (--exts > 0 ? Z : 0)).lengthPrefixed(m.tsStack());
    }

    private static void encodeInterest(ZWriter w, Interest m) {
        int exts = (m.qos() != NetworkMessage.QOS_DEFAULT ? 1 : 0)
                + (m.timestamp() != null ? 1 : 0)
                + (m.nodeId() != 0 ? 1 : 0);
        w.u8(NetworkMessage.INTEREST | (m.mode() << 5) | (exts > 0 ? Z : 0)).zint(m.id());
        if (m.mode() != Interest.MODE_FINAL) {
            int options = m.options();
            if (m.key() != null) {
                options |= Interest.RESTRICTED
                        | (m.key().hasSuffix() ? Interest.NAMED : 0)
                        | (m.key().senderMapping() ? Interest.MAPPING : 0);
            }
            w.u8(options);
            if (m.key() != null) writeWireExpr(w, m.key());
        }
        if (m.qos() != NetworkMessage.QOS_DEFAULT)
            w.u8(EXT_QOS | (--exts > 0 ? Z : 0)).zint(m.qos());
        if (m.timestamp() != null) writeTimestampExtension(w, m.timestamp(), --exts > 0);
        if (m.nodeId() != 0) w.u8(EXT_NODE_ID | (--exts > 0 ? Z : 0)).zint(m.nodeId());
    }

    private static void encodeDeclare(ZWriter w, Declare m) {
        int exts = (m.qos() != NetworkMessage.QOS_DEFAULT ? 1 : 0)
                + (m.timestamp() != null ? 1 : 0)
                + (m.nodeId() != 0 ? 1 : 0);
        w.u8(NetworkMessage.DECLARE | (m.interestId() >= 0 ? 0x20 : 0) | (exts > 0 ? Z : 0));
        if (m.interestId() >= 0) w.zint(m.interestId());
        if (m.qos() != NetworkMessage.QOS_DEFAULT)
            w.u8(EXT_QOS | (--exts > 0 ? Z : 0)).zint(m.qos());
        if (m.timestamp() != null) writeTimestampExtension(w, m.timestamp(), --exts > 0);
        if (m.nodeId() != 0) w.u8(EXT_NODE_ID | (--exts > 0 ? Z : 0)).zint(m.nodeId());
        switch (m.body()) {
            case DeclareKeyExpr d -> {
                w.u8(Declaration.D_KEYEXPR | (d.key().hasSuffix() ? 0x20 : 0)).zint(d.id());
                writeWireExpr(w, d.key());
            }
            case UndeclareKeyExpr d -> w.u8(Declaration.U_KEYEXPR).zint(d.id());
            case DeclareSubscriber d -> {
                w.u8(Declaration.D_SUBSCRIBER | keyFlags(d.key())).zint(d.id());
                writeWireExpr(w, d.key());
            }
            case UndeclareSubscriber d -> {
                boolean hasKey = !d.key().equals(WireExpr.NONE);
                w.u8(Declaration.U_SUBSCRIBER | (hasKey ? Z : 0)).zint(d.id());
                if (hasKey) writeWireExprExtension(w, d.key());
            }
            case DeclareQueryable d -> {
                boolean info = d.complete() || d.distance() != 0;
                w.u8(Declaration.D_QUERYABLE | keyFlags(d.key()) | (info ? Z : 0))
                        .zint(d.id());
                writeWireExpr(w, d.key());
                if (info) w.u8(EXT_QUERYABLE_INFO).zint((d.complete() ? 1 : 0) | ((long) d.distance() << 8));
            }
            case UndeclareQueryable d -> {
                w.u8(Declaration.U_QUERYABLE | Z).zint(d.id());
                writeWireExprExtension(w, d.key());
            }
            case DeclareToken d -> {
                w.u8(Declaration.D_TOKEN | keyFlags(d.key())).zint(d.id());
                writeWireExpr(w, d.key());
            }
            case UndeclareToken d -> {
                w.u8(Declaration.U_TOKEN | Z).zint(d.id());
                writeWireExprExtension(w, d.key());
            }
            case DeclareFinal d -> w.u8(Declaration.D_FINAL);
        }
    }

    private static void writeWireExprExtension(ZWriter w, WireExpr key) {
        byte[] suffix = key.suffix().getBytes(StandardCharsets.UTF_8);
        w.u8(EXT_WIRE_EXPR)
                .zint(1 + ZWriter.zintLength(key.scope()) + suffix.length)
                .u8((key.hasSuffix() ? 0x01 : 0) | (key.senderMapping() ? 0x02 : 0))
                .zint(key.scope())
                .bytes(suffix);
    }

    // --------------------------------------------------------------------------------------------------- zenoh

    private static PushBody pushBody(ZReader r) throws DecodeException {
        int b = r.u8();
        return switch (b & 0x1F) {
            case ZENOH_PUT -> decodePut(b, r);
            case ZENOH_DEL -> decodeDel(b, r);
            default -> throw new DecodeException("expected a put or a delete");
        };
    }

    private static Put decodePut(int h, ZReader r) throws DecodeException {
        Timestamp timestamp = (h & 0x20) != 0 ? timestamp(r) : null;
        Encoding encoding = (h & 0x40) != 0 ? encoding(r) : null;
        SourceInfo sourceInfo = null;
        ZBytes attachment = null;
        List<Extension> unknown = List.of();
        boolean more = (h & Z) != 0;
        while (more) {
            int e = r.u8();
            more = (e & Z) != 0;
            switch (e & 0x7F) {
                case EXT_SOURCE_INFO -> sourceInfo = sourceInfo(r);
                case EXT_PUT_ATTACHMENT -> attachment = r.lengthPrefixed();
                case EXT_SHM -> throw new DecodeException("shared memory was not negotiated");
                default -> unknown = unknown(unknown, e, r);
            }
        }
        return new Put(timestamp, encoding, sourceInfo, attachment, unknown, r.zbytes(checkLength(r.zint(32), r)));
    }

    private static Del decodeDel(int h, ZReader r) throws DecodeException {
        Timestamp timestamp = (h & 0x20) != 0 ? timestamp(r) : null;
        SourceInfo sourceInfo = null;
        ZBytes attachment = null;
        List<Extension> unknown = List.of();
        boolean more = (h & Z) != 0;
        while (more) {
            int e = r.u8();
            more = (e & Z) != 0;
            switch (e & 0x7F) {
                case EXT_SOURCE_INFO -> sourceInfo = sourceInfo(r);
                case EXT_DEL_ATTACHMENT -> attachment = r.lengthPrefixed();
                default -> unknown = unknown(unknown, e, r);
            }
        }
        return new Del(timestamp, sourceInfo, attachment, unknown);
    }

    private static QueryBody decodeQuery(int h, ZReader r) throws DecodeException {
        int consolidation = 0;
        if ((h & 0x20) != 0) {
            long value = r.zint();
            if (value < 0 || value > 3) throw new DecodeException("unknown consolidation " + value);
            consolidation = (int) value;
        }
        String parameters = (h & 0x40) != 0 ? r.string() : "";
        SourceInfo sourceInfo = null;
        Encoding valueEncoding = null;
        ZBytes value = null;
        ZBytes attachment = null;
        List<Extension> unknown = List.of();
        boolean more = (h & Z) != 0;
        while (more) {
            int e = r.u8();
            more = (e & Z) != 0;
            switch (e & 0x7F) {
                case EXT_SOURCE_INFO -> sourceInfo = sourceInfo(r);
                case EXT_QUERY_BODY -> {
                    ZReader body = r.sub(checkLength(r.zint(32), r));
                    valueEncoding = encoding(body);
                    value = body.zbytes(body.remaining());
                }
                case EXT_QUERY_ATTACHMENT -> attachment = r.lengthPrefixed();
                default -> unknown = unknown(unknown, e, r);
            }
        }
        return new QueryBody(consolidation, parameters, sourceInfo, valueEncoding, value, attachment, unknown);
    }

    private static Reply decodeReply(int h, ZReader r) throws DecodeException {
        int consolidation = 0;
        if ((h & 0x20) != 0) {
            long value = r.zint();
            if (value < 0 || value > 3) throw new DecodeException("unknown consolidation " + value);
            consolidation = (int) value;
        }
        List<Extension> unknown = List.of();
        boolean more = (h & Z) != 0;
        while (more) {
            int e = r.u8();
            more = (e & Z) != 0;
            unknown = unknown(unknown, e, r);
        }
        return new Reply(consolidation, unknown, pushBody(r));
    }

    private static Err decodeErr(int h, ZReader r) throws DecodeException {
        Encoding encoding = (h & 0x40) != 0 ? encoding(r) : null;
        SourceInfo sourceInfo = null;
        List<Extension> unknown = List.of();
        boolean more = (h & Z) != 0;
        while (more) {
            int e = r.u8();
            more = (e & Z) != 0;
            switch (e & 0x7F) {
                case EXT_SOURCE_INFO -> sourceInfo = sourceInfo(r);
                case EXT_SHM -> throw new DecodeException("shared memory was not negotiated");
                default -> unknown = unknown(unknown, e, r);
            }
        }
        return new Err(encoding, sourceInfo, unknown, r.zbytes(checkLength(r.zint(32), r)));
    }

    private static List<Extension> unknown(List<Extension> list, int e, ZReader r) throws DecodeException {
        if ((e & Extension.FLAG_MANDATORY) != 0) {
            throw new DecodeException("unknown mandatory extension 0x" + Integer.toHexString(e & 0x7F));
        }
        Extension body = body(e & Extension.ENC_MASK, r);
        List<Extension> out = list.isEmpty() ? new ArrayList<>(2) : list;
        out.add(new Extension(e & 0x7F, body.value(), body.body()));
        return out;
    }

    public static void encodePushBody(ZWriter w, PushBody body) {
        switch (body) {
            case Put m -> encodePut(w, m);
            case Del m -> encodeDel(w, m);
        }
    }

    /**
     * Writes a Put up to, but not including, its payload bytes; the caller writes {@code payloadLength} bytes next.
     * Lets a large payload go straight from the caller's buffer into the batches.
     */
    public static void encodePutHeader(ZWriter w, Put m, int payloadLength) {
        boolean hasEncoding = m.encoding() != null && !m.encoding().isDefault();
        int exts = (m.sourceInfo() != null ? 1 : 0)
                + (m.attachment() != null ? 1 : 0)
                + m.unknown().size();
        w.u8(ZENOH_PUT | (m.timestamp() != null ? 0x20 : 0) | (hasEncoding ? 0x40 : 0) | (exts > 0 ? Z : 0));
        if (m.timestamp() != null) writeTimestamp(w, m.timestamp());
        if (hasEncoding) writeEncoding(w, m.encoding());
        if (m.sourceInfo() != null) writeSourceInfo(w, m.sourceInfo(), --exts > 0);
        if (m.attachment() != null)
            w.u8(EXT_PUT_ATTACHMENT | (--exts > 0 ? Z : 0)).lengthPrefixed(m.attachment());
        for (Extension e : m.unknown()) {
            w.u8(e.header() | (--exts > 0 ? Z : 0));
            writeBody(w, e);
        }
        w.zint(payloadLength);
    }

    private static void encodePut(ZWriter w, Put m) {
        encodePutHeader(w, m, m.payload().length());
        w.bytes(m.payload());
    }

    private static void encodeDel(ZWriter w, Del m) {
        int exts = (m.sourceInfo() != null ? 1 : 0)
                + (m.attachment() != null ? 1 : 0)
                + m.unknown().size();
        w.u8(ZENOH_DEL | (m.timestamp() != null ? 0x20 : 0) | (exts > 0 ? Z : 0));
        if (m.timestamp() != null) writeTimestamp(w, m.timestamp());
        if (m.sourceInfo() != null) writeSourceInfo(w, m.sourceInfo(), --exts > 0);
        if (m.attachment() != null)
            w.u8(EXT_DEL_ATTACHMENT | (--exts > 0 ? Z : 0)).lengthPrefixed(m.attachment());
        for (Extension e : m.unknown()) {
            w.u8(e.header() | (--exts > 0 ? Z : 0));
            writeBody(w, e);
        }
    }

    private static void encodeQuery(ZWriter w, QueryBody m) {
        int exts = (m.sourceInfo() != null ? 1 : 0)
                + (m.value() != null ? 1 : 0)
                + (m.attachment() != null ? 1 : 0)
                + m.unknown().size();
        w.u8(ZENOH_QUERY
                | (m.consolidation() != 0 ? 0x20 : 0)
                | (!m.parameters().isEmpty() ? 0x40 : 0)
                | (exts > 0 ? Z : 0));
        if (m.consolidation() != 0) w.zint(m.consolidation());
        if (!m.parameters().isEmpty()) w.string(m.parameters());
        if (m.sourceInfo() != null) writeSourceInfo(w, m.sourceInfo(), --exts > 0);
        if (m.value() != null) {
            Encoding encoding = m.valueEncoding() == null ? Encoding.ZENOH_BYTES : m.valueEncoding();
            w.u8(EXT_QUERY_BODY | (--exts > 0 ? Z : 0))
                    .zint(encodingLength(encoding) + m.value().length());
            writeEncoding(w, encoding);
            w.bytes(m.value());
        }
        if (m.attachment() != null)
            w.u8(EXT_QUERY_ATTACHMENT | (--exts > 0 ? Z : 0)).lengthPrefixed(m.attachment());
        for (Extension e : m.unknown()) {
            w.u8(e.header() | (--exts > 0 ? Z : 0));
            writeBody(w, e);
        }
    }

    private static void encodeReply(ZWriter w, Reply m) {
        encodeReplyHead(w, m);
        encodePushBody(w, m.body());
    }

    private static void encodeReplyHead(ZWriter w, Reply m) {
        int exts = m.unknown().size();
        w.u8(ZENOH_REPLY | (m.consolidation() != 0 ? 0x20 : 0) | (exts > 0 ? Z : 0));
        if (m.consolidation() != 0) w.zint(m.consolidation());
        for (Extension e : m.unknown()) {
            w.u8(e.header() | (--exts > 0 ? Z : 0));
            writeBody(w, e);
        }
    }

    private static void encodeErr(ZWriter w, Err m) {
        boolean hasEncoding = m.encoding() != null && !m.encoding().isDefault();
        int exts = (m.sourceInfo() != null ? 1 : 0) + m.unknown().size();
        w.u8(ZENOH_ERR | (hasEncoding ? 0x40 : 0) | (exts > 0 ? Z : 0));
        if (hasEncoding) writeEncoding(w, m.encoding());
        if (m.sourceInfo() != null) writeSourceInfo(w, m.sourceInfo(), --exts > 0);
        for (Extension e : m.unknown()) {
            w.u8(e.header() | (--exts > 0 ? Z : 0));
            writeBody(w, e);
        }
        w.lengthPrefixed(m.payload());
    }

    // ---------------------------------------------------------------------------------------------- primitives

    private static int checkLength(long length, ZReader r) throws DecodeException {
        if (length < 0 || length > r.remaining()) {
            throw new DecodeException(
                    "length " + Long.toUnsignedString(length) + " exceeds the " + r.remaining() + " remaining bytes");
        }
        return (int) length;
    }

    private static void skip(ZReader r, int e) throws DecodeException {
        if ((e & Extension.FLAG_MANDATORY) != 0) {
            throw new DecodeException("unknown mandatory extension 0x" + Integer.toHexString(e & 0x7F));
        }
        body(e & Extension.ENC_MASK, r);
    }

    private static void skipAll(ZReader r) throws DecodeException {
        boolean more = true;
        while (more) {
            int e = r.u8();
            more = (e & Z) != 0;
            skip(r, e);
        }
    }

    private static ZenohId zid(ZReader r, int size) throws DecodeException {
        byte[] bytes = r.bytes(size);
        for (byte b : bytes) if (b != 0) return ZenohId.of(bytes);
        throw new DecodeException("a Zenoh id cannot be zero");
    }

    private static WireExpr wireExpr(ZReader r, boolean named, boolean senderMapping) throws DecodeException {
        int scope = (int) r.zint(16);
        String suffix = named ? r.string() : "";
        return new WireExpr(scope, suffix, senderMapping);
    }

    private static void writeWireExpr(ZWriter w, WireExpr key) {
        w.zint(key.scope());
        if (key.hasSuffix()) w.string(key.suffix());
    }

    private static Timestamp timestamp(ZReader r) throws DecodeException {
        long time = r.zint();
        long size = r.zint();
        if (size < 1 || size > 16) throw new DecodeException("timestamp id of " + size + " bytes");
        return new Timestamp(time, zid(r, (int) size));
    }

    private static Timestamp timestampExtension(ZReader r) throws DecodeException {
        return timestamp(r.sub(checkLength(r.zint(32), r)));
    }

    private static void writeTimestamp(ZWriter w, Timestamp t) {
        w.zint(t.ntp64()).zint(t.id().size()).bytes(t.id().toBytes());
    }

    private static void writeTimestampExtension(ZWriter w, Timestamp t, boolean more) {
        int length = ZWriter.zintLength(t.ntp64()) + ZWriter.zintLength(t.id().size()) + t.id().size();
        w.u8(EXT_TIMESTAMP | (more ? Z : 0)).zint(length);
        writeTimestamp(w, t);
    }

    private static Encoding encoding(ZReader r) throws DecodeException {
        long value = r.zint(32);
        long id = value >>> 1;
        if (id > 0xFFFF) throw new DecodeException("encoding id " + id + " out of range");
        String schema = null;
        if ((value & 1) != 0) {
            int length = (int) r.zint(8);
            schema = r.utf8(checkLength(length, r));
        }
        return new Encoding((int) id, schema);
    }

    private static int encodingLength(Encoding e) {
        long value = ((long) e.id() << 1) | (e.schema() != null ? 1 : 0);
        int length = ZWriter.zintLength(value);
        if (e.schema() != null) {
            int schema = e.schema().getBytes(StandardCharsets.UTF_8).length;
            length += ZWriter.zintLength(schema) + schema;
        }
        return length;
    }

    private static void writeEncoding(ZWriter w, Encoding e) {
        w.zint(((long) e.id() << 1) | (e.schema() != null ? 1 : 0));
        if (e.schema() != null) {
            byte[] schema = e.schema().getBytes(StandardCharsets.UTF_8);
            if (schema.length > 255) throw new IllegalArgumentException("an encoding schema has at most 255 bytes");
            w.lengthPrefixed(schema);
        }
    }

    private static SourceInfo sourceInfo(ZReader r) throws DecodeException {
        ZReader body = r.sub(checkLength(r.zint(32), r));
        int flags = body.u8();
        ZenohId zid = zid(body, 1 + (flags >> 4));
        long eid = body.zint(32);
        long sn = body.zint(32);
        return new SourceInfo(new EntityGlobalId(zid, eid), sn);
    }

    private static void writeSourceInfo(ZWriter w, SourceInfo s, boolean more) {
        ZenohId zid = s.source().zid();
        int length = 1 + zid.size() + ZWriter.zintLength(s.source().eid()) + ZWriter.zintLength(s.sn());
        w.u8(EXT_SOURCE_INFO | (more ? Z : 0))
                .zint(length)
                .u8((zid.size() - 1) << 4)
                .bytes(zid.toBytes())
                .zint(s.source().eid())
                .zint(s.sn());
    }
}
