package ai.auraison.orchestration.internal;

import ai.auraison.platform.ProblemException;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.springframework.http.HttpStatus;

/**
 * One bulkhead per agent around its API calls (polls, heartbeats, acks, events): an agent that floods the central
 * runtime or hangs in long polls fills only its own compartment and gets 429s, while admission and every other agent
 * keep their capacity (SYS-002).
 */
final class AgentBulkheads {

    private final BulkheadRegistry registry;
    private final OrchestrationMetrics metrics;

    AgentBulkheads(int concurrentCalls, OrchestrationMetrics metrics) {
        this.registry = BulkheadRegistry.of(BulkheadConfig.custom()
                .maxConcurrentCalls(concurrentCalls)
                .maxWaitDuration(Duration.ZERO)
                .build());
        this.metrics = metrics;
    }

    <T> T call(String agentId, Callable<T> work) throws Exception {
        Bulkhead bulkhead = registry.bulkhead(agentId);
        try {
            return bulkhead.executeCallable(work);
        } catch (BulkheadFullException e) {
            metrics.rejectedByBulkhead();
            throw new ProblemException(
                            HttpStatus.TOO_MANY_REQUESTS,
                            "agent-busy",
                            "Agent busy",
                            "agent " + agentId + " already has "
                                    + bulkhead.getBulkheadConfig().getMaxConcurrentCalls()
                                    + " calls in flight; retry when one finished")
                    .withHeader("Retry-After", "1");
        }
    }
}
