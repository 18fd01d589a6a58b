package ai.auraison.bench.memory;

import ai.auraison.memory.MemoryMetrics;
import ai.auraison.memory.MemoryStore;
import ai.auraison.memory.PostgresLeadership;
import ai.auraison.memory.Projector;
import ai.auraison.memory.spi.Checkpoint;
import ai.auraison.memory.spi.EventLogSource;
import ai.auraison.memory.spi.LoggedEvent;
import ai.auraison.orchestration.EventLog;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Memory's benchmark (issue 7), on an embedded PostgreSQL 17 with production durability (fsync, synchronous commit):
 *
 * <ol>
 *   <li><b>Sustained ingest.</b> Writer threads append runs to {@code orchestration.run_events} (the real table and
 *       indexes, one transaction per {@code --runs-per-tx} runs, rows inserted with {@code unnest} arrays) while the
 *       real projector tails it through orchestration's {@code EventLog} into an embedded DuckDB file under the
 *       advisory-lock leadership. Reports events/s written and projected, and the projection lag of every writer
 *       transaction (its commit to the projector's commit of its last event): p50 and p99.
 *   <li><b>Baselines, same run, same rows</b> (regenerated from the same seeds): a raw DuckDB appender into a table of
 *       the events shape, and a PostgreSQL COPY into a copy of {@code run_events}; and generating the rows alone.
 *   <li><b>Rebuild</b> ({@code --rebuild-events N}): COPY N events into a fresh log (timed: the COPY baseline), append
 *       the same N rows with a raw DuckDB appender (timed), then rebuild the projection from the log (timed).
 * </ol>
 *
 * <pre>bench/run MemoryBench [--seconds 30] [--writers 2] [--runs-per-tx 30] [--batch 10000] [--rate events/s]
 *     [--rebuild-events 0] [--skip-ingest]</pre>
 *
 * <p>Without {@code --rate} the writers write as fast as they can (the projector's throughput under full load); with
 * it they offer that many events per second in total (the lag at a load the machine sustains).
 */
public final class MemoryBench {

    private record Tx(long txId, long maxPosition, int events, long committedNanos) {}

    private record Commit(long nanos, Checkpoint checkpoint) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
                a.put(args[i].substring(2), flag ? "true" : args[++i]);
            }
        }
        int seconds = Integer.parseInt(a.getOrDefault("seconds", "30"));
        int writers = Integer.parseInt(a.getOrDefault("writers", "2"));
        int runsPerTx = Integer.parseInt(a.getOrDefault("runs-per-tx", "30"));
        int batch = Integer.parseInt(a.getOrDefault("batch", "10000"));
        double rate = Double.parseDouble(a.getOrDefault("rate", "0"));
        long rebuildEvents = Long.parseLong(a.getOrDefault("rebuild-events", "0"));
        boolean skipIngest = a.containsKey("skip-ingest");

        Path work = Files.createTempDirectory("memory-bench");
        System.out.printf(
                "machine: %d cores, %s %s, JDK %s, -Xmx%d MB; load average %s; work dir %s%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"),
                System.getProperty("os.version"),
                System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20,
                Files.readString(Path.of("/proc/loadavg")).strip(),
                work);
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(work.resolve("pg-binaries").toFile())
                .setDataDirectory(work.resolve("pg-data"))
                .setCleanDataDirectory(true)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("shared_buffers", "1GB")
                .setServerConfig("max_wal_size", "8GB")
                .setServerConfig("max_connections", "60")
                .setPGStartupWait(Duration.ofSeconds(60))
                .start()) {
            System.out.println("PostgreSQL 17 embedded (zonky), fsync on, synchronous_commit on");
            if (!skipIngest) {
                DataSource ds = database(pg, "ingest");
                schema(ds);
                ingest(ds, work, seconds, writers, runsPerTx, batch, rate);
            }
            if (rebuildEvents > 0) {
                DataSource ds = database(pg, "rebuild");
                schema(ds);
                rebuild(ds, work, rebuildEvents);
            }
            System.out.printf(
                    "%nload average at the end: %s%n",
                    Files.readString(Path.of("/proc/loadavg")).strip());
        }
    }

    private static void ingest(
            DataSource ds, Path work, int seconds, int writers, int runsPerTx, int batch, double rate)
            throws Exception {
        System.out.printf(
                "%nsustained ingest: %d s, %d writer threads, %d runs per transaction, projector batches of %d, %s%n",
                seconds,
                writers,
                runsPerTx,
                batch,
                rate > 0 ? String.format("offered load %,.0f events/s", rate) : "writers as fast as they can");
        ConcurrentLinkedQueue<Tx> txs = new ConcurrentLinkedQueue<>();
        List<Commit> commits = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Projector> self = new AtomicReference<>();
        try (MemoryStore store = MemoryStore.open(new MemoryStore.Settings(
                        MemoryStore.Mode.DUCKDB,
                        work.resolve("ingest/memory.duckdb"),
                        null,
                        null,
                        work.resolve("duck-tmp"),
                        "2GB"));
                Projector projector = new Projector(
                        store,
                        source(ds),
                        new PostgresLeadership(ds, PostgresLeadership.keyFor(store.identity())),
                        new Projector.Options(batch, 50_000, Duration.ofMillis(50), (point, n) -> {
                            if (point == Projector.Point.COMMITTED) {
                                commits.add(
                                        new Commit(System.nanoTime(), self.get().checkpoint()));
                            }
                        }),
                        MemoryMetrics.none(),
                        null)) {
            self.set(projector);
            projector.start();
            long start = System.nanoTime();
            long end = start + Duration.ofSeconds(seconds).toNanos();
            List<Thread> threads = new ArrayList<>();
            long[] runsWritten = new long[writers];
            for (int w = 0; w < writers; w++) {
                int id = w;
                threads.add(Thread.ofPlatform().name("writer-" + w).start(() -> {
                    try {
                        runsWritten[id] = write(
                                ds,
                                new BenchRuns(1000 + id, Instant.parse("2026-11-01T00:00:00Z")),
                                runsPerTx,
                                end,
                                rate / writers,
                                txs);
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            for (Thread t : threads) t.join();
            long writtenAt = System.nanoTime();
            Tx last = txs.stream()
                    .max((x, y) -> new Checkpoint(x.txId(), x.maxPosition())
                            .compareTo(new Checkpoint(y.txId(), y.maxPosition())))
                    .orElseThrow();
            Checkpoint target = new Checkpoint(last.txId(), last.maxPosition());
            while (projector.checkpoint().compareTo(target) < 0) LockSupport.parkNanos(10_000_000);
            long caughtUp = System.nanoTime();

            long written = txs.stream().mapToLong(Tx::events).sum();
            double window = (writtenAt - start) / 1e9;
            List<Commit> done = new ArrayList<>(commits);
            Checkpoint atEnd = Checkpoint.START;
            for (Commit c : done) if (c.nanos() <= writtenAt) atEnd = c.checkpoint();
            Checkpoint endCheckpoint = atEnd;
            long projectedInWindow = txs.stream()
                    .filter(t -> new Checkpoint(t.txId(), t.maxPosition()).compareTo(endCheckpoint) <= 0)
                    .mapToLong(Tx::events)
                    .sum();
            long[] lags = txs.stream()
                    .mapToLong(t -> {
                        Checkpoint c = new Checkpoint(t.txId(), t.maxPosition());
                        for (Commit k : done) {
                            if (k.checkpoint().compareTo(c) >= 0) return k.nanos() - t.committedNanos();
                        }
                        return caughtUp - t.committedNanos();
                    })
                    .sorted()
                    .toArray();
            System.out.printf(
                    "  written   : %,d events in %,d transactions, %.1f s → %,.0f events/s (%,d runs)%n",
                    written,
                    txs.size(),
                    window,
                    written / window,
                    Arrays.stream(runsWritten).sum());
            System.out.printf(
                    "  projected : %,d events within the writing window → %,.0f events/s; caught up %.2f s after the"
                            + " writers stopped; %d projector batches%n",
                    projectedInWindow, projectedInWindow / window, (caughtUp - writtenAt) / 1e9, done.size());
            System.out.printf(
                    "  lag (writer commit → projector commit), per transaction: p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                    pct(lags, 0.5), pct(lags, 0.99), pct(lags, 1.0));
            System.out.printf("  DuckDB file: %,d MB%n", Files.size(work.resolve("ingest/memory.duckdb")) >> 20);

            System.out.println("  baselines on the same rows (regenerated from the same seeds, one thread):");
            long generated = 0;
            long t0 = System.nanoTime();
            for (int w = 0; w < writers; w++) {
                BenchRuns g = new BenchRuns(1000 + w, Instant.parse("2026-11-01T00:00:00Z"));
                for (long r = 0; r < runsWritten[w]; r++)
                    generated += g.next().rows().size();
            }
            double gen = (System.nanoTime() - t0) / 1e9;
            System.out.printf(
                    "    generating the rows alone  : %,d events in %.1f s → %,.0f events/s%n",
                    generated, gen, generated / gen);
            double appender = appender(work.resolve("baseline-ingest.duckdb"), writers, runsWritten);
            System.out.printf(
                    "    raw DuckDB appender        : %.1f s → %,.0f events/s (incl. generation)%n",
                    appender, generated / appender);
            double copy = copy(ds, "run_events_copy", writers, runsWritten);
            System.out.printf(
                    "    PostgreSQL COPY            : %.1f s → %,.0f events/s (incl. generation)%n",
                    copy, generated / copy);
        }
    }

    private static long write(
            DataSource ds, BenchRuns runs, int runsPerTx, long end, double rate, ConcurrentLinkedQueue<Tx> txs)
            throws SQLException {
        long written = 0;
        long events = 0;
        long started = System.nanoTime();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            PreparedStatement runInsert = c.prepareStatement("""
                    INSERT INTO orchestration.runs (run_id, intent_id, tenant, agent_id, origin, status, last_seq, state,
                        created_at, updated_at)
                    SELECT r, i, t, a, 'edge', 'running', 0, '{}'::jsonb, ts, ts
                    FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::timestamptz[]) AS x(r, i, t, a, ts)""");
            PreparedStatement eventInsert = c.prepareStatement("""
                    INSERT INTO orchestration.run_events (event_id, run_id, seq, kind, ts, body)
                    SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::bigint[], ?::text[], ?::timestamptz[], ?::text[]::jsonb[])
                    RETURNING position""");
            PreparedStatement txId = c.prepareStatement("SELECT pg_current_xact_id()::text::bigint");
            while (System.nanoTime() < end) {
                List<BenchRuns.Run> batch = new ArrayList<>(runsPerTx);
                for (int i = 0; i < runsPerTx; i++) batch.add(runs.next());
                int n = batch.stream().mapToInt(r -> r.rows().size()).sum();
                Object[] ids = new Object[runsPerTx],
                        intents = new Object[runsPerTx],
                        tenants = new Object[runsPerTx],
                        agents = new Object[runsPerTx],
                        created = new Object[runsPerTx];
                Object[] eventIds = new Object[n],
                        runIds = new Object[n],
                        seqs = new Object[n],
                        kinds = new Object[n],
                        ts = new Object[n],
                        bodies = new Object[n];
                int k = 0;
                for (int i = 0; i < runsPerTx; i++) {
                    BenchRuns.Run r = batch.get(i);
                    ids[i] = r.runId();
                    intents[i] = r.intentId();
                    tenants[i] = r.tenant();
                    agents[i] = r.agentId();
                    created[i] = Timestamp.from(r.createdAt());
                    for (BenchRuns.Row row : r.rows()) {
                        eventIds[k] = row.eventId();
                        runIds[k] = row.runId();
                        seqs[k] = row.seq();
                        kinds[k] = row.kind();
                        ts[k] = Timestamp.from(row.ts());
                        bodies[k] = row.body();
                        k++;
                    }
                }
                runInsert.setArray(1, c.createArrayOf("uuid", ids));
                runInsert.setArray(2, c.createArrayOf("text", intents));
                runInsert.setArray(3, c.createArrayOf("text", tenants));
                runInsert.setArray(4, c.createArrayOf("text", agents));
                runInsert.setArray(5, c.createArrayOf("timestamptz", created));
                runInsert.executeUpdate();
                eventInsert.setArray(1, c.createArrayOf("uuid", eventIds));
                eventInsert.setArray(2, c.createArrayOf("uuid", runIds));
                eventInsert.setArray(3, c.createArrayOf("bigint", seqs));
                eventInsert.setArray(4, c.createArrayOf("text", kinds));
                eventInsert.setArray(5, c.createArrayOf("timestamptz", ts));
                eventInsert.setArray(6, c.createArrayOf("text", bodies));
                long max = 0;
                try (ResultSet r = eventInsert.executeQuery()) {
                    while (r.next()) max = Math.max(max, r.getLong(1));
                }
                long tx;
                try (ResultSet r = txId.executeQuery()) {
                    r.next();
                    tx = r.getLong(1);
                }
                c.commit();
                txs.add(new Tx(tx, max, n, System.nanoTime()));
                written += runsPerTx;
                events += n;
                if (rate > 0) {
                    long due = started + (long) (events / rate * 1e9);
                    while (System.nanoTime() < due) LockSupport.parkNanos(due - System.nanoTime());
                }
            }
        }
        return written;
    }

    private static void rebuild(DataSource ds, Path work, long events) throws Exception {
        System.out.printf("%nrebuild of %,d events%n", events);
        // the log, filled with COPY (generation included): the PostgreSQL COPY baseline for these rows
        long runs = 0;
        long generated = 0;
        long t0 = System.nanoTime();
        BenchRuns g = new BenchRuns(7, Instant.parse("2026-10-01T00:00:00Z"));
        try (Connection c = ds.getConnection()) {
            var copy = c.unwrap(PGConnection.class).getCopyAPI();
            while (generated < events) {
                StringBuilder runRows = new StringBuilder();
                StringBuilder eventRows = new StringBuilder();
                for (int i = 0; i < 2_000 && generated < events; i++) {
                    BenchRuns.Run r = g.next();
                    runs++;
                    runRows.append(r.runId())
                            .append(',')
                            .append(r.intentId())
                            .append(',')
                            .append(r.tenant())
                            .append(',')
                            .append(r.agentId())
                            .append(",edge,running,0,{},")
                            .append(r.createdAt())
                            .append(',')
                            .append(r.createdAt())
                            .append('\n');
                    for (BenchRuns.Row row : r.rows()) csvEvent(eventRows, row);
                    generated += r.rows().size();
                }
                copy.copyIn(
                        "COPY orchestration.runs (run_id, intent_id, tenant, agent_id, origin, status, last_seq,"
                                + " state, created_at, updated_at) FROM STDIN (FORMAT csv)",
                        new StringReader(runRows.toString()));
                copy.copyIn(
                        "COPY orchestration.run_events (event_id, run_id, seq, kind, ts, body) FROM STDIN (FORMAT csv)",
                        new StringReader(eventRows.toString()));
            }
        }
        double copySeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
                "  PostgreSQL COPY into the log   : %,d events (%,d runs) in %.1f s → %,.0f events/s"
                        + " (incl. generation, autocommit per 2 000 runs)%n",
                generated, runs, copySeconds, generated / copySeconds);
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE orchestration.run_events");
            s.execute("VACUUM ANALYZE orchestration.runs");
            try (ResultSet r = s.executeQuery("SELECT pg_total_relation_size('orchestration.run_events')")) {
                r.next();
                System.out.printf("  log size in PostgreSQL         : %,d MB%n", r.getLong(1) >> 20);
            }
        }
        long t1 = System.nanoTime();
        long appended = 0;
        try (DuckDBConnection duck = (DuckDBConnection)
                        java.sql.DriverManager.getConnection("jdbc:duckdb:" + work.resolve("baseline-rebuild.duckdb"));
                Statement s = duck.createStatement()) {
            s.execute("CREATE TABLE events (position BIGINT, tx_id BIGINT, event_id UUID, tenant VARCHAR, run_id UUID,"
                    + " seq BIGINT, kind VARCHAR, ts TIMESTAMPTZ, body VARCHAR)");
            BenchRuns again = new BenchRuns(7, Instant.parse("2026-10-01T00:00:00Z"));
            try (DuckDBAppender ap = duck.createAppender("main", "events")) {
                while (appended < events) {
                    for (BenchRuns.Row row : again.next().rows()) appendRow(ap, ++appended, row);
                }
            }
        }
        double appenderSeconds = (System.nanoTime() - t1) / 1e9;
        System.out.printf(
                "  raw DuckDB appender            : %,d events in %.1f s → %,.0f events/s (incl. generation)%n",
                appended, appenderSeconds, appended / appenderSeconds);

        try (MemoryStore store = MemoryStore.open(new MemoryStore.Settings(
                        MemoryStore.Mode.DUCKDB,
                        work.resolve("rebuild/memory.duckdb"),
                        null,
                        null,
                        work.resolve("duck-tmp"),
                        "4GB"));
                Projector projector = new Projector(
                        store,
                        source(ds),
                        new PostgresLeadership(ds, PostgresLeadership.keyFor(store.identity())),
                        new Projector.Options(10_000, 100_000, Duration.ofMillis(50), null),
                        MemoryMetrics.none(),
                        null)) {
            long t2 = System.nanoTime();
            var rebuilt = projector.rebuild();
            double rebuildSeconds = (System.nanoTime() - t2) / 1e9;
            System.out.printf(
                    "  projector rebuild from the log : %,d events in %.1f s → %,.0f events/s%n",
                    rebuilt.events(), rebuildSeconds, rebuilt.events() / rebuildSeconds);
            System.out.printf("  DuckDB file: %,d MB%n", Files.size(work.resolve("rebuild/memory.duckdb")) >> 20);
        }
    }

    private static EventLogSource source(DataSource ds) {
        EventLog log = new EventLog(JdbcClient.create(ds));
        return (after, max) -> log.readAfter(after.txId(), after.position(), max).stream()
                .map(e -> new LoggedEvent(
                        new Checkpoint(e.txId(), e.position()),
                        e.tenant(),
                        e.eventId(),
                        e.runId(),
                        e.seq(),
                        e.kind(),
                        e.ts(),
                        e.body()))
                .toList();
    }

    private static double appender(Path file, int writers, long[] runsWritten) throws SQLException {
        long t0 = System.nanoTime();
        try (DuckDBConnection duck = (DuckDBConnection) java.sql.DriverManager.getConnection("jdbc:duckdb:" + file);
                Statement s = duck.createStatement()) {
            s.execute("CREATE TABLE events (position BIGINT, tx_id BIGINT, event_id UUID, tenant VARCHAR, run_id UUID,"
                    + " seq BIGINT, kind VARCHAR, ts TIMESTAMPTZ, body VARCHAR)");
            long position = 0;
            try (DuckDBAppender ap = duck.createAppender("main", "events")) {
                for (int w = 0; w < writers; w++) {
                    BenchRuns g = new BenchRuns(1000 + w, Instant.parse("2026-11-01T00:00:00Z"));
                    for (long r = 0; r < runsWritten[w]; r++) {
                        for (BenchRuns.Row row : g.next().rows()) appendRow(ap, ++position, row);
                    }
                }
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void appendRow(DuckDBAppender ap, long position, BenchRuns.Row row) throws SQLException {
        ap.beginRow();
        ap.append(position);
        ap.append(position);
        ap.append(row.eventId());
        ap.append(row.tenant());
        ap.append(row.runId());
        ap.append(row.seq());
        ap.append(row.kind());
        ap.append(OffsetDateTime.ofInstant(row.ts(), ZoneOffset.UTC));
        ap.append(row.body());
        ap.endRow();
    }

    private static double copy(DataSource ds, String table, int writers, long[] runsWritten)
            throws SQLException, IOException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orchestration." + table + " (LIKE orchestration.run_events INCLUDING ALL)");
        }
        long t0 = System.nanoTime();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            var copy = c.unwrap(PGConnection.class).getCopyAPI();
            for (int w = 0; w < writers; w++) {
                BenchRuns g = new BenchRuns(1000 + w, Instant.parse("2026-11-01T00:00:00Z"));
                StringBuilder rows = new StringBuilder();
                for (long r = 0; r < runsWritten[w]; r++) {
                    for (BenchRuns.Row row : g.next().rows()) csvEvent(rows, row);
                    if (rows.length() > 8 << 20 || r == runsWritten[w] - 1) {
                        copy.copyIn(
                                "COPY orchestration." + table + " (event_id, run_id, seq, kind, ts, body) FROM STDIN"
                                        + " (FORMAT csv)",
                                new StringReader(rows.toString()));
                        rows.setLength(0);
                    }
                }
            }
            c.commit();
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void csvEvent(StringBuilder out, BenchRuns.Row row) {
        out.append(row.eventId())
                .append(',')
                .append(row.runId())
                .append(',')
                .append(row.seq())
                .append(',')
                .append(row.kind())
                .append(',')
                .append(row.ts())
                .append(",\"")
                .append(row.body().replace("\"", "\"\""))
                .append("\"\n");
    }

    private static DataSource database(EmbeddedPostgres pg, String name) throws SQLException {
        try (Connection c = pg.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return pg.getDatabase("postgres", name);
    }

    private static void schema(DataSource ds) throws SQLException, IOException {
        String v1;
        try (InputStream in =
                MemoryBench.class.getResourceAsStream("/db/schemas/orchestration/V1__orchestration.sql")) {
            if (in == null) throw new IllegalStateException("orchestration's V1 migration is not on the class path");
            v1 = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA orchestration; SET search_path TO orchestration; " + v1);
        }
    }

    private static double pct(long[] sortedNanos, double q) {
        if (sortedNanos.length == 0) return Double.NaN;
        int i = (int) Math.min(sortedNanos.length - 1, Math.max(0, Math.ceil(q * sortedNanos.length) - 1));
        return sortedNanos[i] / 1e6;
    }
}
