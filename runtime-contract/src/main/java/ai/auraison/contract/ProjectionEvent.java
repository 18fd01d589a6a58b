package ai.auraison.contract;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.Map;

/**
 * Something a projection did with the event log: derived from {@link AgentEvent}s, never a source of truth. Every
 * event carries {@code eventId}, the {@code domain} and the named {@code projection} it concerns, {@code ts} and the
 * {@code schemaVersion}; the JSON form names the kind in {@code kind}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ProjectionEvent.BatchProjected.class, name = "BatchProjected"),
    @JsonSubTypes.Type(value = ProjectionEvent.ProjectionRebuilt.class, name = "ProjectionRebuilt"),
    @JsonSubTypes.Type(value = ProjectionEvent.ProjectionFailed.class, name = "ProjectionFailed")
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface ProjectionEvent {

    EventId eventId();

    Domain domain();

    String projection();

    Instant ts();

    String schemaVersion();

    /** The wire name of this event's kind. */
    @JsonIgnore
    default String kind() {
        return getClass().getSimpleName();
    }

    /**
     * A batch of the log, positions {@code fromPosition..toPosition} inclusive, was projected and checkpointed;
     * {@code rows} counts the rows written per table.
     */
    record BatchProjected(
            @NotNull EventId eventId,
            @NotNull Domain domain,
            @NotNull @Pattern(regexp = PROJECTION_PATTERN) String projection,
            @NotNull Instant ts,

            @NotNull @Pattern(regexp = SchemaVersions.ACCEPTED_PATTERN)
            String schemaVersion,

            @Min(0) long fromPosition,
            @Min(0) long toPosition,
            @Min(0) int events,
            @NotNull Map<String, Long> rows)
            implements ProjectionEvent {}

    /** The projection was rebuilt from the start of the log up to {@code toPosition}. */
    record ProjectionRebuilt(
            @NotNull EventId eventId,
            @NotNull Domain domain,
            @NotNull @Pattern(regexp = PROJECTION_PATTERN) String projection,
            @NotNull Instant ts,

            @NotNull @Pattern(regexp = SchemaVersions.ACCEPTED_PATTERN)
            String schemaVersion,

            @Min(0) long toPosition,
            @Min(0) long events,
            @Min(0) long durationMs)
            implements ProjectionEvent {}

    /** Projecting stopped at {@code position}; {@code failure} says why. The checkpoint did not move. */
    record ProjectionFailed(
            @NotNull EventId eventId,
            @NotNull Domain domain,
            @NotNull @Pattern(regexp = PROJECTION_PATTERN) String projection,
            @NotNull Instant ts,

            @NotNull @Pattern(regexp = SchemaVersions.ACCEPTED_PATTERN)
            String schemaVersion,

            @Min(0) long position,
            @NotNull Failure failure)
            implements ProjectionEvent {}

    /** Projection names look like {@code memory.runs}. */
    String PROJECTION_PATTERN = "^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$";
}
