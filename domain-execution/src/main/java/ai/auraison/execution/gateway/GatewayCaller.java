package ai.auraison.execution.gateway;

import ai.auraison.contract.RunId;
import ai.auraison.contract.TenantId;
import java.util.Objects;

/**
 * Who makes a model call: the tenant it is billed and limited to, the key it presented ({@code anonymous} when
 * none), and the run it serves when the caller sent {@code x-auraison-run-id}.
 */
public record GatewayCaller(TenantId tenant, String keyId, RunId runId) {

    /** The tenant of callers without a known key when keys are not required. */
    public static final TenantId DEFAULT_TENANT = TenantId.of("default");

    public GatewayCaller {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(keyId, "keyId");
    }
}
