package ai.auraison.orchestration;

import static ai.auraison.testfixtures.ContractFixtures.anIntent;
import static org.assertj.core.api.Assertions.assertThat;

import ai.auraison.contract.ContractJson;
import ai.auraison.testfixtures.HttpJson;
import ai.auraison.testfixtures.PostgresFixture;
import ai.auraison.testfixtures.TestDatabase;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** Two central replicas on one PostgreSQL share the queues safely. */
class ReplicasIT {

    static final TestDatabase DB = PostgresFixture.newDatabase("replicas_it");
    static ConfigurableApplicationContext one;
    static ConfigurableApplicationContext two;

    @BeforeAll
    static void start() throws Exception {
        one = OrchestrationTestApp.start(
                DB, Files.createTempDirectory("replica-1"), "auraison.orchestration.lease-timeout=60s");
        two = OrchestrationTestApp.start(
                DB, Files.createTempDirectory("replica-2"), "auraison.orchestration.lease-timeout=60s");
    }

    @AfterAll
    static void stop() {
        if (one != null) one.close();
        if (two != null) two.close();
    }

    @Test
    void leasesEachItemOnceUnderEightConcurrentPollersAcrossTwoReplicas() throws Exception {
        HttpJson a = HttpJson.local(OrchestrationTestApp.port(one));
        HttpJson b = HttpJson.local(OrchestrationTestApp.port(two));
        String agent = "turtlebot-maze.replicas";
        assertThat(a.post(
                                "/api/v1/agents",
                                Map.of(
                                        "agentId",
                                        agent,
                                        "application",
                                        "turtlebot-maze",
                                        "edgeNode",
                                        "edge-r",
                                        "skills",
                                        List.of("maze-navigation"),
                                        "capacity",
                                        8))
                        .status())
                .isEqualTo(201);
        int items = 200;
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            HttpJson via = i % 2 == 0 ? a : b;
            HttpJson.Response r = via.post(
                    "/api/v1/intents",
                    ContractJson.write(anIntent().targeting(agent).build()));
            assertThat(r.status()).as(r.toString()).isEqualTo(202);
            runs.add(r.json().get("runId").asString());
        }

        Map<String, Integer> leasedCount = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        AtomicInteger done = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pollers = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int p = 0; p < 8; p++) {
            HttpJson via = p % 2 == 0 ? a : b;
            futures.add(pollers.submit(() -> {
                go.await();
                while (done.get() < items) {
                    HttpJson.Response r =
                            via.post("/api/v1/agents/" + agent + "/work:poll", Map.of("max", 3, "waitSeconds", 1));
                    if (r.status() == 429) continue;
                    if (r.status() != 200) {
                        errors.add(r.toString());
                        return null;
                    }
                    for (JsonNode item : r.json().get("items")) {
                        String run = item.get("runId").asString();
                        leasedCount.merge(run, 1, Integer::sum);
                        HttpJson.Response c = via.post(
                                "/api/v1/agents/" + agent + "/work/" + run + ":complete",
                                Map.of("leaseId", item.get("leaseId").asString()));
                        if (c.status() != 204) errors.add("complete " + c);
                        done.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : futures) f.get();
        pollers.shutdown();

        assertThat(errors).isEmpty();
        assertThat(leasedCount.keySet()).containsExactlyInAnyOrderElementsOf(runs);
        assertThat(leasedCount.values()).containsOnly(1);
        assertThat(countDispatched()).isEqualTo(items);
    }

    private static long countDispatched() throws Exception {
        try (var c = DB.connect();
                var st = c.createStatement();
                var rs =
                        st.executeQuery("SELECT count(*) FROM orchestration.run_events WHERE kind = 'RunDispatched'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
