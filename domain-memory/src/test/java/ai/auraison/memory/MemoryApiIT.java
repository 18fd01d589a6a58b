package ai.auraison.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.auraison.contract.AgentEvent;
import ai.auraison.testfixtures.HttpJson;
import ai.auraison.testfixtures.PostgresFixture;
import ai.auraison.testfixtures.TestDatabase;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The memory API in a Boot app: DuckLake with its catalog in the app's PostgreSQL, projecting a log of realistic runs
 * of three tenants; queries, operator SQL (and what it refuses), time travel, Parquet export and rebuild over HTTP.
 */
@SpringBootTest(
        classes = MemoryTestApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "auraison.memory.mode=ducklake",
            "auraison.memory.lake.catalog=postgres",
            "auraison.memory.projector.batch-size=100",
            "auraison.memory.projector.poll-interval=50ms",
            "auraison.memory.sql.timeout=1s",
            "auraison.memory.sql.max-rows=50",
            "server.address=127.0.0.1"
        })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MemoryApiIT {

    static final TestDatabase DB = PostgresFixture.newDatabase("memory_api");
    static final Path DATA;

    static {
        try {
            DATA = Files.createTempDirectory("memory-api-it");
            new PostgresEventLog(DB.dataSource()).create();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DB::jdbcUrl);
        registry.add("spring.datasource.username", DB::username);
        registry.add("spring.datasource.password", DB::password);
        registry.add("auraison.data-dir", DATA::toString);
        registry.add(
                "auraison.memory.extension-directory",
                () -> TestStores.extensions().toString());
    }

    @LocalServerPort
    int port;

    HttpJson api;
    PostgresEventLog log;
    List<RunScenarios.Run> firstWave;
    List<RunScenarios.Run> secondWave;
    long snapshotAfterFirstWave;

    @BeforeAll
    void project() throws Exception {
        api = HttpJson.local(port);
        log = new PostgresEventLog(DB.dataSource());
        RunScenarios scenarios = new RunScenarios(31);
        firstWave = scenarios.runs(20);
        for (RunScenarios.Run r : firstWave) log.append(r.tenant(), r.events());
        awaitProjected();
        JsonNode snapshots = api.get("/api/v1/memory/snapshots").json();
        snapshotAfterFirstWave = snapshots.get(snapshots.size() - 1).get("id").asLong();
        secondWave = scenarios.runs(20);
        for (RunScenarios.Run r : secondWave) log.append(r.tenant(), r.events());
        awaitProjected();
    }

    private void awaitProjected() throws Exception {
        long size = log.size();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode status = api.get("/api/v1/memory/status").json();
            return status.get("leader").asBoolean()
                    && status.get("checkpoint").get("position").asLong() > 0
                    && sqlCount("acme", "SELECT count(*) FROM events")
                                    + sqlCount("globex", "SELECT count(*) FROM events")
                                    + sqlCount("initech", "SELECT count(*) FROM events")
                            == size;
        });
    }

    private long sqlCount(String tenant, String sql) {
        return sql(tenant, sql, null).json().get("rows").get(0).get(0).asLong();
    }

    private HttpJson.Response sql(String tenant, String sql, Long version) {
        return api.post(
                "/api/v1/memory/sql?tenant=" + tenant,
                version == null ? Map.of("sql", sql) : Map.of("sql", sql, "version", version));
    }

    private List<RunScenarios.Run> all() {
        return java.util.stream.Stream.concat(firstWave.stream(), secondWave.stream())
                .toList();
    }

    @Test
    void servesStatusOfTheLakeProjector() {
        JsonNode status = api.get("/api/v1/memory/status").json();
        assertThat(status.get("lake").asBoolean()).isTrue();
        assertThat(status.get("store").asString()).contains("DuckLake", "schema memory_lake");
    }

    @Test
    void servesARunTimelineToItsTenantOnly() {
        RunScenarios.Run run = firstWave.getFirst();
        HttpJson.Response r = api.get("/api/v1/memory/runs/" + run.runId() + "/timeline?tenant=" + run.tenant());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().size()).isEqualTo(run.events().size());
        assertThat(r.json().get(0).get("kind").asString()).isEqualTo("PolicyDecided");
        assertThat(r.json().get(1).get("event").get("agentId").asString())
                .isEqualTo(
                        ((AgentEvent.RunQueued) run.events().get(1)).agentId().value());
        String other = run.tenant().equals("acme") ? "globex" : "acme";
        assertThat(api.get("/api/v1/memory/runs/" + run.runId() + "/timeline?tenant=" + other)
                        .problemType())
                .isEqualTo("run-not-found");
    }

    @Test
    void servesToolCallStatsModelUsageAndAgentHealthPerTenant() {
        String range = "&from=2026-11-01T00:00:00Z&to=2026-12-31T00:00:00Z";
        JsonNode stats =
                api.get("/api/v1/memory/tool-calls/stats?tenant=acme" + range).json();
        long acmeCalls = all().stream()
                .filter(r -> r.tenant().equals("acme"))
                .flatMap(r -> r.events().stream())
                .filter(e -> e instanceof AgentEvent.ToolCallCompleted)
                .count();
        long sum = 0;
        for (JsonNode s : stats) {
            sum += s.get("calls").asLong();
            assertThat(s.get("p50Ms").asDouble()).isPositive();
        }
        assertThat(sum).isEqualTo(acmeCalls);

        BigDecimal acmeCost = all().stream()
                .filter(r -> r.tenant().equals("acme"))
                .flatMap(r -> r.events().stream())
                .filter(e -> e instanceof AgentEvent.ModelCallCompleted)
                .map(e -> ((AgentEvent.ModelCallCompleted) e).costUsd())
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal served = BigDecimal.ZERO;
        for (JsonNode u :
                api.get("/api/v1/memory/model-usage?tenant=acme" + range).json()) {
            served = served.add(u.get("costUsd").decimalValue());
        }
        assertThat(served).isEqualByComparingTo(acmeCost);

        JsonNode health = api.get("/api/v1/memory/agents/health?tenant=acme&bucket=day" + range)
                .json();
        assertThat(health.size()).isPositive();
        long started = 0;
        for (JsonNode h : health) started += h.get("runsStarted").asLong();
        assertThat(started)
                .isEqualTo(all().stream().filter(r -> r.tenant().equals("acme")).count());
    }

    @Test
    void operatorSqlSeesOnlyTheTenantsRows() {
        long acmeRuns = all().stream().filter(r -> r.tenant().equals("acme")).count();
        assertThat(sqlCount("acme", "SELECT count(*) FROM runs")).isEqualTo(acmeRuns);
        assertThat(sqlCount("acme", "SELECT count(*) FROM events WHERE tenant <> 'acme'"))
                .isZero();
        HttpJson.Response joined = sql(
                "acme",
                "WITH t AS (SELECT run_id FROM tool_calls WHERE outcome = 'error') "
                        + "SELECT r.status, count(*) AS n FROM runs r JOIN t USING (run_id) GROUP BY ALL ORDER BY 1;",
                null);
        assertThat(joined.status()).as(joined.toString()).isEqualTo(200);
        assertThat(joined.json().get("columns").get(1).asString()).isEqualTo("n");
    }

    @Test
    void operatorSqlRefusesWritesSeveralStatementsAndFileAccessWithoutExecutingThem() throws Exception {
        long before = sqlCount("acme", "SELECT count(*) FROM events");
        Path outside = DATA.resolve("stolen.csv");
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("DELETE FROM events", "not-a-select");
        refused.put("INSERT INTO events SELECT * FROM events", "not-a-select");
        refused.put("DROP TABLE events", "not-a-select");
        refused.put("COPY events TO '" + outside + "'", "not-a-select");
        refused.put("ATTACH '" + DATA.resolve("other.duckdb") + "' AS other", "not-a-select");
        refused.put("SET memory_limit = '1TB'", "not-a-select");
        refused.put("SELECT 1; DELETE FROM events", "not-a-select");
        refused.put("SELECT 1; SELECT 2", "multiple-statements");
        refused.put("SELECT * FROM read_csv('/etc/passwd')", "table-function");
        refused.put("SELECT * FROM '/etc/passwd'", "table-not-allowed");
        refused.put("SELECT * FROM mem.events", "table-not-allowed");
        refused.put("SELECT * FROM orchestration.run_events", "table-not-allowed");
        refused.put("SELECT current_setting('s3_secret_access_key')", "function-not-allowed");
        refused.put("SELECT * FROM events WHERE tenant = ?", "parameters");
        // a CTE name is visible only in its scope: elsewhere the same name is a table of the store or a file
        Path parquet = DATA.resolve("f.parquet");
        refused.put(
                "SELECT * FROM (WITH \"" + parquet + "\" AS (SELECT 1 AS y) SELECT 1) a, '" + parquet + "'",
                "cte-name-not-allowed");
        refused.put(
                "WITH \"" + parquet + "\" AS (SELECT * FROM '" + parquet + "') SELECT * FROM \"" + parquet + "\"",
                "cte-name-not-allowed");
        refused.put("WITH checkpoints AS (SELECT * FROM checkpoints) SELECT * FROM checkpoints", "table-not-allowed");
        refused.put("SELECT * FROM (WITH checkpoints AS (SELECT 1 AS y) SELECT 1) a, checkpoints", "table-not-allowed");
        refused.put(
                "SELECT * FROM (WITH checkpoints AS (SELECT 1 AS y) SELECT 1) a "
                        + "WHERE EXISTS (SELECT 1 FROM checkpoints)",
                "table-not-allowed");
        refused.put(
                "WITH a AS (SELECT * FROM checkpoints), checkpoints AS (SELECT 1) SELECT * FROM a",
                "table-not-allowed");
        refused.put(
                "SELECT * FROM (WITH duckdb_settings AS (SELECT 1) SELECT * FROM duckdb_settings) "
                        + "UNION ALL SELECT 1 FROM duckdb_settings",
                "table-not-allowed");
        refused.put("SELECT * FROM duckdb_settings", "table-not-allowed");
        // a recursive CTE sees itself only in its recursive term; its anchor would read the table
        refused.put(
                "WITH RECURSIVE checkpoints AS (SELECT * FROM checkpoints UNION ALL SELECT * FROM checkpoints) "
                        + "SELECT * FROM checkpoints",
                "table-not-allowed");
        refused.put("WITH RECURSIVE checkpoints AS (SELECT * FROM checkpoints) SELECT 1", "table-not-allowed");
        for (var e : refused.entrySet()) {
            HttpJson.Response r = sql("acme", e.getKey(), null);
            assertThat(r.status()).as(e.getKey() + " → " + r).isEqualTo(400);
            assertThat(r.problemType()).as(e.getKey()).isEqualTo("sql-refused");
            assertThat(r.json().get("reason").asString()).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(sqlCount("acme", "SELECT count(*) FROM events")).isEqualTo(before);
        assertThat(outside).doesNotExist();
        assertThat(DATA.resolve("other.duckdb")).doesNotExist();
    }

    @Test
    void operatorSqlReadsCtesInTheirScope() {
        long acmeRuns = all().stream().filter(r -> r.tenant().equals("acme")).count();
        // a nested WITH sees the outer CTEs and its own, and CTEs see those before them
        HttpJson.Response nested = sql(
                "acme",
                "WITH r AS (SELECT run_id FROM runs), n AS (SELECT count(*) AS c FROM r) "
                        + "SELECT (SELECT c FROM n) + (SELECT count(*) FROM (WITH i AS (SELECT * FROM r) "
                        + "SELECT * FROM i, n)) AS total",
                null);
        assertThat(nested.status()).as(nested.toString()).isEqualTo(200);
        assertThat(nested.json().get("rows").get(0).get(0).asLong()).isEqualTo(2 * acmeRuns);
        // a WITH on a set operation is in scope on both sides
        HttpJson.Response union = sql(
                "acme",
                "WITH x AS (SELECT count(*) AS c FROM runs) SELECT c FROM x UNION ALL SELECT * FROM (SELECT c FROM x)",
                null);
        assertThat(union.status()).as(union.toString()).isEqualTo(200);
        assertThat(union.json().get("rows").size()).isEqualTo(2);
        // a recursive CTE reads itself in its recursive term, even through a subquery
        HttpJson.Response recursive = sql(
                "acme",
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < (SELECT count(*) FROM runs) "
                        + "AND i IN (SELECT i FROM n)) SELECT count(*) FROM n",
                null);
        assertThat(recursive.status()).as(recursive.toString()).isEqualTo(200);
        assertThat(recursive.json().get("rows").get(0).get(0).asLong()).isEqualTo(acmeRuns);
        // a CTE named like a view reads the view (the tenant's rows, not the table's), shadowing it outside
        assertThat(sqlCount("acme", "WITH runs AS (SELECT * FROM runs) SELECT count(*) FROM runs"))
                .isEqualTo(acmeRuns);
    }

    @Test
    void operatorSqlThatDoesNotBindIsTheCallersError() {
        HttpJson.Response column = sql("acme", "SELECT no_such_column FROM events", null);
        assertThat(column.status()).as(column.toString()).isEqualTo(400);
        assertThat(column.problemType()).isEqualTo("sql-invalid");
        assertThat(column.json().get("detail").asString()).contains("no_such_column");
        HttpJson.Response snapshot = sql("acme", "SELECT count(*) FROM events", 999_999_999L);
        assertThat(snapshot.status()).as(snapshot.toString()).isEqualTo(400);
        assertThat(snapshot.problemType()).isEqualTo("invalid-parameter");
        assertThat(snapshot.json().get("parameter").asString()).isEqualTo("version");
    }

    @Test
    void operatorSqlStopsAtTheRowLimitAndTheTimeout() {
        JsonNode limited = sql("acme", "SELECT * FROM events", null).json();
        assertThat(limited.get("rows").size()).isEqualTo(50);
        assertThat(limited.get("truncated").asBoolean()).isTrue();
        HttpJson.Response slow = sql(
                "acme", "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r", null);
        assertThat(slow.status()).as(slow.toString()).isEqualTo(422);
        assertThat(slow.problemType()).isEqualTo("sql-timeout");
    }

    @Test
    void travelsInTimeToAnEarlierSnapshot() {
        long firstWaveEvents = firstWave.stream()
                .filter(r -> r.tenant().equals("acme"))
                .mapToLong(r -> r.events().size())
                .sum();
        assertThat(sql("acme", "SELECT count(*) FROM events", snapshotAfterFirstWave)
                        .json()
                        .get("rows")
                        .get(0)
                        .get(0)
                        .asLong())
                .isEqualTo(firstWaveEvents);
        assertThat(sqlCount("acme", "SELECT count(*) FROM events")).isGreaterThan(firstWaveEvents);
        RunScenarios.Run late = secondWave.getFirst();
        assertThat(api.get("/api/v1/memory/runs/" + late.runId() + "/timeline?tenant=" + late.tenant() + "&version="
                                + snapshotAfterFirstWave)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void exportsATimeRangeAsParquet() throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                        + "/api/v1/memory/export?tenant=acme&table=model_calls"
                                        + "&from=2026-11-01T00:00:00Z&to=2026-12-31T00:00:00Z"))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new String(r.body(), 0, 4)).isEqualTo("PAR1");
        long acmeModelCalls = all().stream()
                .filter(run -> run.tenant().equals("acme"))
                .flatMap(run -> run.events().stream())
                .filter(e -> e instanceof AgentEvent.ModelCallCompleted)
                .count();
        assertThat(r.headers().firstValue("X-Rows")).hasValue(Long.toString(acmeModelCalls));
    }

    @Test
    void rebuildsFromTheLogOverHttp() throws Exception {
        HttpJson.Response r = api.post("/api/v1/memory:rebuild", Map.of());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("kind").asString()).isEqualTo("ProjectionRebuilt");
        assertThat(r.json().get("events").asLong()).isEqualTo(log.size());
    }
}
