package ai.auraison.orchestration.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The orchestration metrics, {@code auraison.orchestration.*}. Tags are low-cardinality: outcomes, and agent ids
 * (a fleet is bounded), never run, intent or event ids.
 */
final class OrchestrationMetrics {

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> depths = new ConcurrentHashMap<>();

    OrchestrationMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void admitted(String outcome, Duration latency) {
        Timer.builder("auraison.orchestration.admission")
                .description("Intent admission latency")
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(registry)
                .record(latency);
    }

    void queueDepth(String agentId, long depth) {
        depths.computeIfAbsent(agentId, id -> {
                    AtomicLong value = new AtomicLong();
                    Gauge.builder("auraison.orchestration.queue.depth", value, AtomicLong::get)
                            .description("Queued plus leased work of an agent")
                            .tag("agent", id)
                            .register(registry);
                    return value;
                })
                .set(depth);
    }

    void leased(int n) {
        counter("auraison.orchestration.leases", "Work items leased").increment(n);
    }

    void leasesExpired(int n) {
        counter("auraison.orchestration.leases.expired", "Leases that expired without a heartbeat")
                .increment(n);
    }

    void retried(int n) {
        counter("auraison.orchestration.retries", "Work items put back for another attempt")
                .increment(n);
    }

    void deadLettered(int n) {
        counter("auraison.orchestration.dead.letters", "Work items that used up their attempts")
                .increment(n);
    }

    void expired(int n) {
        counter("auraison.orchestration.expired", "Work items whose deadline passed before they ran")
                .increment(n);
    }

    void events(String outcome, int n) {
        Counter.builder("auraison.orchestration.events")
                .description("Run events received")
                .tag("outcome", outcome)
                .register(registry)
                .increment(n);
    }

    void rejectedByBulkhead() {
        counter("auraison.orchestration.bulkhead.rejected", "Agent calls refused by the agent's bulkhead")
                .increment();
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }
}
