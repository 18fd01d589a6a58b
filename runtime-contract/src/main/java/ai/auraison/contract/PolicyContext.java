package ai.auraison.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Who asks for an {@link Intent} and on whose account: the tenant, the principal, the purpose and the budget it
 * is charged to. Governance decides on these values; the runtime never invents them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicyContext(
        @NotNull TenantId tenant,

        @NotNull @Pattern(regexp = "^[A-Za-z0-9][A-Za-z0-9._@:-]{0,127}$")
        String principal,

        @Size(max = 512) String purpose,

        @Pattern(regexp = "^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$")
        String budgetRef) {

    public PolicyContext {
        if (tenant == null) throw new IllegalArgumentException("policyCtx.tenant is required");
        if (principal == null) throw new IllegalArgumentException("policyCtx.principal is required");
    }
}
