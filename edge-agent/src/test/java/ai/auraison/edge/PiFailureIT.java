package ai.auraison.edge;

import static ai.auraison.testfixtures.ContractFixtures.anIntent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** A Pi process that crashes or hangs fails only its run, with a clear reason, and the pool replaces it. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "auraison.edge.demo-model.enabled=true",
            "auraison.edge.agents[0].id=turtlebot-maze.edge-fail",
            "auraison.edge.agents[0].application=turtlebot-maze",
            "auraison.edge.agents[0].pool-size=1",
            "auraison.edge.pi.stall-timeout=3s",
            "auraison.edge.pi.acquire-timeout=60s"
        })
class PiFailureIT extends EdgeITBase {

    @BeforeAll
    static void pi() {
        requirePi();
    }

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws Exception {
        String dir = Files.createTempDirectory("edge-fail-it").toString();
        registry.add("auraison.data-dir", () -> dir);
    }

    private JsonNode pool() {
        return api.get("/api/v1/agents").json().get(0).get("pool");
    }

    private long busyPid(String runId) {
        await().atMost(Duration.ofSeconds(60)).until(() -> kinds(runId).contains("ToolCallCompleted"));
        return pool().get("pids").get(0).asLong();
    }

    private String longRun() {
        var r = submit(anIntent()
                .targeting("turtlebot-maze.edge-fail")
                .withParams(Map.of("maze", "seed-5-24x24"))
                .build());
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        return r.json().get("runId").asString();
    }

    private void signal(long pid, String signal) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                        .start()
                        .waitFor())
                .isZero();
    }

    @Test
    void aCrashedPiFailsItsRunAndIsReplaced() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> pool().get("warm").asInt() == 1);
        long restarts = pool().get("restarts").asLong();
        String runId = longRun();
        long pid = busyPid(runId);
        signal(pid, "KILL");
        JsonNode state = finished(runId, Duration.ofSeconds(30));
        assertThat(state.get("status").asString()).isEqualTo("failed");
        assertThat(state.get("failure").get("code").asString()).isEqualTo("harness.crashed");
        assertThat(state.get("failure").get("message").asString()).contains("exited");
        await().atMost(Duration.ofSeconds(60)).until(() -> pool().get("warm").asInt() == 1);
        assertThat(pool().get("restarts").asLong()).isEqualTo(restarts + 1);
        assertThat(pool().get("pids").get(0).asLong()).isNotEqualTo(pid);
    }

    @Test
    void anIdleProcessKilledJustBeforeAnIntentDoesNotFailTheRun() throws Exception {
        // a warm process that dies while idle (OOM killer, an operator) is not the next run's fault: the run takes
        // the replacement; the stale exit of the dead process must not fail the run on its new process either
        for (int round = 0; round < 5; round++) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> pool().get("warm").asInt() == 1);
            long pid = pool().get("pids").get(0).asLong();
            // SIGKILL without spawning a kill(1): the intent follows within a millisecond, before the pool has
            // seen the exit
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly))
                    .contains(true);
            var r = submit(anIntent()
                    .targeting("turtlebot-maze.edge-fail")
                    .withParams(Map.of("maze", "small-4x4"))
                    .build());
            assertThat(r.status()).as(r.toString()).isEqualTo(202);
            JsonNode state = finished(r.json().get("runId").asString(), Duration.ofSeconds(120));
            assertThat(state.get("status").asString()).as(state.toString()).isEqualTo("succeeded");
        }
    }

    @Test
    void aHungPiIsKilledFailsItsRunAndIsReplaced() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> pool().get("warm").asInt() == 1);
        long restarts = pool().get("restarts").asLong();
        String runId = longRun();
        long pid = busyPid(runId);
        signal(pid, "STOP");
        JsonNode state = finished(runId, Duration.ofSeconds(40));
        assertThat(state.get("failure").get("code").asString()).isEqualTo("harness.hung");
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .isFalse();
        await().atMost(Duration.ofSeconds(60)).until(() -> pool().get("warm").asInt() == 1);
        assertThat(pool().get("restarts").asLong()).isEqualTo(restarts + 1);
        // the next run works on the replacement
        var next = submit(anIntent()
                .targeting("turtlebot-maze.edge-fail")
                .withParams(Map.of("maze", "small-4x4"))
                .build());
        assertThat(finished(next.json().get("runId").asString(), Duration.ofSeconds(120))
                        .get("status")
                        .asString())
                .isEqualTo("succeeded");
    }
}
