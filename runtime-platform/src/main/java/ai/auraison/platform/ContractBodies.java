package ai.auraison.platform;

import ai.auraison.contract.ContractJson;
import ai.auraison.contract.ContractType;
import ai.auraison.contract.ContractValidator;
import ai.auraison.contract.Violation;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads request bodies that carry contract types: validates them against the committed schema first (so every
 * violation is reported with its JSON pointer), then converts. Controllers take the body as a {@link JsonNode} and
 * call {@link #read}.
 */
public final class ContractBodies {

    private ContractBodies() {}

    /** The body as a {@code javaType}, or a {@link ContractViolationException} naming every offending field. */
    public static <T> T read(ContractType type, JsonNode body, Class<T> javaType) {
        List<Violation> violations = ContractValidator.get().validate(type, body);
        if (!violations.isEmpty()) {
            throw new ContractViolationException(type, violations);
        }
        try {
            return ContractJson.convert(body, javaType);
        } catch (JacksonException e) {
            // the schema let through something the record constructor refuses: report it like a violation
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ContractViolationException(type, List.of(new Violation(pointerOf(e), cause.getMessage())));
        }
    }

    /**
     * Every element of the array {@code items} as a {@code javaType}, or one {@link ContractViolationException} naming
     * every offending field of every element, each pointer under {@code pointer/<index>}.
     */
    public static <T> List<T> readAll(ContractType type, JsonNode items, Class<T> javaType, String pointer) {
        List<Violation> violations = new java.util.ArrayList<>();
        List<T> out = new java.util.ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            String at = pointer + "/" + i;
            try {
                out.add(read(type, items.get(i), javaType));
            } catch (ContractViolationException e) {
                for (Violation v : e.violations()) violations.add(new Violation(at + v.pointer(), v.message()));
            }
        }
        if (!violations.isEmpty()) throw new ContractViolationException(type, violations);
        return out;
    }

    private static String pointerOf(JacksonException e) {
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            sb.append('/')
                    .append(ref.getPropertyName() != null ? ref.getPropertyName() : String.valueOf(ref.getIndex()));
        }
        return sb.toString();
    }
}
