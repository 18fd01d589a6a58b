package ai.auraison.zenoh.internal;

/**
 * Sequence-number arithmetic of one channel. The usable range for a negotiated width keeps the encoded number short:
 * 7 bits for 8-bit resolution, 14 for 16, 28 for 32 and 63 for 64. A received number is accepted when it lies in the
 * half window after the last one, so duplicates and stale frames are dropped.
 */
final class SeqNum {

    private SeqNum() {}

    /** The mask of usable values for the resolution's two-bit frame width field. */
    static long mask(int resolution) {
        return switch (resolution & 0b11) {
            case 0b00 -> 0x7FL;
            case 0b01 -> 0x3FFFL;
            case 0b10 -> 0x0FFF_FFFFL;
            default -> Long.MAX_VALUE;
        };
    }

    static long next(long sn, long mask) {
        return (sn + 1) & mask;
    }

    /** Whether {@code candidate} follows {@code last} within half the window (so it is new and in order). */
    static boolean precedes(long last, long candidate, long mask) {
        if ((candidate & ~mask) != 0) return false;
        long gap = (candidate - last) & mask;
        return gap != 0 && (gap & ~(mask >>> 1)) == 0;
    }
}
