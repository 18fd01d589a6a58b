package ai.auraison.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.Pattern;

/**
 * Where an {@link Intent} should run: one agent by id, or any agent of an application (optionally on one edge node).
 * Exactly one of {@code agent} and {@code application} is set.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Target(
        AgentId agent,
        @Pattern(regexp = Skill.NAME_PATTERN) String application,
        @Pattern(regexp = "^[a-z0-9][a-z0-9._-]{0,62}$") String edgeNode) {

    public Target {
        if ((agent == null) == (application == null)) {
            throw new IllegalArgumentException("a target names exactly one of agent and application");
        }
    }

    /** A target that names one agent. */
    public static Target agent(AgentId agent) {
        return new Target(agent, null, null);
    }

    /** A target that selects any healthy agent of an application. */
    public static Target application(String application) {
        return new Target(null, application, null);
    }
}
