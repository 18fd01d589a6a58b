package ai.auraison.platform;

import ai.auraison.contract.ContractType;
import ai.auraison.contract.Violation;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A request body that breaks its contract schema: a 400 problem of type {@code contract-violation} whose
 * {@code errors} member lists every violation as {@code {pointer, message}}.
 */
public class ContractViolationException extends ProblemException {

    private static final long serialVersionUID = 1L;

    private final transient List<Violation> violations;

    public ContractViolationException(ContractType type, List<Violation> violations) {
        super(
                HttpStatus.BAD_REQUEST,
                "contract-violation",
                "Request violates the " + type.slug() + " schema",
                summary(type, violations));
        this.violations = List.copyOf(violations);
        with("schema", type.schemaId());
        with(
                "errors",
                violations.stream()
                        .map(v -> Map.of("pointer", v.pointer(), "message", v.message()))
                        .toList());
    }

    public List<Violation> violations() {
        return violations;
    }

    private static String summary(ContractType type, List<Violation> violations) {
        Violation first = violations.getFirst();
        String where = first.pointer().isEmpty() ? "the document" : first.pointer();
        return violations.size() == 1
                ? "the " + type.slug() + " is invalid at " + where + ": " + first.message()
                : "the " + type.slug() + " has " + violations.size() + " violations; the first at " + where + ": "
                        + first.message();
    }
}
