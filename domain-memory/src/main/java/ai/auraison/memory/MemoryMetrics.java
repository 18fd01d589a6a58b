package ai.auraison.memory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Memory's meters, all named {@code auraison.memory.*}, with no per-run or per-event tags. */
public final class MemoryMetrics {

    private final Counter events;
    private final Counter batches;
    private final Counter failures;
    private final Counter rebuilds;
    private final Timer batchDuration;
    private final Timer lag;
    private final Counter sqlRefused;
    private final AtomicInteger leader = new AtomicInteger();

    public MemoryMetrics(MeterRegistry registry) {
        events = Counter.builder("auraison.memory.events")
                .description("events projected")
                .register(registry);
        batches = Counter.builder("auraison.memory.batches")
                .description("batches committed with their checkpoint")
                .register(registry);
        failures = Counter.builder("auraison.memory.failures")
                .description("batches rolled back")
                .register(registry);
        rebuilds = Counter.builder("auraison.memory.rebuilds")
                .description("rebuilds committed")
                .register(registry);
        batchDuration = Timer.builder("auraison.memory.batch.duration")
                .description("reading, writing and committing one batch")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        lag = Timer.builder("auraison.memory.lag")
                .description("from the newest event of a batch happening to the batch being committed")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        sqlRefused = Counter.builder("auraison.memory.sql.refused")
                .description("operator SQL refused before execution")
                .register(registry);
        registry.gauge("auraison.memory.leader", leader);
    }

    /** Meters that go nowhere, for tools and tests. */
    public static MemoryMetrics none() {
        return new MemoryMetrics(new SimpleMeterRegistry());
    }

    void batch(int eventCount, Duration took, Duration lagOfNewest) {
        events.increment(eventCount);
        batches.increment();
        batchDuration.record(took);
        lag.record(lagOfNewest.isNegative() ? Duration.ZERO : lagOfNewest);
    }

    void failure() {
        failures.increment();
    }

    void rebuilt() {
        rebuilds.increment();
    }

    void leader(boolean isLeader) {
        leader.set(isLeader ? 1 : 0);
    }

    void sqlRefused() {
        sqlRefused.increment();
    }
}
