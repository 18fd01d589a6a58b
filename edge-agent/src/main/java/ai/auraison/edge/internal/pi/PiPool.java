package ai.auraison.edge.internal.pi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A warm pool of Pi processes for one agent: {@code size} processes started ahead of need and handshaken, handed out
 * one run at a time, and replaced when one crashes, hangs or is killed. A process that fails its handshake is
 * discarded and retried with backoff.
 */
final class PiPool implements AutoCloseable {

    /** Starts and handshakes one process of the pool (slot {@code index}). */
    @FunctionalInterface
    interface Starter {
        PiSlot start(int index) throws Exception;
    }

    private static final Logger log = LoggerFactory.getLogger(PiPool.class);

    private final String agentId;
    private final int size;
    private final Starter starter;
    private final BlockingQueue<PiSlot> idle = new LinkedBlockingQueue<>();
    private final List<PiSlot> all = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicLong restarts = new AtomicLong();
    private volatile boolean closed;

    PiPool(String agentId, int size, Starter starter) {
        this.agentId = agentId;
        this.size = size;
        this.starter = starter;
        for (int i = 0; i < size; i++) {
            int index = i;
            Thread.ofVirtual().name("pi-warm-" + agentId + "-" + i).start(() -> warm(index, false));
        }
    }

    String agentId() {
        return agentId;
    }

    int size() {
        return size;
    }

    /** Processes started and idle. */
    int warm() {
        return idle.size();
    }

    int busy() {
        return busy.get();
    }

    long restarts() {
        return restarts.get();
    }

    /** Resident memory of each live process, in bytes. */
    List<Long> residentBytes() {
        List<Long> out = new ArrayList<>();
        for (PiSlot s : all) if (s.process().isAlive()) out.add(s.process().residentBytes());
        return out;
    }

    /** Process ids of the live processes. */
    List<Long> pids() {
        List<Long> out = new ArrayList<>();
        for (PiSlot s : all) if (s.process().isAlive()) out.add(s.process().pid());
        return out;
    }

    /** A warm process, waiting up to {@code wait}; null when none became free in time. */
    PiSlot acquire(Duration wait) throws InterruptedException {
        PiSlot slot = idle.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (slot == null) return null;
        if (!slot.process().isAlive()) {
            replace(slot);
            return acquire(Duration.ofMillis(Math.max(0, wait.toMillis() / 2)));
        }
        busy.incrementAndGet();
        return slot;
    }

    /** Gives a process back after a run; an unhealthy one is killed and replaced. */
    void release(PiSlot slot, boolean healthy) {
        busy.decrementAndGet();
        slot.unbind();
        if (healthy && slot.process().isAlive() && !closed) {
            idle.add(slot);
        } else {
            replace(slot);
        }
    }

    private void replace(PiSlot slot) {
        all.remove(slot);
        slot.process().kill();
        if (closed) return;
        restarts.incrementAndGet();
        Thread.ofVirtual().name("pi-replace-" + agentId + "-" + slot.index()).start(() -> warm(slot.index(), true));
    }

    private void warm(int index, boolean replacement) {
        long backoff = 500;
        while (!closed) {
            try {
                PiSlot slot = starter.start(index);
                if (closed) {
                    slot.process().close();
                    return;
                }
                all.add(slot);
                idle.add(slot);
                slot.process().exit().thenRun(() -> {
                    if (idle.remove(slot)) replace(slot);
                });
                if (replacement)
                    log.info(
                            "pi pool {}: slot {} replaced (pid {})",
                            agentId,
                            index,
                            slot.process().pid());
                return;
            } catch (Exception e) {
                log.warn(
                        "pi pool {}: could not start slot {} ({}); retrying in {} ms",
                        agentId,
                        index,
                        e.getMessage(),
                        backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = Math.min(backoff * 2, 30_000);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (PiSlot s : all) s.process().close();
        idle.clear();
    }
}
