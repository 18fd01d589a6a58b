package ai.auraison.zenoh;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers the replies of one get (or liveliness get): applies consolidation, counts the finals it still waits for
 * (the router's and each local queryable's) and ends the get once, on the last final or on timeout.
 */
final class GetCollector {

    private static final Logger LOG = LoggerFactory.getLogger("ai.auraison.zenoh.session");

    private final ConsolidationMode mode;
    private final Consumer<Reply> sink;
    private final Runnable onClose;
    private final Runnable onDone;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Reply.Success> latest = new LinkedHashMap<>();
    private final Map<String, Timestamp> delivered = new LinkedHashMap<>();
    private int pendingFinals;
    private boolean done;
    private ScheduledFuture<?> timeout;

    GetCollector(ConsolidationMode mode, Consumer<Reply> sink, Runnable onClose, Runnable onDone, int pendingFinals) {
        this.mode = mode == ConsolidationMode.AUTO ? ConsolidationMode.LATEST : mode;
        this.sink = sink;
        this.onClose = onClose;
        this.onDone = onDone;
        this.pendingFinals = pendingFinals;
    }

    void timeout(ScheduledFuture<?> timeout) {
        lock.lock();
        try {
            if (done) timeout.cancel(false);
            else this.timeout = timeout;
        } finally {
            lock.unlock();
        }
    }

    void expectMoreFinals(int count) {
        lock.lock();
        try {
            pendingFinals += count;
        } finally {
            lock.unlock();
        }
    }

    void add(Reply reply) {
        lock.lock();
        try {
            if (done) return;
            if (!(reply instanceof Reply.Success success)) {
                deliver(reply);
                return;
            }
            String key = success.sample().keyExpr().toString();
            Timestamp stamp = success.sample().timestamp();
            switch (mode) {
                case NONE -> deliver(reply);
                case MONOTONIC -> {
                    Timestamp previous = delivered.get(key);
                    if (previous == null || stamp == null || stamp.compareTo(previous) > 0) {
                        if (stamp != null) delivered.put(key, stamp);
                        deliver(reply);
                    }
                }
                default -> {
                    Reply.Success previous = latest.get(key);
                    Timestamp before =
                            previous == null ? null : previous.sample().timestamp();
                    if (previous == null || stamp == null || before == null || stamp.compareTo(before) >= 0) {
                        latest.put(key, success);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** One of the expected finals arrived; ends the get when it was the last. */
    void finalReceived() {
        lock.lock();
        try {
            if (--pendingFinals <= 0) finish();
        } finally {
            lock.unlock();
        }
    }

    /** Ends the get now (timeout, lost link, closed session); idempotent. */
    void finish() {
        lock.lock();
        try {
            if (done) return;
            done = true;
            if (timeout != null) timeout.cancel(false);
            for (Reply.Success reply : latest.values()) deliver(reply);
            latest.clear();
            try {
                onClose.run();
            } catch (RuntimeException e) {
                LOG.error("a reply handler failed to close", e);
            }
        } finally {
            lock.unlock();
        }
        onDone.run();
    }

    private void deliver(Reply reply) {
        try {
            sink.accept(reply);
        } catch (RuntimeException e) {
            LOG.error("a reply handler failed", e);
        }
    }
}
