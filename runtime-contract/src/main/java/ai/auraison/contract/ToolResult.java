package ai.auraison.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import jakarta.validation.constraints.NotNull;
import java.util.Map;

/**
 * The outcome of a {@link ToolCall}: an output that matched the tool's output schema, or an error. A tool that
 * fails, times out or throws produces an {@link Error}; it never fails the run by itself.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "outcome")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ToolResult.Output.class, name = "output"),
    @JsonSubTypes.Type(value = ToolResult.Error.class, name = "error")
})
public sealed interface ToolResult {

    /** The tool ran and returned {@code value}. */
    record Output(@NotNull Map<String, Object> value) implements ToolResult {
        public Output {
            value = value == null ? Map.of() : value;
        }
    }

    /** The tool did not produce an output; {@code failure} says why. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Error(@NotNull Failure failure) implements ToolResult {
        public Error {
            if (failure == null) throw new IllegalArgumentException("failure is required");
        }
    }
}
