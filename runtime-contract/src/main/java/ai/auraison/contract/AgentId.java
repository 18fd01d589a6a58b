package ai.auraison.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/** Identifies a registered agent, for example {@code turtlebot-maze.edge-1}. Serialised as a plain string matching {@value #PATTERN}. */
public record AgentId(String value) implements Comparable<AgentId> {

    /** The allowed form. */
    public static final String PATTERN = "^[a-z0-9][a-z0-9._-]{0,127}$";

    private static final Pattern COMPILED = Pattern.compile(PATTERN);

    public AgentId {
        if (value == null || !COMPILED.matcher(value).matches()) {
            throw new IllegalArgumentException("AgentId must match " + PATTERN + ": " + value);
        }
    }

    @JsonCreator
    public static AgentId of(String value) {
        return new AgentId(value);
    }

    @JsonValue
    @Override
    public String toString() {
        return value;
    }

    @Override
    public int compareTo(AgentId other) {
        return value.compareTo(other.value);
    }
}
