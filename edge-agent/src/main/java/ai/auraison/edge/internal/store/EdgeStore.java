package ai.auraison.edge.internal.store;

import ai.auraison.contract.AgentEvent;
import ai.auraison.contract.ContractJson;
import ai.auraison.contract.RunId;
import ai.auraison.contract.RunState;
import ai.auraison.contract.RunStatus;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's durable local store, a DuckDB file in the data directory: the event outbox (every event of every run, in
 * the order it happened, with whether central has it), the runs' states and the local intents with the answers given.
 *
 * <p>Writes go through one writer thread that commits whatever is waiting in one transaction (group commit); a caller
 * returns only after its write committed, so nothing the edge has acknowledged is lost by a crash. Reads use their
 * own connection. Thread-safe.
 */
public final class EdgeStore implements AutoCloseable {

    /** An outbox row: the event's ids and its JSON as stored (the contract's form, shipped as it is). */
    public record Outboxed(long position, UUID eventId, UUID runId, long seq, String json, String status) {}

    /** A local run's facts. */
    public record StoredRun(RunState state, String tenant, String origin, String sessionFile) {}

    /** A local intent and the answer given to it. */
    public record StoredIntent(String intentId, byte[] hash, int status, String answer, UUID runId) {}

    private static final Logger log = LoggerFactory.getLogger(EdgeStore.class);

    private final DuckDBConnection writer;
    private final DuckDBConnection reader;
    private final BlockingQueue<Write> writes = new LinkedBlockingQueue<>();
    private final Thread writerThread;
    private long nextPosition;
    private volatile boolean closed;

    private sealed interface Write {}

    private record AppendEvent(
            AgentEvent event, RunState state, String tenant, String origin, CompletableFuture<Long> done)
            implements Write {}

    private record SaveIntent(
            StoredIntent intent, String body, List<AppendEvent> events, CompletableFuture<Boolean> done)
            implements Write {}

    private record MarkShipped(List<Long> positions, String status, CompletableFuture<Void> done) implements Write {}

    private record SaveSession(RunId run, String sessionFile, CompletableFuture<Void> done) implements Write {}

    public EdgeStore(Path file) throws SQLException {
        this.writer = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
        try (Statement st = writer.createStatement()) {
            st.execute("""
                    CREATE TABLE IF NOT EXISTS outbox (
                        position    BIGINT PRIMARY KEY,
                        event_id    UUID NOT NULL UNIQUE,
                        run_id      UUID NOT NULL,
                        seq         BIGINT NOT NULL,
                        kind        VARCHAR NOT NULL,
                        body        VARCHAR NOT NULL,
                        recorded_at TIMESTAMP NOT NULL,
                        status      VARCHAR NOT NULL DEFAULT 'pending')""");
            st.execute("CREATE INDEX IF NOT EXISTS outbox_run ON outbox (run_id, seq)");
            st.execute("""
                    CREATE TABLE IF NOT EXISTS runs (
                        run_id       UUID PRIMARY KEY,
                        tenant       VARCHAR NOT NULL,
                        origin       VARCHAR NOT NULL,
                        state        VARCHAR NOT NULL,
                        session_file VARCHAR,
                        updated_at   TIMESTAMP NOT NULL,
                        status       VARCHAR,
                        session_id   VARCHAR,
                        created_at   TIMESTAMP)""");
            // a store written before these columns existed gains them, filled from the stored states below
            st.execute("ALTER TABLE runs ADD COLUMN IF NOT EXISTS status VARCHAR");
            st.execute("ALTER TABLE runs ADD COLUMN IF NOT EXISTS session_id VARCHAR");
            st.execute("ALTER TABLE runs ADD COLUMN IF NOT EXISTS created_at TIMESTAMP");
            st.execute("""
                    CREATE TABLE IF NOT EXISTS intents (
                        intent_id   VARCHAR PRIMARY KEY,
                        body_sha256 BLOB NOT NULL,
                        http_status INTEGER NOT NULL,
                        answer      VARCHAR NOT NULL,
                        run_id      UUID NOT NULL,
                        body        VARCHAR NOT NULL,
                        created_at  TIMESTAMP NOT NULL)""");
        }
        backfillRunColumns();
        try (Statement st = writer.createStatement();
                ResultSet rs = st.executeQuery("SELECT coalesce(max(position), 0) FROM outbox")) {
            rs.next();
            nextPosition = rs.getLong(1) + 1;
        }
        this.reader = (DuckDBConnection) writer.duplicate();
        this.writerThread = Thread.ofPlatform().name("edge-store-writer").start(this::write);
    }

    /** Fills status, session id and creation time of runs stored before those columns existed, from their states. */
    private void backfillRunColumns() throws SQLException {
        List<RunState> states = new ArrayList<>();
        try (Statement st = writer.createStatement();
                ResultSet rs = st.executeQuery("SELECT state FROM runs WHERE status IS NULL")) {
            while (rs.next()) states.add(ContractJson.read(rs.getString(1), RunState.class));
        }
        if (states.isEmpty()) return;
        writer.setAutoCommit(false);
        try (PreparedStatement ps = writer.prepareStatement(
                "UPDATE runs SET status = ?, session_id = ?, created_at = ? WHERE run_id = ?")) {
            for (RunState state : states) {
                ps.setString(1, state.status().wireName());
                ps.setString(2, sessionId(state));
                ps.setTimestamp(3, Timestamp.from(state.createdAt()));
                ps.setObject(4, state.runId().value());
                ps.executeUpdate();
            }
            writer.commit();
        } catch (SQLException | RuntimeException e) {
            writer.rollback();
            throw e;
        } finally {
            writer.setAutoCommit(true);
        }
        log.info("edge store: filled status, session and creation time of {} earlier run(s)", states.size());
    }

    private static String sessionId(RunState state) {
        return state.treeRef() == null ? null : state.treeRef().sessionId();
    }

    /**
     * Appends an event and the run state it leads to; completes with the event's outbox position once it is durable.
     * Appends commit in the order they were made, many per transaction.
     */
    public CompletableFuture<Long> append(AgentEvent event, RunState state, String tenant, String origin) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        submit(new AppendEvent(event, state, tenant, origin, done));
        return done;
    }

    /**
     * Records a local intent with its answer and the first events of its run, in one transaction; false when the id was
     * already taken (and then nothing is written).
     */
    public boolean saveIntent(
            StoredIntent intent,
            String body,
            List<AgentEvent> events,
            List<RunState> states,
            String tenant,
            String origin) {
        List<AppendEvent> appends = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++)
            appends.add(new AppendEvent(events.get(i), states.get(i), tenant, origin, null));
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        submit(new SaveIntent(intent, body, appends, done));
        return done.join();
    }

    /** Marks outbox rows shipped ({@code accepted}, {@code duplicate}) or refused by central ({@code rejected:<code>}). */
    public void mark(List<Long> positions, String status) {
        if (positions.isEmpty()) return;
        CompletableFuture<Void> done = new CompletableFuture<>();
        submit(new MarkShipped(positions, status, done));
        done.join();
    }

    /** Remembers the Pi session file of a run, for forks after a restart (written with the run's next events). */
    public void saveSession(RunId run, String sessionFile) {
        submit(new SaveSession(run, sessionFile, new CompletableFuture<>()));
    }

    private void submit(Write w) {
        if (closed) throw new IllegalStateException("the edge store is closed");
        writes.add(w);
    }

    private void write() {
        List<Write> batch = new ArrayList<>();
        while (!closed || !writes.isEmpty()) {
            try {
                Write first = writes.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                writes.drainTo(batch, 999);
                commit(batch);
            } catch (InterruptedException e) {
                if (closed) break;
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Write> batch) {
        long startPosition = nextPosition;
        List<Object> results = new ArrayList<>(batch.size());
        try {
            writer.setAutoCommit(false);
            try (PreparedStatement event = writer.prepareStatement(
                            "INSERT INTO outbox (position, event_id, run_id, seq, kind, body, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
                    PreparedStatement run = writer.prepareStatement("""
                            INSERT INTO runs (run_id, tenant, origin, state, updated_at, status, session_id, created_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                            ON CONFLICT (run_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at,
                                status = excluded.status, session_id = excluded.session_id""");
                    PreparedStatement exists = writer.prepareStatement("SELECT 1 FROM intents WHERE intent_id = ?");
                    PreparedStatement intent = writer.prepareStatement(
                            "INSERT INTO intents (intent_id, body_sha256, http_status, answer, run_id, body, created_at) "
                                    + "VALUES (?, ?, ?, ?, ?, ?, ?)");
                    PreparedStatement mark =
                            writer.prepareStatement("UPDATE outbox SET status = ? WHERE position = ?");
                    PreparedStatement session =
                            writer.prepareStatement("UPDATE runs SET session_file = ? WHERE run_id = ?")) {
                for (Write w : batch) {
                    switch (w) {
                        case AppendEvent a -> results.add(append(a, event, run));
                        case SaveIntent s -> {
                            exists.setString(1, s.intent().intentId());
                            boolean taken;
                            try (ResultSet rs = exists.executeQuery()) {
                                taken = rs.next();
                            }
                            if (!taken) {
                                for (AppendEvent a : s.events()) append(a, event, run);
                                intent.setString(1, s.intent().intentId());
                                intent.setBytes(2, s.intent().hash());
                                intent.setInt(3, s.intent().status());
                                intent.setString(4, s.intent().answer());
                                intent.setObject(5, s.intent().runId());
                                intent.setString(6, s.body());
                                intent.setTimestamp(7, Timestamp.from(Instant.now()));
                                intent.executeUpdate();
                            }
                            results.add(!taken);
                        }
                        case MarkShipped m -> {
                            for (long p : m.positions()) {
                                mark.setString(1, m.status());
                                mark.setLong(2, p);
                                mark.addBatch();
                            }
                            mark.executeBatch();
                            results.add(null);
                        }
                        case SaveSession s -> {
                            session.setString(1, s.sessionFile());
                            session.setObject(2, s.run().value());
                            session.executeUpdate();
                            results.add(null);
                        }
                    }
                }
            }
            writer.commit();
            writer.setAutoCommit(true);
        } catch (SQLException | RuntimeException e) {
            nextPosition = startPosition;
            try {
                writer.rollback();
                writer.setAutoCommit(true);
            } catch (SQLException ignored) {
                // the failure below is what matters
            }
            if (batch.size() > 1) {
                // one bad write (a repeated event id, say) must not fail the others of the group commit
                log.warn(
                        "edge store group commit of {} writes failed ({}); writing them one by one",
                        batch.size(),
                        e.toString());
                for (Write w : batch) commit(List.of(w));
                return;
            }
            log.error("edge store write failed", e);
            future(batch.getFirst()).completeExceptionally(e);
            return;
        }
        for (int i = 0; i < batch.size(); i++) complete(batch.get(i), results.get(i));
    }

    private long append(AppendEvent a, PreparedStatement event, PreparedStatement run) throws SQLException {
        long position = nextPosition++;
        AgentEvent e = a.event();
        event.setLong(1, position);
        event.setObject(2, e.eventId().value());
        event.setObject(3, e.runId().value());
        event.setLong(4, e.seq());
        event.setString(5, e.kind());
        event.setString(6, ContractJson.write(e));
        event.setTimestamp(7, Timestamp.from(Instant.now()));
        event.executeUpdate();
        run.setObject(1, e.runId().value());
        run.setString(2, a.tenant());
        run.setString(3, a.origin());
        run.setString(4, ContractJson.write(a.state()));
        run.setTimestamp(5, Timestamp.from(Instant.now()));
        run.setString(6, a.state().status().wireName());
        run.setString(7, sessionId(a.state()));
        run.setTimestamp(8, Timestamp.from(a.state().createdAt()));
        run.executeUpdate();
        return position;
    }

    @SuppressWarnings("unchecked")
    private static void complete(Write w, Object result) {
        ((CompletableFuture<Object>) (CompletableFuture<?>) future(w)).complete(result);
    }

    private static CompletableFuture<?> future(Write w) {
        return switch (w) {
            case AppendEvent a -> a.done();
            case SaveIntent s -> s.done();
            case MarkShipped m -> m.done();
            case SaveSession s -> s.done();
        };
    }

    /**
     * An event as the edge's log holds it, with its position and its run's tenant (for the memory projection); {@code ts}
     * is when the event happened (its own timestamp, as central's log keeps it), not when the outbox stored it.
     */
    public record LogRow(
            long position,
            String tenant,
            java.util.UUID eventId,
            java.util.UUID runId,
            long seq,
            String kind,
            java.time.Instant ts,
            String body) {}

    /**
     * Events after {@code position}, in position order, at most {@code limit}: the edge's event log. Positions are
     * given out and committed by the single writer thread in order, so a reader never sees a gap that fills later.
     */
    public synchronized List<LogRow> log(long position, int limit) {
        try (PreparedStatement ps = reader.prepareStatement(
                "SELECT o.position, coalesce(r.tenant, 'unknown'), o.event_id, o.run_id, o.seq, o.kind, "
                        + "json_extract_string(o.body, '$.ts'), "
                        + "o.body FROM outbox o LEFT JOIN runs r ON r.run_id = o.run_id WHERE o.position > ? "
                        + "ORDER BY o.position LIMIT ?")) {
            ps.setLong(1, position);
            ps.setInt(2, limit);
            List<LogRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new LogRow(
                            rs.getLong(1),
                            rs.getString(2),
                            (java.util.UUID) rs.getObject(3),
                            (java.util.UUID) rs.getObject(4),
                            rs.getLong(5),
                            rs.getString(6),
                            java.time.Instant.parse(rs.getString(7)),
                            rs.getString(8)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the edge's event log after " + position, e);
        }
    }

    /** Outbox rows not yet shipped, in position order. */
    public synchronized List<Outboxed> pending(int limit) {
        try (PreparedStatement ps = reader.prepareStatement("SELECT position, event_id, run_id, seq, body, status "
                + "FROM outbox WHERE status = 'pending' ORDER BY position LIMIT ?")) {
            ps.setInt(1, limit);
            List<Outboxed> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next())
                    out.add(new Outboxed(
                            rs.getLong(1),
                            (UUID) rs.getObject(2),
                            (UUID) rs.getObject(3),
                            rs.getLong(4),
                            rs.getString(5),
                            rs.getString(6)));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the outbox", e);
        }
    }

    /** A run's events after {@code afterSeq}, in order. */
    public synchronized List<AgentEvent> events(RunId run, long afterSeq, int limit) {
        try (PreparedStatement ps =
                reader.prepareStatement("SELECT body FROM outbox WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?")) {
            ps.setObject(1, run.value());
            ps.setLong(2, afterSeq);
            ps.setInt(3, limit);
            List<AgentEvent> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(ContractJson.read(rs.getString(1), AgentEvent.class));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read events of run " + run, e);
        }
    }

    /** Counts of outbox rows by status. */
    public synchronized java.util.Map<String, Long> outboxCounts() {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        try (Statement st = reader.createStatement();
                ResultSet rs = st.executeQuery("SELECT status, count(*) FROM outbox GROUP BY status")) {
            while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the outbox", e);
        }
        return out;
    }

    public synchronized Optional<StoredRun> run(RunId run) {
        try (PreparedStatement ps =
                reader.prepareStatement("SELECT state, tenant, origin, session_file FROM runs WHERE run_id = ?")) {
            ps.setObject(1, run.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(storedRun(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read run " + run, e);
        }
    }

    /** A listed run and its creation time (with its run id, the list's sort key). */
    public record ListedRun(StoredRun run, Instant createdAt) {}

    /**
     * Runs, newest created first, at most {@code limit}: with {@code status} (a wire name) only those in that status,
     * and after {@code (createdAt, runId)} of the previous page's last run when given.
     */
    public synchronized List<ListedRun> runs(int limit, String status, Instant beforeCreatedAt, UUID beforeRunId) {
        StringBuilder sql =
                new StringBuilder("SELECT state, tenant, origin, session_file, created_at FROM runs WHERE true");
        if (status != null) sql.append(" AND status = ?");
        if (beforeCreatedAt != null) sql.append(" AND (created_at < ? OR (created_at = ? AND run_id < ?))");
        sql.append(" ORDER BY created_at DESC, run_id DESC LIMIT ?");
        try (PreparedStatement ps = reader.prepareStatement(sql.toString())) {
            int p = 1;
            if (status != null) ps.setString(p++, status);
            if (beforeCreatedAt != null) {
                ps.setTimestamp(p++, Timestamp.from(beforeCreatedAt));
                ps.setTimestamp(p++, Timestamp.from(beforeCreatedAt));
                ps.setObject(p++, beforeRunId);
            }
            ps.setInt(p, limit);
            List<ListedRun> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next())
                    out.add(new ListedRun(storedRun(rs), rs.getTimestamp(5).toInstant()));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list runs", e);
        }
    }

    /** Every run not yet finished (to settle after a restart). */
    public synchronized List<StoredRun> unfinished() {
        String open = java.util.Arrays.stream(RunStatus.values())
                .filter(s -> !s.isTerminal())
                .map(s -> "'" + s.wireName() + "'")
                .collect(java.util.stream.Collectors.joining(", "));
        List<StoredRun> out = new ArrayList<>();
        try (Statement st = reader.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT state, tenant, origin, session_file FROM runs WHERE status IN (" + open + ")")) {
            while (rs.next()) out.add(storedRun(rs));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list unfinished runs", e);
        }
        return out;
    }

    /** Sessions of earlier runs: session id → session file. */
    public synchronized java.util.Map<String, String> sessions() {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        try (Statement st = reader.createStatement();
                ResultSet rs = st.executeQuery("SELECT session_id, session_file FROM runs "
                        + "WHERE session_id IS NOT NULL AND session_file IS NOT NULL")) {
            while (rs.next()) out.put(rs.getString(1), rs.getString(2));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list the runs' sessions", e);
        }
        return out;
    }

    private static StoredRun storedRun(ResultSet rs) throws SQLException {
        return new StoredRun(
                ContractJson.read(rs.getString(1), RunState.class), rs.getString(2), rs.getString(3), rs.getString(4));
    }

    public synchronized Optional<StoredIntent> intent(String intentId) {
        try (PreparedStatement ps = reader.prepareStatement(
                "SELECT intent_id, body_sha256, http_status, answer, run_id FROM intents WHERE intent_id = ?")) {
            ps.setString(1, intentId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new StoredIntent(
                        rs.getString(1), rs.getBytes(2), rs.getInt(3), rs.getString(4), rs.getObject(5, UUID.class)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read intent " + intentId, e);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            writerThread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            reader.close();
            writer.close();
        } catch (SQLException e) {
            log.warn("closing the edge store: {}", e.getMessage());
        }
    }
}
