package ai.auraison.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A request for work: run an intent {@code type} with {@code params} on one of the {@code targets}, on behalf of
 * {@code policyCtx}, before {@code deadline}.
 *
 * <p>Idempotency: {@code intentId} is the key. Submitting the same intent again yields the original answer;
 * submitting another intent under the same id is a conflict.
 *
 * @param type the intent type, {@code <application-or-skill>.<verb>}, offered by a skill of the target
 * @param params free-form JSON object interpreted by the skill
 * @param priority 0 (lowest) to 9 (highest); 4 when absent
 * @param deadline the instant after which the work must not start; absent for none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Intent(
        @NotNull IntentId intentId,
        @NotNull @Pattern(regexp = TYPE_PATTERN) String type,
        @NotNull Map<String, Object> params,
        @NotNull PolicyContext policyCtx,
        @NotNull @Size(min = 1, max = 16) List<Target> targets,
        @Min(0) @Max(9) Integer priority,
        Instant deadline,

        @NotNull @Pattern(regexp = SchemaVersions.ACCEPTED_PATTERN)
        String schemaVersion) {

    /** Intent types look like {@code maze.solve} or {@code evidence.answer-question}. */
    public static final String TYPE_PATTERN = "^[a-z][a-z0-9-]{0,62}(\\.[a-z][a-z0-9-]{0,62}){1,3}$";

    /** The priority used when an intent names none. */
    public static final int DEFAULT_PRIORITY = 4;

    public Intent {
        if (intentId == null) throw new IllegalArgumentException("intentId is required");
        if (type == null) throw new IllegalArgumentException("type is required");
        if (policyCtx == null) throw new IllegalArgumentException("policyCtx is required");
        if (targets == null || targets.isEmpty()) throw new IllegalArgumentException("targets must not be empty");
        params = params == null ? Map.of() : params;
        targets = List.copyOf(targets);
        schemaVersion = schemaVersion == null ? SchemaVersions.CURRENT : schemaVersion;
    }

    /** The priority, defaulted. */
    public int effectivePriority() {
        return priority == null ? DEFAULT_PRIORITY : priority;
    }
}
