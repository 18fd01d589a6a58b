package ai.auraison.governance.policy;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

/**
 * The conditions of a rule; each list is "any of" (values may use {@code *} as a wildcard), and every condition that
 * is present must hold. A condition on a field the subject does not have (a tool on an intent) never holds; the
 * parser refuses such rules.
 *
 * @param tenants the subject's tenant
 * @param principals the principal asking
 * @param applications the application of the target agent
 * @param agents the agent id
 * @param intentTypes the intent type (intents only)
 * @param tools the tool name (tool calls only)
 * @param models the model asked for (model calls only)
 * @param input conditions on the intent's params or the tool call's input, by JSON pointer
 * @param estimatedCostUsd a range of the model call's estimated cost (model calls only)
 * @param timeWindow when the subject is decided
 */
public record Conditions(
        List<String> tenants,
        List<String> principals,
        List<String> applications,
        List<String> agents,
        List<String> intentTypes,
        List<String> tools,
        List<String> models,
        List<InputCondition> input,
        CostRange estimatedCostUsd,
        TimeWindow timeWindow) {

    /** No conditions: every subject of the rule's kinds matches. */
    public static final Conditions NONE = new Conditions(null, null, null, null, null, null, null, null, null, null);

    public Conditions {
        tenants = copy(tenants);
        principals = copy(principals);
        applications = copy(applications);
        agents = copy(agents);
        intentTypes = copy(intentTypes);
        tools = copy(tools);
        models = copy(models);
        input = input == null ? List.of() : List.copyOf(input);
    }

    private static List<String> copy(List<String> values) {
        return values == null ? List.of() : List.copyOf(values);
    }

    /** How a value found at a JSON pointer is compared. */
    public enum Operator {
        EQUALS,
        NOT_EQUALS,
        IN,
        MATCHES,
        GREATER_THAN,
        LESS_THAN,
        EXISTS
    }

    /**
     * A condition on the value at {@code pointer} (RFC 6901) in the intent's params or the tool call's input.
     * {@code value} is a string, number, boolean, a list (for {@code IN}) or a regular expression (for {@code MATCHES});
     * {@code EXISTS} takes {@code true} or {@code false}.
     */
    public record InputCondition(String pointer, Operator operator, Object value) {}

    /** Estimated cost strictly above {@code above} and at most {@code atMost}; either may be absent. */
    public record CostRange(BigDecimal above, BigDecimal atMost) {}

    /**
     * Days and a time of day in {@code zone}; {@code from} is inclusive, {@code to} exclusive, and a window whose
     * {@code to} is before its {@code from} spans midnight. Absent days mean every day; absent times the whole day.
     */
    public record TimeWindow(Set<DayOfWeek> days, LocalTime from, LocalTime to, ZoneId zone) {
        public TimeWindow {
            days = days == null || days.isEmpty() ? Set.of(DayOfWeek.values()) : Set.copyOf(days);
            zone = zone == null ? ZoneId.of("UTC") : zone;
        }
    }
}
