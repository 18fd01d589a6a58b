package ai.auraison.orchestration.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Wake-ups for waiters on new work (per agent) and new run events (per run), across replicas. Writers call
 * {@link #publish} after their transaction committed: local waiters wake at once, and the key is sent to the other
 * replicas with {@code pg_notify} by a flusher that batches keys every few milliseconds. (A {@code NOTIFY} inside the
 * writing transaction would take PostgreSQL's global notify lock at commit and serialise every admission.) One
 * listener connection per replica turns notifications into local signals. Waiters never hold a database connection
 * while they wait, and re-check on their own at least every second, so a lost notification only delays a wake-up.
 */
final class Signals implements AutoCloseable {

    static final String WORK = "auraison_work";
    static final String RUNS = "auraison_runs";

    private static final Logger log = LoggerFactory.getLogger(Signals.class);

    private final DataSource dataSource;
    private final ConcurrentHashMap<String, Gate> gates = new ConcurrentHashMap<>();
    private final java.util.Set<String> pending = ConcurrentHashMap.newKeySet();
    private final Thread listener;
    private final java.util.concurrent.ScheduledExecutorService flusher;
    private volatile boolean closed;

    Signals(DataSource dataSource) {
        this.dataSource = dataSource;
        this.listener =
                Thread.ofPlatform().daemon().name("orchestration-listen").start(this::listen);
        this.flusher = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("orchestration-notify").factory());
        flusher.scheduleWithFixedDelay(this::flush, 10, 10, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /**
     * Announces {@code channel/key} once the caller's transaction commits (at once when there is none): wakes local
     * waiters and queues the key for the other replicas.
     */
    void publish(String channel, String key) {
        Runnable action = () -> {
            signal(channel, key);
            pending.add(channel + "\u0000" + key);
        };
        if (org.springframework.transaction.support.TransactionSynchronizationManager.isSynchronizationActive()) {
            org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                    new org.springframework.transaction.support.TransactionSynchronization() {
                        @Override
                        public void afterCommit() {
                            action.run();
                        }
                    });
        } else {
            action.run();
        }
    }

    private void flush() {
        if (pending.isEmpty()) return;
        java.util.List<String> channels = new java.util.ArrayList<>();
        java.util.List<String> keys = new java.util.ArrayList<>();
        for (var it = pending.iterator(); it.hasNext(); ) {
            String entry = it.next();
            it.remove();
            int cut = entry.indexOf('\u0000');
            channels.add(entry.substring(0, cut));
            keys.add(entry.substring(cut + 1));
        }
        try {
            JdbcClient.create(dataSource)
                    .sql("SELECT count(pg_notify(c, k)) FROM unnest(?::text[], ?::text[]) AS t(c, k)")
                    .params(channels.toArray(String[]::new), keys.toArray(String[]::new))
                    .query()
                    .singleValue();
        } catch (RuntimeException e) {
            log.debug("could not notify other replicas ({}); they re-check on their own", e.getMessage());
        }
    }

    /** The current version of {@code channel/key}; pass it to {@link #await} to wait for anything newer. */
    long version(String channel, String key) {
        return gate(channel + "/" + key).version();
    }

    /** Wakes local waiters on {@code channel/key}. */
    void signal(String channel, String key) {
        Gate g = gates.get(channel + "/" + key);
        if (g != null) g.signal();
    }

    /**
     * Waits until {@code channel/key} is signalled after {@code seenVersion}, or {@code timeout} passes; returns
     * whether it was signalled. Callers read the version, check the database, then wait, so no signal is lost.
     */
    boolean await(String channel, String key, long seenVersion, Duration timeout) throws InterruptedException {
        return gate(channel + "/" + key).await(seenVersion, timeout);
    }

    /** Drops gates nobody waited on or looked at for {@code idle}. */
    void prune(Duration idle) {
        long cutoff = System.nanoTime() - idle.toNanos();
        gates.values().removeIf(g -> g.idleSince(cutoff));
    }

    private Gate gate(String name) {
        return gates.computeIfAbsent(name, k -> new Gate());
    }

    private void listen() {
        long backoffMs = 200;
        while (!closed) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + WORK);
                    st.execute("LISTEN " + RUNS);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                backoffMs = 200;
                while (!closed) {
                    PGNotification[] notifications = pg.getNotifications(1000);
                    if (notifications == null) continue;
                    for (PGNotification n : notifications) signal(n.getName(), n.getParameter());
                }
            } catch (SQLException e) {
                if (closed) return;
                log.warn(
                        "notification listener lost its connection ({}); retrying in {} ms", e.getMessage(), backoffMs);
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    return;
                }
                backoffMs = Math.min(backoffMs * 2, 5000);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        flusher.shutdownNow();
        listener.interrupt();
    }

    /** A version counter that waiters block on. */
    private static final class Gate {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private long version;
        private int waiters;
        private volatile long touched = System.nanoTime();

        long version() {
            lock.lock();
            try {
                touched = System.nanoTime();
                return version;
            } finally {
                lock.unlock();
            }
        }

        void signal() {
            lock.lock();
            try {
                version++;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        boolean await(long seen, Duration timeout) throws InterruptedException {
            long nanos = timeout.toNanos();
            lock.lock();
            try {
                waiters++;
                touched = System.nanoTime();
                while (version == seen) {
                    if (nanos <= 0) return false;
                    nanos = changed.awaitNanos(nanos);
                }
                return true;
            } finally {
                waiters--;
                touched = System.nanoTime();
                lock.unlock();
            }
        }

        boolean idleSince(long cutoffNanos) {
            lock.lock();
            try {
                return waiters == 0 && touched - cutoffNanos < 0;
            } finally {
                lock.unlock();
            }
        }
    }
}
