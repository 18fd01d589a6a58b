package ai.auraison.orchestration.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic housekeeping of one replica: expired leases back to the queue, passed deadlines expired, the agent
 * snapshot and the queue depths refreshed, old finished work purged. Every replica runs it; each step is a
 * conditional update under {@code SKIP LOCKED}, so replicas never do the same transition twice. A failing step
 * (PostgreSQL away) is logged and retried at the next tick; running work is not affected.
 */
final class Reaper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Reaper.class);
    private static final Duration PURGE_AFTER = Duration.ofDays(1);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("orchestration-reaper").factory());

    Reaper(
            WorkQueue queue,
            AgentRegistry agents,
            Backpressure backpressure,
            Signals signals,
            Duration interval,
            Duration depthRefresh) {
        scheduler.scheduleWithFixedDelay(
                () -> step("leases", queue::expireLeases),
                interval.toMillis(),
                interval.toMillis(),
                TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(
                () -> step("deadlines", queue::expireDeadlines),
                interval.toMillis(),
                interval.toMillis(),
                TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(
                () -> step("agents", () -> {
                    agents.refresh();
                    signals.prune(Duration.ofMinutes(1));
                }),
                interval.toMillis(),
                interval.toMillis(),
                TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(
                () -> step("depths", backpressure::refresh), 0, depthRefresh.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(
                () -> step("purge", () -> queue.purgeFinished(PURGE_AFTER)), 1, 60, TimeUnit.MINUTES);
    }

    private static void step(String name, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            log.warn("orchestration housekeeping step '{}' failed: {}", name, e.getMessage());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
