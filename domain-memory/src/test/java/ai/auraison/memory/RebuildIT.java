package ai.auraison.memory;

import static ai.auraison.memory.ProjectorIT.count;
import static org.assertj.core.api.Assertions.assertThat;

import ai.auraison.contract.ProjectionEvent;
import ai.auraison.memory.internal.MemorySchema;
import ai.auraison.memory.spi.Leadership;
import ai.auraison.testfixtures.PostgresFixture;
import ai.auraison.testfixtures.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Rebuilding from the log yields exactly the tables that incremental projection built, on every kind of store. */
class RebuildIT {

    static final TestDatabase DB = PostgresFixture.newDatabase("memory_rebuild");

    @TempDir
    Path dir;

    static final String BUCKET = "memory-lake";
    private static S3Peer s3;

    @AfterAll
    static void drop() {
        PostgresFixture.drop(DB);
        if (s3 != null) s3.close();
    }

    /** The S3-compatible server, started on first use (only the s3-lake case needs it). */
    private static S3Peer s3() {
        if (s3 == null) {
            try {
                s3 = S3Peer.start(BUCKET);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return s3;
    }

    private MemoryStore.Settings settings(String kind) {
        return switch (kind) {
            case "duckdb" -> TestStores.embedded(dir);
            case "local-lake" -> TestStores.localLake(dir);
            case "postgres-lake" -> TestStores.postgresLake(DB, dir);
            case "s3-lake" -> TestStores.s3Lake(dir, s3(), BUCKET);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"duckdb", "local-lake", "postgres-lake", "s3-lake"})
    void rebuiltTablesEqualIncrementallyBuiltOnes(String kind) throws Exception {
        ListEventLog log = new ListEventLog();
        RunScenarios scenarios = new RunScenarios(11);
        List<ProjectionEvent> emitted = new ArrayList<>();
        try (MemoryStore store = MemoryStore.open(settings(kind));
                Projector projector = new Projector(
                        store,
                        log,
                        Leadership.sole(),
                        new Projector.Options(37, 400, Duration.ofMillis(20), null),
                        MemoryMetrics.none(),
                        emitted::add)) {
            // runs arrive in slices between batches, so that runs, open tool calls and health minutes span batches
            for (int round = 0; round < 6; round++) {
                for (RunScenarios.Run r : scenarios.runs(5)) {
                    int half = r.events().size() / 2;
                    log.append(r.tenant(), r.events().subList(0, half));
                    projector.projectBatch();
                    log.append(r.tenant(), r.events().subList(half, r.events().size()));
                }
                projector.catchUp();
            }
            java.util.Map<String, List<String>> built = new java.util.HashMap<>();
            for (String table : MemorySchema.TABLES) built.put(table, rows(store, table));
            var before = projector.checkpoint();
            assertThat(count(store, "SELECT count(*) FROM events")).isEqualTo(log.size());

            ProjectionEvent.ProjectionRebuilt rebuilt = projector.rebuild();

            assertThat(rebuilt.events()).isEqualTo(log.size());
            assertThat(projector.checkpoint()).isEqualTo(before);
            assertThat(emitted.getLast()).isEqualTo(rebuilt);
            for (String table : MemorySchema.TABLES) {
                assertThat(rows(store, table)).as("rows of %s", table).isEqualTo(built.get(table));
            }
            assertThat(count(store, "SELECT count(*) FROM runs")).isEqualTo(30);
            assertThat(count(store, "SELECT count(*) FROM tool_calls")).isPositive();
            if (kind.equals("s3-lake")) {
                // the lake's data really is in the bucket: Parquet files, as S3's own SDK lists them
                assertThat(s3().keys(BUCKET, "lake/")).anyMatch(k -> k.endsWith(".parquet"));
            }
        }
    }

    /** Every row of {@code table} as text, in a canonical order. */
    static List<String> rows(MemoryStore store, String table) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = store.connect();
                Statement s = c.createStatement();
                java.sql.ResultSet r = s.executeQuery("SELECT * FROM mem." + table + " ORDER BY ALL")) {
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) row.append(r.getString(i)).append('|');
                out.add(row.toString());
            }
        }
        return out;
    }
}
