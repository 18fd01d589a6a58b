package ai.auraison.zenoh.internal;

import ai.auraison.zenoh.ZBytes;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads Zenoh's primitive encodings from a byte array window. Every read is bounded by the window: a length that does
 * not fit in the remaining bytes is a {@link DecodeException}, never an allocation or an unchecked exception.
 */
public final class ZReader {

    private final byte[] buf;
    private int pos;
    private final int limit;

    public ZReader(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.pos = offset;
        this.limit = offset + length;
    }

    public static ZReader of(byte[] bytes) {
        return new ZReader(bytes, 0, bytes.length);
    }

    public int remaining() {
        return limit - pos;
    }

    public boolean hasRemaining() {
        return pos < limit;
    }

    public int position() {
        return pos;
    }

    byte[] buffer() {
        return buf;
    }

    /** The next byte without consuming it. */
    public int peek() throws DecodeException {
        if (pos >= limit) throw new DecodeException("unexpected end of message");
        return buf[pos] & 0xFF;
    }

    public int u8() throws DecodeException {
        if (pos >= limit) throw new DecodeException("unexpected end of message");
        return buf[pos++] & 0xFF;
    }

    public int u16le() throws DecodeException {
        return u8() | (u8() << 8);
    }

    /** A variable-length unsigned integer (LEB128, at most 9 bytes, the 9th carrying 8 bits). */
    public long zint() throws DecodeException {
        long value = 0;
        int shift = 0;
        for (int i = 0; i < 8; i++) {
            int b = u8();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
            shift += 7;
        }
        return value | ((long) u8() << 56);
    }

    /** A variable-length integer that must fit in {@code bits} bits. */
    public long zint(int bits) throws DecodeException {
        long value = zint();
        if (bits < 64 && (value >>> bits) != 0) {
            throw new DecodeException("integer " + Long.toUnsignedString(value) + " exceeds " + bits + " bits");
        }
        return value;
    }

    /** A length prefix that must fit in the remaining bytes. */
    public int length() throws DecodeException {
        long length = zint();
        if (length < 0 || length > remaining()) {
            throw new DecodeException(
                    "length " + Long.toUnsignedString(length) + " exceeds the " + remaining() + " remaining bytes");
        }
        return (int) length;
    }

    public byte[] bytes(int count) throws DecodeException {
        if (count < 0 || count > remaining()) throw new DecodeException("unexpected end of message");
        byte[] out = new byte[count];
        System.arraycopy(buf, pos, out, 0, count);
        pos += count;
        return out;
    }

    /** A copy of the next {@code count} bytes. */
    public ZBytes zbytes(int count) throws DecodeException {
        return ZBytes.wrap(bytes(count), 0, count);
    }

    /** A length-prefixed byte sequence, copied. */
    public ZBytes lengthPrefixed() throws DecodeException {
        return zbytes(length());
    }

    /** A length-prefixed UTF-8 string; malformed UTF-8 is a decode error. */
    public String string() throws DecodeException {
        return utf8(length());
    }

    public String utf8(int count) throws DecodeException {
        if (count < 0 || count > remaining()) throw new DecodeException("unexpected end of message");
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buf, pos, count))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new DecodeException("malformed UTF-8 string");
        }
        pos += count;
        return text;
    }

    public void skip(int count) throws DecodeException {
        if (count < 0 || count > remaining()) throw new DecodeException("unexpected end of message");
        pos += count;
    }

    /** A reader over the next {@code count} bytes, which this reader skips. */
    public ZReader sub(int count) throws DecodeException {
        if (count < 0 || count > remaining()) throw new DecodeException("unexpected end of message");
        ZReader sub = new ZReader(buf, pos, count);
        pos += count;
        return sub;
    }
}
