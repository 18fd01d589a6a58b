package ai.auraison.zenoh;

import java.time.Instant;
import java.util.Objects;

/**
 * A hybrid-logical-clock timestamp as Zenoh stamps data: an NTP64 time (seconds since the UNIX epoch in the upper 32
 * bits, the binary fraction of a second in the lower 32) and the id of the node whose clock produced it.
 *
 * @param ntp64 the NTP64 time
 * @param id the id of the stamping node
 */
public record Timestamp(long ntp64, ZenohId id) implements Comparable<Timestamp> {

    public Timestamp {
        Objects.requireNonNull(id, "id");
    }

    /** A timestamp for {@code instant} from the node {@code id}. */
    public static Timestamp of(Instant instant, ZenohId id) {
        long seconds = instant.getEpochSecond();
        long fraction = ((long) instant.getNano() << 32) / 1_000_000_000L;
        return new Timestamp((seconds << 32) | (fraction & 0xFFFF_FFFFL), id);
    }

    /** The time as an instant (nanosecond precision). */
    public Instant toInstant() {
        long seconds = ntp64 >>> 32;
        long nanos = ((ntp64 & 0xFFFF_FFFFL) * 1_000_000_000L) >>> 32;
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /** Orders by time, then by id bytes as Zenoh does. */
    @Override
    public int compareTo(Timestamp other) {
        int byTime = Long.compareUnsigned(ntp64, other.ntp64);
        return byTime != 0 ? byTime : id.toString().compareTo(other.id.toString());
    }
}
