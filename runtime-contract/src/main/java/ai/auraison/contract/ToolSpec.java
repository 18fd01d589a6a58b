package ai.auraison.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

/**
 * A tool a {@link Skill} grants: its name, what it does, and the JSON Schemas (draft 2020-12) of its input and
 * output. Tool input is validated against {@code inputSchema} before the tool runs.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ToolSpec(
        @NotNull @Pattern(regexp = "^[a-z][a-z0-9_]{0,63}$") String name,
        @NotNull @Size(min = 1, max = 1024) String description,
        @NotNull Map<String, Object> inputSchema,
        Map<String, Object> outputSchema) {

    public ToolSpec {
        if (name == null) throw new IllegalArgumentException("tool name is required");
        if (inputSchema == null) throw new IllegalArgumentException("tool inputSchema is required");
    }
}
