package ai.auraison.contract;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Why something failed: a stable machine-readable {@code code} (for example {@code harness.crashed},
 * {@code budget.exceeded}, {@code lease.lost}) and a human-readable {@code message}.
 */
public record Failure(
        @NotNull @Pattern(regexp = "^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$")
        String code,

        @NotNull @Size(max = 4096) String message) {

    public Failure {
        if (code == null) throw new IllegalArgumentException("failure code is required");
        message = message == null ? "" : message;
    }
}
