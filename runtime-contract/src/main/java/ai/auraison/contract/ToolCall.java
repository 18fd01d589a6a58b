package ai.auraison.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * One call of a tool inside a run: the tool, its input and the schemas it was checked against, and, once it
 * finished, its result and timing.
 *
 * <p>Idempotency: {@code (runId, toolCallId)} identifies the call; executing ports treat a repeat as the same call.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ToolCall(
        @NotNull ToolCallId toolCallId,
        @NotNull RunId runId,
        @NotNull @Pattern(regexp = "^[a-z][a-z0-9_]{0,63}$") String tool,
        @NotNull Map<String, Object> input,
        Map<String, Object> inputSchema,
        Map<String, Object> outputSchema,
        ToolResult result,
        Timing timing,

        @NotNull @Pattern(regexp = SchemaVersions.ACCEPTED_PATTERN)
        String schemaVersion) {

    public ToolCall {
        if (toolCallId == null) throw new IllegalArgumentException("toolCallId is required");
        if (runId == null) throw new IllegalArgumentException("runId is required");
        input = input == null ? Map.of() : input;
        schemaVersion = schemaVersion == null ? SchemaVersions.CURRENT : schemaVersion;
    }

    /** When the call was requested, started and completed; later instants are absent until they happen. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Timing(@NotNull Instant requestedAt, Instant startedAt, Instant completedAt) {

        /** The time from start to completion, when both are known. */
        public java.util.Optional<Duration> duration() {
            return startedAt == null || completedAt == null
                    ? java.util.Optional.empty()
                    : java.util.Optional.of(Duration.between(startedAt, completedAt));
        }
    }

    /** This call with its result recorded. */
    public ToolCall completed(ToolResult outcome, Timing finalTiming) {
        return new ToolCall(
                toolCallId, runId, tool, input, inputSchema, outputSchema, outcome, finalTiming, schemaVersion);
    }
}
