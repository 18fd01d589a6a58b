package ai.auraison.edge.internal;

import ai.auraison.edge.internal.link.CentralLink;
import ai.auraison.edge.internal.pi.PiRpcAgentHarness;
import ai.auraison.edge.internal.policy.EdgePolicy;
import ai.auraison.edge.internal.store.EdgeStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * The edge's health: {@code DEGRADED} while the central runtime is unreachable (the edge keeps running local intents
 * and buffers events; HTTP 200), {@code DOWN} when its agents cannot run (Pi not installed, no model configured).
 */
@Component("edge")
class EdgeHealth implements HealthIndicator {

    static final Status DEGRADED =
            new Status("DEGRADED", "the central runtime is unreachable; working on the edge alone");

    private final PiRpcAgentHarness harness;
    private final ObjectProvider<CentralLink> link;
    private final EdgeStore store;
    private final ObjectProvider<EdgePolicy> policy;

    EdgeHealth(
            PiRpcAgentHarness harness,
            ObjectProvider<CentralLink> link,
            EdgeStore store,
            ObjectProvider<EdgePolicy> policy) {
        this.policy = policy;
        this.harness = harness;
        this.link = link;
        this.store = store;
    }

    @Override
    public Health health() {
        Health.Builder health;
        CentralLink l = link.getIfAvailable();
        if (!harness.started() && !harness.modelConfigured()) {
            // a bare edge is healthy; it only has nothing to run its agents with
            health = Health.up()
                    .withDetail(
                            "agents",
                            "not running: no model is configured (set auraison.edge.model.base-url, or "
                                    + "auraison.edge.demo-model.enabled=true for the offline demo model)");
        } else if (!harness.started()) {
            health = Health.down()
                    .withDetail(
                            "agents",
                            "not running: Pi is not installed (build edge-agent, or set auraison.edge.pi.home)");
        } else if (l != null && !l.status().reachable()) {
            health = Health.status(DEGRADED)
                    .withDetail("central", l.centralUrl().toString())
                    .withDetail("unreachableSince", l.status().since().toString())
                    .withDetail("lastError", String.valueOf(l.status().lastError()));
        } else {
            health = Health.up();
            if (l != null) health.withDetail("central", l.centralUrl().toString());
            else health.withDetail("central", "none configured (standalone)");
        }
        health.withDetail("outbox", store.outboxCounts());
        EdgePolicy p = policy.getIfAvailable();
        health.withDetail("policy", p == null ? "none: decided by central (no edge key) or standalone" : p.status());
        harness.agents()
                .forEach(a -> health.withDetail("agent." + a.agentId().value(), harness.poolStatus(a.agentId())));
        return health.build();
    }
}
