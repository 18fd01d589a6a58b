package ai.auraison.execution.gateway;

import static ai.auraison.execution.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import ai.auraison.testfixtures.models.ScriptedModelServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The edge's gateway: forwards to central while it answers, falls back to the edge's own providers when not. */
class EdgeForwardingIT {

    static Map<String, Object> local(ScriptedModelServer upstream, String deployment, String model) {
        return Map.of(
                "auraison.gateway.providers.local.kind",
                "OPENAI",
                "auraison.gateway.providers.local.base-url",
                upstream.baseUrl() + "/v1",
                "auraison.gateway.deployments." + deployment + ".provider",
                "local",
                "auraison.gateway.deployments." + deployment + ".model",
                model,
                "auraison.gateway.routes.chat",
                deployment);
    }

    @Test
    void forwardsToCentralThenServesLocallyAndRecordsForReconciliationWhenCentralIsGone() throws Exception {
        Path log = Files.createTempDirectory("edge-gateway").resolve("reconciliation.jsonl");
        try (ScriptedModelServer upstream = ScriptedModelServer.start()) {
            TestGateway central = TestGateway.start(upstream, local(upstream, "central-gpt", "central-model"), false);
            var edgeProperties = new java.util.HashMap<String, Object>(local(upstream, "robot-llm", "robot-model"));
            edgeProperties.put(
                    "auraison.gateway.edge.central-url", central.base().toString());
            edgeProperties.put("auraison.gateway.edge.central-api-key", "sk-edge");
            edgeProperties.put("auraison.gateway.edge.central-timeout", "2s");
            edgeProperties.put("auraison.gateway.edge.reconciliation-log", log.toString());
            try (TestGateway edge = TestGateway.start(upstream, edgeProperties, false)) {
                String ask = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
                String run = java.util.UUID.randomUUID().toString();
                HttpResponse<String> viaCentral = edge.post("/v1/chat/completions", ask, "x-auraison-run-id", run);
                assertThat(json(viaCentral.body())
                                .at("/choices/0/message/content")
                                .asString())
                        .isEqualTo("Hello from central-model.");
                ModelCallRecord forwarded = edge.record(viaCentral);
                assertThat(forwarded.provider()).isEqualTo("central");
                assertThat(forwarded.degraded()).isFalse();
                // central saw the run id and accounted the call itself
                ModelCallRecord atCentral = central.sink().records.getLast();
                assertThat(atCentral.runId().toString()).isEqualTo(run);
                assertThat(atCentral.deployment()).isEqualTo("central-gpt");

                // a streamed call through central is still accounted at the edge: usage is asked for on its behalf
                HttpResponse<String> streamedViaCentral = edge.post(
                        "/v1/chat/completions",
                        "{\"model\":\"chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
                assertThat(streamedViaCentral.body())
                        .doesNotContain("\"usage\"")
                        .endsWith("data: [DONE]\n\n");
                assertThat(edge.record(streamedViaCentral).tokensOut()).isEqualTo(5);

                central.close();

                HttpResponse<String> local = edge.post("/v1/chat/completions", ask);
                assertThat(local.statusCode()).as(local.body()).isEqualTo(200);
                assertThat(json(local.body()).at("/choices/0/message/content").asString())
                        .isEqualTo("Hello from robot-model.");
                ModelCallRecord degraded = edge.record(local);
                assertThat(degraded.degraded()).isTrue();
                assertThat(degraded.fallbackUsed()).isTrue();
                assertThat(degraded.deployment()).isEqualTo("robot-llm");

                HttpResponse<String> streamed = edge.post(
                        "/v1/messages",
                        "{\"model\":\"chat\",\"max_tokens\":8,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
                assertThat(streamed.body())
                        .contains("\"text\":\"from robot-model.\"")
                        .contains("event: message_stop");
                edge.record(streamed);

                List<String> lines = Files.readAllLines(log);
                assertThat(lines).hasSize(2);
                assertThat(json(lines.get(0)).get("callId").asString())
                        .isEqualTo(degraded.callId().toString());
                assertThat(json(lines.get(0)).get("degraded").asBoolean()).isTrue();
            }
        }
    }

    @Test
    void refusesAModelNeitherCentralNorTheEdgeCanServe() throws Exception {
        try (ScriptedModelServer upstream = ScriptedModelServer.start();
                TestGateway edge = TestGateway.start(
                        upstream,
                        Map.of(
                                "auraison.gateway.edge.central-url",
                                "http://127.0.0.1:1",
                                "auraison.gateway.edge.reconciliation-log",
                                Files.createTempDirectory("edge-gateway")
                                        .resolve("r.jsonl")
                                        .toString()),
                        false)) {
            HttpResponse<String> r = edge.post(
                    "/v1/chat/completions",
                    "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            OpenAiEndpointIT.assertError(r, 502, "server_error");
            assertThat(json(r.body()).at("/error/message").asString()).contains("could not be reached");
        }
    }
}
