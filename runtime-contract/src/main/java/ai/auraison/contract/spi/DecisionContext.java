package ai.auraison.contract.spi;

import ai.auraison.contract.AgentId;
import ai.auraison.contract.RunId;
import ai.auraison.contract.TenantId;
import java.time.Instant;
import java.util.Map;

/**
 * What a {@link PolicyHook} knows besides the subject: who asks ({@code tenant}, {@code principal}), for which
 * application and agent, in which run (absent at admission), when, and free attributes (for example the caller's
 * roles). {@code degraded} is set when the decision is taken without the central runtime.
 */
public record DecisionContext(
        TenantId tenant,
        String principal,
        String application,
        AgentId agent,
        RunId runId,
        Instant now,
        boolean degraded,
        Map<String, String> attributes) {

    public DecisionContext {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        now = now == null ? Instant.now() : now;
    }
}
