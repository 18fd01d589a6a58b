package ai.auraison.zenoh.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.auraison.zenoh.Encoding;
import ai.auraison.zenoh.ZBytes;
import ai.auraison.zenoh.internal.Declaration.UndeclareKeyExpr;
import ai.auraison.zenoh.internal.NetworkMessage.Declare;
import ai.auraison.zenoh.internal.NetworkMessage.Push;
import ai.auraison.zenoh.internal.NetworkMessage.Put;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CodecTest {

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replace(" ", ""));
    }

    private static String hexOf(ZWriter w) {
        return HexFormat.of().formatHex(w.toByteArray());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0, 00",
        "127, 7f",
        "128, 8001",
        "16383, ff7f",
        "16384, 808001",
        "72057594037927935, ffffffffffffff7f",
        "72057594037927936, 808080808080808001",
        "-1, ffffffffffffffffff"
    })
    void encodesVariableLengthIntegersLikeTheReference(long value, String encoded) throws DecodeException {
        ZWriter w = new ZWriter();
        w.zint(value);
        assertThat(hexOf(w)).isEqualTo(encoded);
        assertThat(ZWriter.zintLength(value)).isEqualTo(encoded.length() / 2);
        assertThat(ZReader.of(hex(encoded)).zint()).isEqualTo(value);
    }

    @Test
    void readsTheNinthVarintByteAsEightFullBitsAndStopsThere() throws DecodeException {
        ZReader r = ZReader.of(hex("ff ff ff ff ff ff ff ff ff 05"));
        assertThat(r.zint()).isEqualTo(-1L);
        assertThat(r.u8()).isEqualTo(5);
    }

    @Test
    void rejectsIntegersWiderThanTheFieldAllows() {
        assertThatThrownBy(() -> ZReader.of(hex("8080808010")).zint(32)).isInstanceOf(DecodeException.class);
    }

    @Test
    void rejectsALengthLargerThanTheRemainingBytesWithoutAllocatingIt() {
        // a put whose payload claims 2^62 bytes
        byte[] push = hex("3d 00 04 61 2f 62 63 01 ff ff ff ff ff ff ff ff 3f");
        assertThatThrownBy(() -> Codec.decodeNetwork(ZReader.of(push)))
                .isInstanceOf(DecodeException.class)
                .hasMessageContaining("exceeds");
    }

    @Test
    void pinsTheLayoutOfAnUndeclareKeyExpr() throws DecodeException {
        // Declare (Z: QoS control+block) / U_KEYEXPR id 7: the one kind the captured vectors cannot show
        Declare declare = new Declare(-1, 0x08, null, 0, new UndeclareKeyExpr(7));
        ZWriter w = new ZWriter();
        Codec.encodeNetwork(w, declare);
        assertThat(hexOf(w)).isEqualTo("9e21080107");
        assertThat(Codec.decodeNetwork(ZReader.of(w.toByteArray()))).isEqualTo(declare);
    }

    @Test
    void skipsUnknownOptionalExtensionsAndRejectsUnknownMandatoryOnes() throws DecodeException {
        // push "a" with an unknown optional z64 extension (id 9) then a put "x"
        byte[] optional = hex("bd 00 01 61 29 2a 01 01 78");
        Push push = (Push) Codec.decodeNetwork(ZReader.of(optional));
        assertThat(((Put) push.body()).payload()).isEqualTo(ZBytes.from("x"));
        // the same extension flagged mandatory
        byte[] mandatory = hex("bd 00 01 61 39 2a 01 01 78");
        assertThatThrownBy(() -> Codec.decodeNetwork(ZReader.of(mandatory)))
                .isInstanceOf(DecodeException.class)
                .hasMessageContaining("mandatory");
    }

    @Test
    void keepsUnknownPutExtensionsAndWritesThemBack() throws DecodeException {
        Put put = new Put(
                null,
                Encoding.parse("text/plain;utf8"),
                null,
                ZBytes.from("att"),
                List.of(Extension.z64(0x9, false, 42)),
                ZBytes.from("payload"));
        Push push = new Push(WireExpr.of("k"), NetworkMessage.QOS_DEFAULT, null, 0, null, put);
        ZWriter w = new ZWriter();
        Codec.encodeNetwork(w, push);
        Push back = (Push) Codec.decodeNetwork(ZReader.of(w.toByteArray()));
        assertThat(back.body()).isEqualTo(put);
    }

    @Test
    void rejectsMalformedUtf8InKeyExpressions() {
        byte[] push = hex("3d 00 02 c3 28 01 00");
        assertThatThrownBy(() -> Codec.decodeNetwork(ZReader.of(push)))
                .isInstanceOf(DecodeException.class)
                .hasMessageContaining("UTF-8");
    }

    @Test
    void writesTheLeaseInSecondsWhenItIsAWholeNumberOfSeconds() {
        ZWriter w = new ZWriter();
        Codec.encodeTransport(w, new TransportMessage.Open(true, 10_000, 5, null, List.of()));
        assertThat(hexOf(w)).isEqualTo("620a05");
        w.reset();
        Codec.encodeTransport(w, new TransportMessage.Open(true, 1_500, 5, null, List.of()));
        assertThat(hexOf(w)).isEqualTo("22dc0b05");
    }
}
