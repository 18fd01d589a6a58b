package ai.auraison.zenoh;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The identifier of a Zenoh node: 1 to 16 bytes, little-endian, never all zero. Printed like Zenoh prints it: the
 * hexadecimal value of the little-endian number, without leading zeros.
 */
public final class ZenohId {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;

    private ZenohId(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A fresh random 16-byte id. */
    public static ZenohId random() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        bytes[15] |= 0x01; // the most significant byte is non-zero, so the id keeps all 16 bytes on the wire
        return new ZenohId(bytes);
    }

    /** The id whose little-endian bytes are {@code bytes} (trailing zero bytes are dropped). */
    public static ZenohId of(byte[] bytes) {
        int size = bytes.length;
        while (size > 0 && bytes[size - 1] == 0) size--;
        if (size == 0 || bytes.length > 16) {
            throw new IllegalArgumentException("a Zenoh id has 1 to 16 bytes and is not zero");
        }
        return new ZenohId(Arrays.copyOf(bytes, size));
    }

    /** Parses the printed form (hexadecimal, most significant digit first). */
    public static ZenohId parse(String hex) {
        String digits = hex.length() % 2 == 0 ? hex : "0" + hex;
        byte[] bigEndian = HexFormat.of().parseHex(digits);
        byte[] little = new byte[bigEndian.length];
        for (int i = 0; i < bigEndian.length; i++) little[i] = bigEndian[bigEndian.length - 1 - i];
        return of(little);
    }

    /** The number of significant bytes (1 to 16). */
    public int size() {
        return bytes.length;
    }

    /** A copy of the little-endian bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(bytes.length * 2);
        for (int i = bytes.length - 1; i >= 0; i--) text.append(HexFormat.of().toHexDigits(bytes[i]));
        int start = 0;
        while (start < text.length() - 1 && text.charAt(start) == '0') start++;
        return text.substring(start);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ZenohId that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }
}
