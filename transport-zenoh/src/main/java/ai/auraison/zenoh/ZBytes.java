package ai.auraison.zenoh;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable sequence of bytes: the payload or attachment of a sample, query or reply.
 *
 * <p>Instances never expose their backing array; {@link #toBytes()} returns a copy. Equality is by content.
 */
public final class ZBytes {

    /** The empty payload. */
    public static final ZBytes EMPTY = new ZBytes(new byte[0], 0, 0);

    private final byte[] array;
    private final int offset;
    private final int length;

    private ZBytes(byte[] array, int offset, int length) {
        this.array = array;
        this.offset = offset;
        this.length = length;
    }

    /** Copies {@code bytes}. */
    public static ZBytes from(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new ZBytes(bytes.clone(), 0, bytes.length);
    }

    /** The UTF-8 bytes of {@code text}. */
    public static ZBytes from(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new ZBytes(bytes, 0, bytes.length);
    }

    /** Copies the remaining bytes of {@code buffer} without moving its position. */
    public static ZBytes from(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return new ZBytes(bytes, 0, bytes.length);
    }

    /**
     * Wraps {@code array[offset, offset+length)} without copying: the caller hands the array over and must not change
     * it afterwards. Use it to avoid a copy of large payloads.
     */
    public static ZBytes wrap(byte[] array, int offset, int length) {
        return length == 0 ? EMPTY : new ZBytes(array, offset, length);
    }

    /** The number of bytes. */
    public int length() {
        return length;
    }

    /** Whether there are no bytes. */
    public boolean isEmpty() {
        return length == 0;
    }

    /** The byte at {@code index}. */
    public byte byteAt(int index) {
        if (index < 0 || index >= length) throw new IndexOutOfBoundsException(index);
        return array[offset + index];
    }

    /** A copy of the bytes. */
    public byte[] toBytes() {
        return Arrays.copyOfRange(array, offset, offset + length);
    }

    /** A read-only view of the bytes. */
    public ByteBuffer asByteBuffer() {
        return ByteBuffer.wrap(array, offset, length).slice().asReadOnlyBuffer();
    }

    /** The bytes decoded as UTF-8 (malformed input is replaced). */
    @Override
    public String toString() {
        return new String(array, offset, length, StandardCharsets.UTF_8);
    }

    /** The bytes as lower-case hexadecimal. */
    public String toHex() {
        return HexFormat.of().formatHex(array, offset, offset + length);
    }

    /** Copies the bytes into {@code target} at {@code targetOffset}. */
    public void copyTo(byte[] target, int targetOffset) {
        System.arraycopy(array, offset, target, targetOffset, length);
    }

    /** Copies {@code count} bytes starting at {@code from} into {@code target} at {@code targetOffset}. */
    public void copyTo(int from, byte[] target, int targetOffset, int count) {
        if (from < 0 || count < 0 || from + count > length) throw new IndexOutOfBoundsException(from + count);
        System.arraycopy(array, offset + from, target, targetOffset, count);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ZBytes that
                && Arrays.equals(array, offset, offset + length, that.array, that.offset, that.offset + that.length);
    }

    @Override
    public int hashCode() {
        int hash = 1;
        for (int i = offset; i < offset + length; i++) hash = 31 * hash + array[i];
        return hash;
    }
}
