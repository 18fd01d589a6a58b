package ai.auraison.zenoh.internal;

import ai.auraison.zenoh.ZBytes;

/**
 * One extension of a message, kept as it travels: its header (id, mandatory flag and encoding, without the "more"
 * flag) and its body (none, a 64-bit integer, or bytes).
 */
public record Extension(int header, long value, ZBytes body) {

    public static final int FLAG_MORE = 0x80;
    public static final int FLAG_MANDATORY = 0x10;
    public static final int ENC_MASK = 0x60;
    public static final int ENC_UNIT = 0x00;
    public static final int ENC_Z64 = 0x20;
    public static final int ENC_ZBUF = 0x40;

    public static Extension unit(int id, boolean mandatory) {
        return new Extension(id | (mandatory ? FLAG_MANDATORY : 0) | ENC_UNIT, 0, null);
    }

    public static Extension z64(int id, boolean mandatory, long value) {
        return new Extension(id | (mandatory ? FLAG_MANDATORY : 0) | ENC_Z64, value, null);
    }

    public static Extension zbuf(int id, boolean mandatory, ZBytes body) {
        return new Extension(id | (mandatory ? FLAG_MANDATORY : 0) | ENC_ZBUF, 0, body);
    }

    public int id() {
        return header & 0x0F;
    }

    public boolean mandatory() {
        return (header & FLAG_MANDATORY) != 0;
    }

    public int encoding() {
        return header & ENC_MASK;
    }
}
