package ai.auraison.contract;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where a run is in its life. {@code PENDING → QUEUED → DISPATCHED → RUNNING → SUCCEEDED | FAILED | CANCELLED |
 * EXPIRED}; {@code REJECTED} when admission refused it. Runs started at the edge go from {@code PENDING} straight to
 * {@code RUNNING}. See {@link RunState#apply(AgentEvent)} for the full transition table.
 */
public enum RunStatus {
    @JsonProperty("pending")
    PENDING,
    @JsonProperty("queued")
    QUEUED,
    @JsonProperty("dispatched")
    DISPATCHED,
    @JsonProperty("running")
    RUNNING,
    @JsonProperty("succeeded")
    SUCCEEDED,
    @JsonProperty("failed")
    FAILED,
    @JsonProperty("cancelled")
    CANCELLED,
    @JsonProperty("expired")
    EXPIRED,
    @JsonProperty("rejected")
    REJECTED;

    /** The wire name, as in the JSON form. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether no further event may change a run in this status. */
    public boolean isTerminal() {
        return switch (this) {
            case SUCCEEDED, FAILED, CANCELLED, EXPIRED, REJECTED -> true;
            default -> false;
        };
    }
}
