package ai.auraison.orchestration;

import static ai.auraison.testfixtures.ContractFixtures.anIntent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.auraison.contract.ContractJson;
import ai.auraison.testfixtures.HttpJson;
import ai.auraison.testfixtures.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** SYS-002: a slow or failing agent cannot block admission or other agents; a database outage is a fast 503. */
class FailureIsolationIT extends OrchestrationITBase {

    @Test
    void anAgentHoggingItsCallsBlocksNeitherAdmissionNorOtherAgents() throws Exception {
        String hog = newMazeAgent();
        String other = newMazeAgent();
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<CompletableFuture<HttpJson.Response>> hogging = new ArrayList<>();
        // six long polls fill the hog's bulkhead (agent-concurrency=6) for five seconds
        for (int i = 0; i < 6; i++) {
            hogging.add(CompletableFuture.supplyAsync(
                    () -> api.post("/api/v1/agents/" + hog + "/work:poll", Map.of("waitSeconds", 5)), pool));
        }
        await().atMost(Duration.ofSeconds(3))
                .until(() ->
                        api.post("/api/v1/agents/" + hog + "/heartbeat", "{}").status() == 429);
        HttpJson.Response refused = api.post("/api/v1/agents/" + hog + "/work:poll", Map.of("waitSeconds", 5));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.problemType()).isEqualTo("agent-busy");
        assertThat(refused.header("Retry-After")).isEqualTo("1");

        long started = System.nanoTime();
        HttpJson.Response admitted = submit(anIntent().targeting(other).build());
        assertThat(admitted.status()).isEqualTo(202);
        assertThat(poll(other, 1, 5)).hasSize(1);
        assertThat(api.post("/api/v1/agents/" + other + "/heartbeat", "{}").status())
                .isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(hogging.stream().filter(f -> !f.isDone()).count()).isPositive();
        for (var f : hogging) assertThat(f.get().status()).isEqualTo(200);
        pool.shutdown();
    }

    @Test
    void answers503QuicklyWhenPostgresIsUnreachableAndRecoversNothingLost() throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
        TestDatabase own = new TestDatabase("postgres", pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
        try (ConfigurableApplicationContext app = OrchestrationTestApp.start(
                own,
                Files.createTempDirectory("outage"),
                "spring.datasource.hikari.connection-timeout=1500",
                "spring.datasource.hikari.validation-timeout=500")) {
            HttpJson central = HttpJson.local(OrchestrationTestApp.port(app));
            assertThat(central.post(
                                    "/api/v1/agents",
                                    Map.of(
                                            "agentId",
                                            "turtlebot-maze.outage",
                                            "application",
                                            "turtlebot-maze",
                                            "edgeNode",
                                            "e",
                                            "skills",
                                            List.of("maze-navigation"),
                                            "capacity",
                                            1))
                            .status())
                    .isEqualTo(201);
            pg.close();

            long started = System.nanoTime();
            HttpJson.Response r = central.post(
                    "/api/v1/intents",
                    ContractJson.write(
                            anIntent().targeting("turtlebot-maze.outage").build()));
            assertThat(r.status()).as(r.toString()).isEqualTo(503);
            assertThat(r.problemType()).isEqualTo("database-unavailable");
            assertThat(r.header("Retry-After")).isEqualTo("5");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            HttpJson.Response list = central.get("/api/v1/runs");
            assertThat(list.status()).isEqualTo(503);
        }
    }
}
