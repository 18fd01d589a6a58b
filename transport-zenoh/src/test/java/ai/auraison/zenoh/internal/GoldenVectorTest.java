package ai.auraison.zenoh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.auraison.zenoh.internal.GoldenVectors.Batch;
import ai.auraison.zenoh.internal.NetworkMessage.Declare;
import ai.auraison.zenoh.internal.NetworkMessage.Del;
import ai.auraison.zenoh.internal.NetworkMessage.Err;
import ai.auraison.zenoh.internal.NetworkMessage.Interest;
import ai.auraison.zenoh.internal.NetworkMessage.Push;
import ai.auraison.zenoh.internal.NetworkMessage.Put;
import ai.auraison.zenoh.internal.NetworkMessage.Reply;
import ai.auraison.zenoh.internal.NetworkMessage.Request;
import ai.auraison.zenoh.internal.NetworkMessage.Response;
import ai.auraison.zenoh.internal.NetworkMessage.ResponseFinal;
import ai.auraison.zenoh.internal.TransportMessage.Close;
import ai.auraison.zenoh.internal.TransportMessage.Fragment;
import ai.auraison.zenoh.internal.TransportMessage.Frame;
import ai.auraison.zenoh.internal.TransportMessage.Init;
import ai.auraison.zenoh.internal.TransportMessage.KeepAlive;
import ai.auraison.zenoh.internal.TransportMessage.Open;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class GoldenVectorTest {

    @Test
    void reEncodesEveryCapturedBatchToIdenticalBytes() throws DecodeException {
        List<Batch> batches = GoldenVectors.all();
        assertThat(batches).hasSizeGreaterThan(100);
        for (Batch batch : batches) {
            List<TransportMessage> messages = Codec.decodeBatch(ZReader.of(batch.bytes()));
            ZWriter w = new ZWriter();
            for (TransportMessage m : messages) Codec.encodeTransport(w, m);
            assertThat(HexFormat.of().formatHex(w.toByteArray()))
                    .as("batch of %s", batch.stream())
                    .isEqualTo(HexFormat.of().formatHex(batch.bytes()));
        }
    }

    @Test
    void reassemblesTheCapturedFragmentsIntoTheFiveThousandBytePut() throws DecodeException {
        Map<String, ByteArrayOutputStream> pending = new HashMap<>();
        int puts = 0;
        for (Batch batch : GoldenVectors.load("fragment")) {
            for (TransportMessage m : Codec.decodeBatch(ZReader.of(batch.bytes()))) {
                if (!(m instanceof Fragment f)) continue;
                ByteArrayOutputStream buffer =
                        pending.computeIfAbsent(batch.stream(), s -> new ByteArrayOutputStream());
                buffer.writeBytes(f.payload().toBytes());
                if (f.more()) continue;
                byte[] whole = pending.remove(batch.stream()).toByteArray();
                NetworkMessage message = Codec.decodeNetwork(ZReader.of(whole));
                assertThat(message).isInstanceOf(Push.class);
                Put put = (Put) ((Push) message).body();
                assertThat(put.payload().length()).isEqualTo(5000);
                for (int i = 0; i < 5000; i++)
                    assertThat(put.payload().byteAt(i)).isEqualTo((byte) (i % 251));
                ZWriter w = new ZWriter();
                Codec.encodeNetwork(w, message);
                assertThat(w.toByteArray()).isEqualTo(whole);
                puts++;
            }
        }
        assertThat(puts)
                .as("the put from the publisher and its copy from the router")
                .isEqualTo(2);
    }

    /**
     * U_KEYEXPR is the one kind the Python binding never sends (it keeps declared prefixes for the session's life);
     * {@link CodecTest} pins its layout instead. OAM and JOIN only flow between routers and peers.
     */
    @Test
    void coversEveryMessageKindAClientExchangesWithARouter() throws DecodeException {
        Set<String> kinds = new TreeSet<>();
        for (Batch batch : GoldenVectors.all()) {
            for (TransportMessage m : Codec.decodeBatch(ZReader.of(batch.bytes()))) {
                switch (m) {
                    case Init i -> kinds.add(i.ack() ? "InitAck" : "InitSyn");
                    case Open o -> kinds.add(o.ack() ? "OpenAck" : "OpenSyn");
                    case Close c -> kinds.add("Close");
                    case KeepAlive k -> kinds.add("KeepAlive");
                    case Fragment f -> kinds.add("Fragment");
                    case Frame f -> {
                        kinds.add(f.reliable() ? "Frame(reliable)" : "Frame(best effort)");
                        if (f.qos() != NetworkMessage.QOS_DEFAULT) kinds.add("Frame(priority)");
                        for (NetworkMessage n : f.messages()) {
                            kinds.add(kind(n));
                            if (n instanceof Push p && p.body() instanceof Put put) {
                                if (put.timestamp() != null) kinds.add("Push/Put+timestamp");
                                if (put.encoding() != null) kinds.add("Push/Put+encoding");
                                if (put.attachment() != null) kinds.add("Push/Put+attachment");
                            }
                        }
                    }
                    case TransportMessage.Oam o -> kinds.add("OAM");
                }
            }
        }
        assertThat(kinds)
                .contains(
                        "InitSyn",
                        "InitAck",
                        "OpenSyn",
                        "OpenAck",
                        "Close",
                        "KeepAlive",
                        "Frame(reliable)",
                        "Frame(priority)",
                        "Fragment",
                        "Declare/DeclareKeyExpr",
                        "Declare/DeclareSubscriber",
                        "Declare/UndeclareSubscriber",
                        "Declare/DeclareQueryable",
                        "Declare/UndeclareQueryable",
                        "Declare/DeclareToken",
                        "Declare/UndeclareToken",
                        "Declare/DeclareFinal",
                        "Push/Put",
                        "Push/Put+timestamp",
                        "Push/Put+encoding",
                        "Push/Put+attachment",
                        "Push/Del",
                        "Request/Query",
                        "Request/Query+payload",
                        "Response/Reply/Put",
                        "Response/Reply/Del",
                        "Response/Err",
                        "ResponseFinal",
                        "Interest/current",
                        "Interest/current+future",
                        "Interest/final");
    }

    private static String kind(NetworkMessage n) {
        return switch (n) {
            case Declare d -> "Declare/" + d.body().getClass().getSimpleName();
            case Push p -> p.body() instanceof Put ? "Push/Put" : "Push/Del";
            case Request r -> "Request/Query" + (r.body().value() != null ? "+payload" : "");
            case Response r
            when r.body() instanceof Reply reply -> "Response/Reply/" + (reply.body() instanceof Del ? "Del" : "Put");
            case Response r -> "Response/" + (r.body() instanceof Err ? "Err" : "?");
            case ResponseFinal f -> "ResponseFinal";
            case Interest i ->
                "Interest/"
                        + switch (i.mode()) {
                            case Interest.MODE_FINAL -> "final";
                            case Interest.MODE_CURRENT -> "current";
                            case Interest.MODE_FUTURE -> "future";
                            default -> "current+future";
                        };
            case NetworkMessage.Oam o -> "OAM";
        };
    }
}
