package ai.auraison.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/** Identifies one tool call inside a run; harness-assigned (Pi uses {@code call_…}). Serialised as a plain string matching {@value #PATTERN}. */
public record ToolCallId(String value) implements Comparable<ToolCallId> {

    /** The allowed form. */
    public static final String PATTERN = "^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$";

    private static final Pattern COMPILED = Pattern.compile(PATTERN);

    public ToolCallId {
        if (value == null || !COMPILED.matcher(value).matches()) {
            throw new IllegalArgumentException("ToolCallId must match " + PATTERN + ": " + value);
        }
    }

    @JsonCreator
    public static ToolCallId of(String value) {
        return new ToolCallId(value);
    }

    @JsonValue
    @Override
    public String toString() {
        return value;
    }

    @Override
    public int compareTo(ToolCallId other) {
        return value.compareTo(other.value);
    }
}
