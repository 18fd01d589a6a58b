package ai.auraison.memory.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One entry of the event log as the projector reads it: an {@code AgentEvent} in its JSON wire form (ADR 0002) with
 * where it sits in the log and the tenant of its run.
 *
 * @param at the entry's place in the log
 * @param tenant the tenant that owns the run
 * @param eventId the event's id (the log's de-duplication key)
 * @param runId the run the event belongs to
 * @param seq the event's number within its run
 * @param kind the event's kind, as in its {@code kind} property
 * @param ts when the event happened
 * @param body the whole event as contract JSON
 */
public record LoggedEvent(
        Checkpoint at, String tenant, UUID eventId, UUID runId, long seq, String kind, Instant ts, String body) {

    public LoggedEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(ts, "ts");
        Objects.requireNonNull(body, "body");
    }
}
