package ai.auraison.edge;

import ai.auraison.contract.ContractJson;
import ai.auraison.contract.Intent;
import ai.auraison.testfixtures.HttpJson;
import ai.auraison.testfixtures.Peers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Shared helpers for edge tests that run the real Pi CLI against the offline demo model. */
abstract class EdgeITBase {

    /** Pi must be installed (the build does it into edge-agent/node_modules). */
    static void requirePi() {
        Peers.require(
                Path.of("node_modules/@earendil-works/pi-coding-agent/dist/bundle/cli.js")
                        .toAbsolutePath(),
                "the Pi CLI in edge-agent/node_modules (installed by the edge-agent build)");
    }

    @LocalServerPort
    int port;

    HttpJson api;

    @BeforeEach
    void client() {
        api = HttpJson.local(port);
    }

    HttpJson.Response submit(Intent intent) {
        return api.post("/api/v1/intents", ContractJson.write(intent));
    }

    JsonNode run(String runId) {
        return api.get("/api/v1/runs/" + runId).json();
    }

    List<JsonNode> events(String runId) {
        List<JsonNode> out = new ArrayList<>();
        api.get("/api/v1/runs/" + runId + "/events?limit=1000")
                .json()
                .get("items")
                .forEach(out::add);
        return out;
    }

    List<String> kinds(String runId) {
        return events(runId).stream().map(e -> e.get("kind").asString()).toList();
    }

    /** Waits until the run has finished and returns its state. */
    JsonNode finished(String runId, Duration max) {
        return org.awaitility.Awaitility.await()
                .atMost(max)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> run(runId), r -> !r.path("finishedAt").isMissingNode());
    }
}
