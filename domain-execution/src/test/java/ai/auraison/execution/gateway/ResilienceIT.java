package ai.auraison.execution.gateway;

import static ai.auraison.execution.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.auraison.testfixtures.models.Fault;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Timeouts, retries, fallback, circuit breakers and broken streams, with faults injected upstream. */
class ResilienceIT {

    final TestGateway gateway = TestGateway.shared();

    static String ask(String model, String text, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\""
                + text + "\"}]}";
    }

    @Test
    void retriesA500AndFallsBackToTheNextDeployment() {
        gateway.upstream.script("flaky-model", Fault.status(500), Fault.status(503));
        HttpResponse<String> r = gateway.post("/v1/chat/completions", ask("resilient", "hi", false));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r.body()).at("/choices/0/message/content").asString()).isEqualTo("Hello from backup-model.");
        assertThat(r.headers().firstValue("cf-aig-step")).hasValue("1");
        ModelCallRecord record = gateway.record(r);
        assertThat(record.retries()).isEqualTo(2);
        assertThat(record.fallbackUsed()).isTrue();
        assertThat(record.deployment()).isEqualTo("backup");
    }

    @Test
    void retriesThe429AfterItsRetryAfterAndSucceeds() {
        gateway.upstream.script("patient-model", new Fault.RateLimited(1));
        long start = System.nanoTime();
        HttpResponse<String> r = gateway.post("/v1/chat/completions", ask("patient", "hi", false));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r.body()).at("/choices/0/message/content").asString()).isEqualTo("Hello from patient-model.");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(gateway.record(r).retries()).isEqualTo(1);
    }

    @Test
    void answersA429WithRetryAfterInTheCallersFormatWhenEveryDeploymentIsLimited() {
        gateway.upstream.script("limited-model", new Fault.RateLimited(30), new Fault.RateLimited(30));
        HttpResponse<String> openai = gateway.post("/v1/chat/completions", ask("limited", "hi", false));
        assertThat(openai.statusCode()).isEqualTo(429);
        assertThat(openai.headers().firstValue("retry-after")).hasValue("30");
        assertThat(json(openai.body()).at("/error/type").asString()).isEqualTo("rate_limit_error");
        // a retry-after beyond the longest retry delay is not waited for: one attempt only
        assertThat(gateway.record(openai).retries()).isZero();

        gateway.upstream.script("limited-model", new Fault.RateLimited(30));
        HttpResponse<String> anthropic = gateway.post(
                "/v1/messages",
                "{\"model\":\"limited\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(anthropic.statusCode()).isEqualTo(429);
        assertThat(anthropic.headers().firstValue("retry-after")).hasValue("30");
        JsonNode body = json(anthropic.body());
        assertThat(body.get("type").asString()).isEqualTo("error");
        assertThat(body.at("/error/type").asString()).isEqualTo("rate_limit_error");
    }

    @Test
    void fallsBackWhenTheFirstDeploymentTimesOut() {
        gateway.upstream.script(
                "sluggish-model",
                new Fault.SlowHeaders(Duration.ofSeconds(3)),
                new Fault.SlowHeaders(Duration.ofSeconds(3)));
        long start = System.nanoTime();
        HttpResponse<String> r = gateway.post("/v1/chat/completions", ask("timeouts", "hi", false));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r.body()).at("/choices/0/message/content").asString()).isEqualTo("Hello from backup-model.");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void honoursTheCallersRequestTimeoutAndAttemptsHeaders() {
        gateway.upstream.script("slow-model", new Fault.SlowHeaders(Duration.ofMillis(600)));
        HttpResponse<String> r = gateway.post(
                "/v1/chat/completions",
                ask("slow", "hi", false),
                "cf-aig-request-timeout",
                "200",
                "cf-aig-max-attempts",
                "1");
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(json(r.body()).at("/error/type").asString()).isEqualTo("timeout");
        assertThat(gateway.record(r).retries()).isZero();
    }

    @Test
    void opensTheCircuitOfAFailingDeploymentAndStopsCallingIt() {
        for (int i = 0; i < 2; i++) {
            gateway.upstream.script("brittle-model", Fault.status(500), Fault.status(500));
            HttpResponse<String> r = gateway.post("/v1/chat/completions", ask("fragile", "hi", false));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(json(r.body()).at("/choices/0/message/content").asString())
                    .isEqualTo("Hello from spare-model.");
        }
        int before = gateway.upstream.requestCount("brittle-model");
        HttpResponse<String> r = gateway.post("/v1/chat/completions", ask("fragile", "hi", false));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r.body()).at("/choices/0/message/content").asString()).isEqualTo("Hello from spare-model.");
        assertThat(gateway.upstream.requestCount("brittle-model")).isEqualTo(before);
        assertThat(gateway.record(r).fallbackUsed()).isTrue();
    }

    @Test
    void endsABrokenStreamWithAnErrorEventInsteadOfHanging() {
        HttpResponse<String> openai = gateway.post("/v1/chat/completions", ask("streamer", "BREAK_STREAM", true));
        List<String> frames = OpenAiEndpointIT.dataFrames(openai.body());
        assertThat(frames).last().isEqualTo("[DONE]");
        assertThat(json(frames.get(frames.size() - 2)).at("/error/message").asString())
                .contains("stream");
        ModelCallRecord record = gateway.record(openai);
        assertThat(record.outcome()).isEqualTo("error");

        HttpResponse<String> anthropic = gateway.post(
                "/v1/messages",
                "{\"model\":\"streamer-an\",\"max_tokens\":10,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"BREAK_STREAM\"}]}");
        assertThat(anthropic.body()).startsWith("event: message_start");
        assertThat(anthropic.body())
                .contains("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\"");
    }

    @Test
    void cutsOffAStreamThatGoesSilentWithATimeoutEvent() {
        long start = System.nanoTime();
        HttpResponse<String> r = gateway.post("/v1/chat/completions", ask("streamer", "HANG_STREAM", true));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        List<String> frames = OpenAiEndpointIT.dataFrames(r.body());
        assertThat(json(frames.get(frames.size() - 2)).at("/error/type").asString())
                .isEqualTo("timeout");
        assertThat(gateway.record(r).errorType()).isEqualTo("upstream_stream_idle");
    }

    @Test
    void cancelsTheUpstreamStreamWhenTheCallerDisconnects() throws IOException {
        int before = gateway.upstream.clientDisconnects();
        HttpResponse<InputStream> r =
                gateway.postStreaming("/v1/chat/completions", ask("streamer", "SLOW_STREAM", true));
        try (InputStream in = r.body()) {
            byte[] first = in.readNBytes(200);
            assertThat(new String(first, StandardCharsets.UTF_8)).startsWith("data: ");
        }
        ModelCallRecord record = gateway.record(r);
        assertThat(record.outcome()).isEqualTo("client_disconnected");
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.upstream.clientDisconnects() > before);
    }

    @Test
    void passesStreamedChunksOnAsTheyArrive() throws IOException {
        HttpResponse<InputStream> r =
                gateway.postStreaming("/v1/chat/completions", ask("streamer", "SLOW_STREAM", true));
        long start = System.nanoTime();
        try (InputStream in = r.body()) {
            String text = "";
            while (!text.contains("tick 1 ")) text += new String(in.readNBytes(1), StandardCharsets.UTF_8);
            // 20 ticks 100 ms apart: the second arrives long before the stream ends
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1200));
        }
    }
}
