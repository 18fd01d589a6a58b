package ai.auraison.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.UUID;

/** Identifies one {@link AgentEvent} or {@link ProjectionEvent}; the de-duplication key of the event log. Serialised as its UUID string. */
public record EventId(UUID value) implements Comparable<EventId> {

    public EventId {
        Objects.requireNonNull(value, "EventId value");
    }

    /** A new random id. */
    public static EventId random() {
        return new EventId(UUID.randomUUID());
    }

    /** Parses the canonical UUID text form; throws {@link IllegalArgumentException} when it is not one. */
    @JsonCreator
    public static EventId of(String text) {
        return new EventId(UUID.fromString(text));
    }

    @JsonValue
    @Override
    public String toString() {
        return value.toString();
    }

    @Override
    public int compareTo(EventId other) {
        return value.compareTo(other.value);
    }
}
