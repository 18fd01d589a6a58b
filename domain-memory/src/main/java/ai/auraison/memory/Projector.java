package ai.auraison.memory;

import ai.auraison.contract.Domain;
import ai.auraison.contract.EventId;
import ai.auraison.contract.Failure;
import ai.auraison.contract.ProjectionEvent;
import ai.auraison.contract.SchemaVersions;
import ai.auraison.memory.internal.BatchProjection;
import ai.auraison.memory.internal.MemorySchema;
import ai.auraison.memory.spi.Checkpoint;
import ai.auraison.memory.spi.EventLogSource;
import ai.auraison.memory.spi.Leadership;
import ai.auraison.memory.spi.LoggedEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails an {@link EventLogSource} into a {@link MemoryStore} in batches. Each batch and the checkpoint after it
 * commit in one DuckDB transaction, so a crash at any point neither loses nor duplicates a row: after a restart the
 * projector resumes after the last committed checkpoint. Only the holder of the {@link Leadership} writes; a
 * projector that is not the leader waits and tries again, and takes over when the leader dies.
 *
 * <p>After each committed batch it emits one {@link ProjectionEvent.BatchProjected} per domain whose facts the batch
 * wrote (the log itself counts as memory's), and after a rebuild one {@link ProjectionEvent.ProjectionRebuilt}.
 *
 * <p>Threading: {@link #start()} runs the tailing loop on its own thread; {@link #projectBatch()}, {@link #catchUp()}
 * and {@link #rebuild()} may be called from any thread and are serialised.
 */
public final class Projector implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Projector.class);

    /**
     * The next page of the log, read while the current one is written. Safe to use later than it was read: the log
     * below the horizon never changes, so an early read is a prefix of a later one.
     */
    private record Prefetch(Checkpoint after, Future<List<LoggedEvent>> page) {}

    /** Where a batch is; for fault-injection tests that kill the process at a chosen point. */
    public enum Point {
        /** The batch's rows are written, the checkpoint not yet; nothing committed. */
        ROWS_WRITTEN,
        /** The checkpoint is written too; nothing committed. */
        CHECKPOINT_WRITTEN,
        /** The transaction committed; the projection events are not yet emitted. */
        COMMITTED
    }

    /** Called at each {@link Point} of every batch, with the batch's number in this process (from 1). */
    @FunctionalInterface
    public interface Probe {
        void at(Point point, long batch);

        /** Does nothing: the production probe. */
        Probe NONE = (point, batch) -> {};
    }

    /**
     * How the projector reads.
     *
     * @param batchSize the most events per batch while tailing
     * @param rebuildBatchSize the most events per read during a rebuild
     * @param idlePoll how long to wait before looking again when caught up (or when another process leads)
     * @param probe the fault-injection probe ({@link Probe#NONE} in production)
     */
    public record Options(int batchSize, int rebuildBatchSize, Duration idlePoll, Probe probe) {
        public Options {
            if (batchSize < 1 || rebuildBatchSize < 1) throw new IllegalArgumentException("batch sizes must be > 0");
            Objects.requireNonNull(idlePoll, "idlePoll");
            probe = probe == null ? Probe.NONE : probe;
        }
    }

    /** This process does not hold the projector's leadership. */
    public static final class NotLeaderException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public NotLeaderException() {
            super("another process holds the memory projector's leadership");
        }
    }

    private final MemoryStore store;
    private final EventLogSource source;
    private final Leadership leadership;
    private final Options options;
    private final MemoryMetrics metrics;
    private final Consumer<ProjectionEvent> sink;
    private final Clock clock;
    private final ReentrantLock writing = new ReentrantLock();
    private final ReentrantLock idle = new ReentrantLock();
    private final Condition woken = idle.newCondition();
    private final ExecutorService reader = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("memory-log-reader").daemon(true).factory());
    private Prefetch prefetch;
    private DuckDBConnection writer;
    private BatchProjection projection;
    private long batchNumber;
    private volatile boolean leader;
    private volatile boolean running;
    private volatile Thread thread;
    private volatile boolean wakeRequested;

    public Projector(
            MemoryStore store,
            EventLogSource source,
            Leadership leadership,
            Options options,
            MemoryMetrics metrics,
            Consumer<ProjectionEvent> sink) {
        this.store = store;
        this.source = source;
        this.leadership = leadership;
        this.options = options;
        this.metrics = metrics;
        this.sink = sink == null ? e -> {} : sink;
        this.clock = Clock.systemUTC();
    }

    /** The last committed checkpoint. */
    public Checkpoint checkpoint() {
        try (DuckDBConnection c = store.connect();
                Statement s = c.createStatement()) {
            return readCheckpoint(s);
        } catch (SQLException e) {
            throw new MemoryStore.MemoryStoreException("cannot read the checkpoint: " + e.getMessage(), e);
        }
    }

    /** Whether this process held the leadership at its last attempt. */
    public boolean isLeader() {
        return leader;
    }

    /**
     * Projects the next batch after the checkpoint and commits it with the checkpoint; returns the number of events
     * projected (0 when the log has nothing new). Throws {@link NotLeaderException} when another process leads.
     */
    public int projectBatch() {
        writing.lock();
        try {
            lead();
            return batch();
        } finally {
            writing.unlock();
        }
    }

    /** Projects batches until the log has nothing new; returns the number of events projected. */
    public long catchUp() {
        long total = 0;
        int n;
        do {
            n = projectBatch();
            total += n;
        } while (n > 0);
        return total;
    }

    /**
     * Recreates every table from the start of the log in one transaction: readers see the old projection until the
     * new one commits, and a crash during the rebuild leaves the old one in place.
     */
    public ProjectionEvent.ProjectionRebuilt rebuild() {
        writing.lock();
        try {
            lead();
            long started = System.nanoTime();
            DuckDBConnection c = writerConnection();
            Checkpoint at = Checkpoint.START;
            long events = 0;
            prefetch = null;
            try {
                projection.clear();
                Future<List<LoggedEvent>> next = read(Checkpoint.START, options.rebuildBatchSize());
                while (next != null) {
                    List<LoggedEvent> page = await(next);
                    if (page.isEmpty()) break;
                    at = page.getLast().at();
                    next = page.size() < options.rebuildBatchSize() ? null : read(at, options.rebuildBatchSize());
                    projection.apply(page);
                    events += page.size();
                }
                projection.checkpoint(at, events, clock.instant());
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollback(c);
                discardWriter();
                metrics.failure();
                throw new MemoryStore.MemoryStoreException("rebuild failed: " + e.getMessage(), e);
            }
            long ms = Duration.ofNanos(System.nanoTime() - started).toMillis();
            metrics.rebuilt();
            var rebuilt = new ProjectionEvent.ProjectionRebuilt(
                    EventId.random(),
                    Domain.MEMORY,
                    "memory.events",
                    clock.instant(),
                    SchemaVersions.CURRENT,
                    at.position(),
                    events,
                    ms);
            log.info("memory projection rebuilt: {} events up to {} in {} ms", events, at, ms);
            emit(rebuilt);
            return rebuilt;
        } finally {
            writing.unlock();
        }
    }

    /** Starts tailing on a thread of its own; idempotent. */
    public synchronized void start() {
        if (running) return;
        running = true;
        thread = Thread.ofPlatform().name("memory-projector").daemon(true).start(this::loop);
    }

    /** Asks the tailing loop to look at the log now instead of at its next poll. */
    public void wake() {
        idle.lock();
        try {
            wakeRequested = true;
            woken.signalAll();
        } finally {
            idle.unlock();
        }
    }

    /** Stops tailing (finishing the batch in progress), gives up the leadership and closes the writer. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        wake();
        if (t != null) {
            try {
                t.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        writing.lock();
        try {
            if (writer != null) {
                try {
                    writer.close();
                } catch (SQLException e) {
                    log.warn("closing the projector's connection: {}", e.getMessage());
                }
                writer = null;
            }
            leadership.close();
            leader = false;
            metrics.leader(false);
            reader.shutdownNow();
        } finally {
            writing.unlock();
        }
    }

    private void loop() {
        while (running) {
            int n = 0;
            try {
                n = projectBatch();
            } catch (NotLeaderException e) {
                n = 0;
            } catch (RuntimeException e) {
                log.warn("memory projector: {}", e.getMessage());
            }
            if (n < options.batchSize()) pause(options.idlePoll());
        }
    }

    private void pause(Duration d) {
        idle.lock();
        try {
            long nanos = d.toNanos();
            while (running && !wakeRequested && nanos > 0) nanos = woken.awaitNanos(nanos);
            wakeRequested = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            idle.unlock();
        }
    }

    private void lead() {
        boolean now = leadership.tryAcquire();
        if (now != leader) log.info("memory projector: {} the leadership", now ? "took" : "does not hold");
        leader = now;
        metrics.leader(now);
        if (!now) throw new NotLeaderException();
    }

    private int batch() {
        long started = System.nanoTime();
        DuckDBConnection c = writerConnection();
        Checkpoint from = null;
        try {
            try (Statement s = c.createStatement()) {
                from = readCheckpoint(s);
            }
            List<LoggedEvent> events = prefetch != null && prefetch.after().equals(from)
                    ? await(prefetch.page())
                    : source.readAfter(from, options.batchSize());
            prefetch = null;
            if (events.isEmpty()) {
                c.rollback();
                return 0;
            }
            if (events.size() == options.batchSize()) {
                Checkpoint after = events.getLast().at();
                prefetch = new Prefetch(after, read(after, options.batchSize()));
            }
            long number = ++batchNumber;
            Map<String, Long> rows = projection.apply(events);
            options.probe().at(Point.ROWS_WRITTEN, number);
            Checkpoint to = events.getLast().at();
            projection.checkpoint(to, events.size(), clock.instant());
            options.probe().at(Point.CHECKPOINT_WRITTEN, number);
            c.commit();
            options.probe().at(Point.COMMITTED, number);
            Instant now = clock.instant();
            metrics.batch(
                    events.size(),
                    Duration.ofNanos(System.nanoTime() - started),
                    Duration.between(events.getLast().ts(), now));
            for (ProjectionEvent e : projected(events, rows, now)) emit(e);
            return events.size();
        } catch (SQLException | RuntimeException e) {
            rollback(c);
            // a failed commit (a conflict on a shared lake) leaves the connection without a transaction in DuckDB's
            // JDBC driver: the next batch starts on a fresh connection
            discardWriter();
            metrics.failure();
            emit(new ProjectionEvent.ProjectionFailed(
                    EventId.random(),
                    Domain.MEMORY,
                    "memory.events",
                    clock.instant(),
                    SchemaVersions.CURRENT,
                    from == null ? 0 : from.position(),
                    new Failure("memory.batch_failed", String.valueOf(e.getMessage()))));
            if (e instanceof RuntimeException r) throw r;
            throw new MemoryStore.MemoryStoreException("projecting a batch failed: " + e.getMessage(), e);
        }
    }

    private static final Map<String, Domain> DOMAIN_OF = Map.of(
            "events", Domain.MEMORY,
            "runs", Domain.ORCHESTRATION,
            "agent_health", Domain.ORCHESTRATION,
            "tool_calls", Domain.EXECUTION,
            "model_calls", Domain.EXECUTION,
            "policy_decisions", Domain.GOVERNANCE);

    private static List<ProjectionEvent> projected(List<LoggedEvent> events, Map<String, Long> rows, Instant now) {
        Map<Domain, Map<String, Long>> byDomain = new LinkedHashMap<>();
        for (Domain d : List.of(Domain.MEMORY, Domain.ORCHESTRATION, Domain.EXECUTION, Domain.GOVERNANCE)) {
            byDomain.put(d, new LinkedHashMap<>());
        }
        rows.forEach((table, n) -> byDomain.get(DOMAIN_OF.get(table)).put(table, n));
        List<ProjectionEvent> out = new ArrayList<>();
        byDomain.forEach((domain, counts) -> {
            if (counts.values().stream().mapToLong(Long::longValue).sum() == 0) return;
            out.add(new ProjectionEvent.BatchProjected(
                    EventId.random(),
                    domain,
                    "memory." + domain.name().toLowerCase(java.util.Locale.ROOT),
                    now,
                    SchemaVersions.CURRENT,
                    events.getFirst().at().position(),
                    events.getLast().at().position(),
                    events.size(),
                    Map.copyOf(counts)));
        });
        return out;
    }

    private Future<List<LoggedEvent>> read(Checkpoint after, int max) {
        return reader.submit(() -> source.readAfter(after, max));
    }

    private static List<LoggedEvent> await(Future<List<LoggedEvent>> page) {
        try {
            return page.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the log", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException("reading the log failed: " + e.getCause(), e.getCause());
        }
    }

    private void emit(ProjectionEvent e) {
        try {
            sink.accept(e);
        } catch (RuntimeException ex) {
            log.warn("a projection event listener failed: {}", ex.getMessage());
        }
    }

    private DuckDBConnection writerConnection() {
        if (writer == null) {
            try {
                writer = store.connect();
                writer.setAutoCommit(false);
                projection = new BatchProjection(writer);
                writer.commit();
            } catch (SQLException e) {
                throw new MemoryStore.MemoryStoreException(
                        "cannot open the projector's connection: " + e.getMessage(), e);
            }
        }
        return writer;
    }

    private static Checkpoint readCheckpoint(Statement s) throws SQLException {
        try (ResultSet r = s.executeQuery(
                "SELECT tx_id, position FROM mem.checkpoints WHERE projection = '" + MemorySchema.PROJECTION + "'")) {
            if (!r.next()) throw new SQLException("the checkpoint row is missing");
            return new Checkpoint(r.getLong(1), r.getLong(2));
        }
    }

    private void discardWriter() {
        DuckDBConnection w = writer;
        writer = null;
        projection = null;
        prefetch = null;
        if (w != null) {
            try {
                w.close();
            } catch (SQLException e) {
                log.warn("closing the projector's connection: {}", e.getMessage());
            }
        }
    }

    private static void rollback(DuckDBConnection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            log.warn("rolling back a memory batch: {}", e.getMessage());
        }
    }
}
