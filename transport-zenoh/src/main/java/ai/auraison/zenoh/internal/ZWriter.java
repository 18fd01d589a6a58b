package ai.auraison.zenoh.internal;

import ai.auraison.zenoh.ZBytes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Writes Zenoh's primitive encodings into a growable byte array. */
public final class ZWriter {

    private byte[] buf;
    private int pos;

    public ZWriter() {
        this(256);
    }

    public ZWriter(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    public int size() {
        return pos;
    }

    public void reset() {
        pos = 0;
    }

    /** Drops everything written after {@code size}. */
    public void truncate(int size) {
        pos = size;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    /** The backing array; valid up to {@link #size()} until the next write. */
    public byte[] array() {
        return buf;
    }

    private void ensure(int extra) {
        if (pos + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + extra));
        }
    }

    public ZWriter u8(int value) {
        ensure(1);
        buf[pos++] = (byte) value;
        return this;
    }

    public ZWriter u16le(int value) {
        ensure(2);
        buf[pos++] = (byte) value;
        buf[pos++] = (byte) (value >>> 8);
        return this;
    }

    /** Overwrites two bytes at {@code at} with a little-endian 16-bit value. */
    public void putU16le(int at, int value) {
        buf[at] = (byte) value;
        buf[at + 1] = (byte) (value >>> 8);
    }

    public ZWriter zint(long value) {
        ensure(9);
        for (int i = 0; i < 8; i++) {
            if ((value & ~0x7FL) == 0) {
                buf[pos++] = (byte) value;
                return this;
            }
            buf[pos++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buf[pos++] = (byte) value;
        return this;
    }

    /** The number of bytes {@link #zint(long)} writes for {@code value}. */
    public static int zintLength(long value) {
        int length = 1;
        while (length < 9 && (value & ~0x7FL) != 0) {
            value >>>= 7;
            length++;
        }
        return length;
    }

    public ZWriter bytes(byte[] bytes) {
        return bytes(bytes, 0, bytes.length);
    }

    public ZWriter bytes(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, buf, pos, length);
        pos += length;
        return this;
    }

    public ZWriter bytes(ZBytes bytes) {
        ensure(bytes.length());
        bytes.copyTo(buf, pos);
        pos += bytes.length();
        return this;
    }

    /** Appends {@code count} bytes of {@code bytes} starting at {@code from}. */
    public ZWriter bytes(ZBytes bytes, int from, int count) {
        ensure(count);
        bytes.copyTo(from, buf, pos, count);
        pos += count;
        return this;
    }

    public ZWriter lengthPrefixed(ZBytes bytes) {
        zint(bytes.length());
        return bytes(bytes);
    }

    public ZWriter lengthPrefixed(byte[] bytes) {
        zint(bytes.length);
        return bytes(bytes);
    }

    public ZWriter string(String text) {
        return lengthPrefixed(text.getBytes(StandardCharsets.UTF_8));
    }
}
