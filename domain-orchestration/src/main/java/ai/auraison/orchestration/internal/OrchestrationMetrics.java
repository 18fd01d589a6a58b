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
    private final Map<String, Timer> admissions = new ConcurrentHashMap<>();
    private final Map<String, Counter> events = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    OrchestrationMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void admitted(String outcome, Duration latency) {
        // one timer per outcome, built once: this is on every admission's path
        admissions
                .computeIfAbsent(
                        outcome,
                        o -> Timer.builder("auraison.orchestration.admission")
                                .description("Intent admission latency")
                                .tag("outcome", o)
                                .publishPercentileHistogram()
                                .register(registry))
                .record(latency);
    }

    /** The depths just read; agents whose queues emptied (absent here) go back to 0. */
    void queueDepths(Map<String, Long> byAgent) {
        byAgent.forEach(this::queueDepth);
        depths.forEach((agent, value) -> {
            if (!byAgent.containsKey(agent)) value.set(0);
        });
    }

    private void queueDepth(String agentId, long depth) {
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
        events.computeIfAbsent(
                        outcome,
                        o -> Counter.builder("auraison.orchestration.events")
                                .description("Run events received")
                                .tag("outcome", o)
                                .register(registry))
                .increment(n);
    }

    void rejectedByBulkhead() {
        counter("auraison.orchestration.bulkhead.rejected", "Agent calls refused by the agent's bulkhead")
                .increment();
    }

    /** The counter {@code name}, registered once (some are on every work poll's path). */
    private Counter counter(String name, String description) {
        return counters.computeIfAbsent(
                name, n -> Counter.builder(n).description(description).register(registry));
    }
}
