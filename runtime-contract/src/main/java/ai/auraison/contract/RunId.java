package ai.auraison.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.UUID;

/** Identifies one run of an agent on one intent. Serialised as its UUID string. */
public record RunId(UUID value) implements Comparable<RunId> {

    public RunId {
        Objects.requireNonNull(value, "RunId value");
    }

    /** A new random id. */
    public static RunId random() {
        return new RunId(UUID.randomUUID());
    }

    /** Parses the canonical UUID text form; throws {@link IllegalArgumentException} when it is not one. */
    @JsonCreator
    public static RunId of(String text) {
        return new RunId(UUID.fromString(text));
    }

    @JsonValue
    @Override
    public String toString() {
        return value.toString();
    }

    @Override
    public int compareTo(RunId other) {
        return value.compareTo(other.value);
    }
}
