package ai.auraison.governance.policy;

/**
 * A policy document that cannot be used: names the {@code rule} (its id, or {@code #<index>} when it has none;
 * {@code null} for a set-level problem) and the {@code field} (a path such as {@code rules[2].when.input[0].pointer}).
 */
public final class InvalidPolicyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String rule;
    private final String field;

    public InvalidPolicyException(String rule, String field, String message) {
        super((rule == null ? "" : "rule " + rule + ": ") + field + ": " + message);
        this.rule = rule;
        this.field = field;
    }

    /** The rule's id, {@code #<index>}, or null for the set itself. */
    public String rule() {
        return rule;
    }

    /** The path of the offending field. */
    public String field() {
        return field;
    }
}
