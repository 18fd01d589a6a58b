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
 * Wake-ups for waiters on new work (per agent) and new run events (per run), across replicas: writers call
 * {@code pg_notify} inside their transaction (delivered at commit) and signal local waiters after commit; one
 * listener connection per replica turns notifications from other replicas into local signals. Waiters never hold a
 * database connection while they wait.
 */
final class Signals implements AutoCloseable {

    static final String WORK = "auraison_work";
    static final String RUNS = "auraison_runs";

    private static final Logger log = LoggerFactory.getLogger(Signals.class);

    private final DataSource dataSource;
    private final ConcurrentHashMap<String, Gate> gates = new ConcurrentHashMap<>();
    private final Thread listener;
    private volatile boolean closed;

    Signals(DataSource dataSource) {
        this.dataSource = dataSource;
        this.listener =
                Thread.ofPlatform().daemon().name("orchestration-listen").start(this::listen);
    }

    /** Queues a notification on {@code channel} inside the caller's transaction. */
    static void notifyInTransaction(JdbcClient jdbc, String channel, String key) {
        jdbc.sql("SELECT pg_notify(?, ?)").params(channel, key).query().singleValue();
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
