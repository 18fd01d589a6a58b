package ai.auraison.execution.gateway;

import static ai.auraison.execution.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.auraison.contract.AgentEvent;
import ai.auraison.contract.ContractJson;
import ai.auraison.contract.ContractType;
import ai.auraison.contract.ContractValidator;
import ai.auraison.contract.EventId;
import ai.auraison.contract.RunId;
import ai.auraison.contract.spi.PolicyDecision;
import ai.auraison.testfixtures.models.RecordedRequest;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Cache, Cloudflare headers, keys, rate limits, budget hooks, selection, accounting and tracing. */
class GatewayFeaturesIT {

    final TestGateway gateway = TestGateway.shared();

    static String ask(String model, String text, boolean stream) {
        return ResilienceIT.ask(model, text, stream);
    }

    @Test
    void cachesAnswersPerTenantForTheTtlTheCallerAsks() {
        String body = ask("chat", "cache me " + UUID.randomUUID(), false);
        HttpResponse<String> first = gateway.post("/v1/chat/completions", body, "cf-aig-cache-ttl", "60");
        HttpResponse<String> second = gateway.post("/v1/chat/completions", body, "cf-aig-cache-ttl", "60");
        assertThat(first.headers().firstValue("cf-aig-cache-status")).hasValue("MISS");
        assertThat(second.headers().firstValue("cf-aig-cache-status")).hasValue("HIT");
        assertThat(second.body()).isEqualTo(first.body());
        ModelCallRecord hit = gateway.record(second);
        assertThat(hit.cacheHit()).isTrue();
        assertThat(hit.costUsd()).isZero();
        assertThat(hit.tokensOut()).isEqualTo(5);
        // another tenant does not see it; skipping bypasses it; no TTL, no caching
        assertThat(gateway.post(
                                "/v1/chat/completions",
                                body,
                                "cf-aig-cache-ttl",
                                "60",
                                "authorization",
                                "Bearer sk-acme")
                        .headers()
                        .firstValue("cf-aig-cache-status"))
                .hasValue("MISS");
        assertThat(gateway.post("/v1/chat/completions", body, "cf-aig-cache-ttl", "60", "cf-aig-skip-cache", "true")
                        .headers()
                        .firstValue("cf-aig-cache-status"))
                .hasValue("MISS");
        assertThat(gateway.post("/v1/chat/completions", body).headers().firstValue("cf-aig-cache-status"))
                .hasValue("MISS");
    }

    @Test
    void cachesStreamsAndReplaysThemWhole() {
        String body = ask("chat", "stream cache " + UUID.randomUUID(), true);
        HttpResponse<String> first = gateway.post("/v1/chat/completions", body, "cf-aig-cache-ttl", "60");
        int upstreamCalls = gateway.upstream.requestCount("gpt-4o-mini");
        HttpResponse<String> second = gateway.post("/v1/chat/completions", body, "cf-aig-cache-ttl", "60");
        assertThat(second.headers().firstValue("cf-aig-cache-status")).hasValue("HIT");
        assertThat(second.headers().firstValue("content-type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/event-stream"));
        assertThat(second.body()).isEqualTo(first.body()).endsWith("data: [DONE]\n\n");
        assertThat(gateway.upstream.requestCount("gpt-4o-mini")).isEqualTo(upstreamCalls);
    }

    @Test
    void setsCloudflareHeadersFromItsRoutingDecisions() {
        UUID run = UUID.randomUUID();
        HttpResponse<String> r = gateway.post(
                "/v1/messages",
                "{\"model\":\"cf-llama\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "x-auraison-run-id",
                run.toString(),
                "cf-aig-metadata",
                "{\"user\":\"u1\",\"test\":true}",
                "cf-aig-custom-cost",
                "{\"per_token_in\":0.001,\"per_token_out\":0.002}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r.body()).at("/content/0/text").asString())
                .isEqualTo("Hello from workers-ai/@cf/meta/llama-3.1-8b-instruct.");
        RecordedRequest sent = gateway.upstream.lastRequest("workers-ai/@cf/meta/llama-3.1-8b-instruct");
        assertThat(sent.path()).isEqualTo("/v1/acct/gw/compat/chat/completions");
        assertThat(sent.header("cf-aig-authorization")).isEqualTo("Bearer cf-gateway-token");
        assertThat(sent.header("authorization")).isEqualTo("Bearer sk-upstream-via-cf");
        assertThat(sent.header("cf-aig-request-timeout")).isEqualTo("1000");
        assertThat(sent.header("cf-aig-max-attempts")).isEqualTo("1");
        var metadata = json(sent.header("cf-aig-metadata"));
        assertThat(metadata.get("tenant").asString()).isEqualTo("default");
        assertThat(metadata.get("run").asString()).isEqualTo(run.toString());
        assertThat(metadata.get("user").asString()).isEqualTo("u1");
        ModelCallRecord record = gateway.record(r);
        assertThat(record.runId()).isEqualTo(new RunId(run));
        assertThat(record.metadata()).containsEntry("user", "u1").containsEntry("test", "true");
        // custom cost: 12 × 0.001 + 5 × 0.002
        assertThat(record.costUsd()).isEqualByComparingTo("0.022");
    }

    @Test
    void turnsARecordWithARunIntoAValidModelCallCompletedEvent() {
        UUID run = UUID.randomUUID();
        HttpResponse<String> r =
                gateway.post("/v1/chat/completions", ask("chat", "hi", true), "x-auraison-run-id", run.toString());
        ModelCallRecord record = gateway.record(r);
        AgentEvent.ModelCallCompleted event = record.toEvent(EventId.random(), 7, Instant.now(), null);
        assertThat(event.runId().value()).isEqualTo(run);
        assertThat(event.virtualModel()).isEqualTo("chat");
        assertThat(event.model()).isEqualTo("gpt-4o-mini");
        assertThat(event.provider()).isEqualTo("oa");
        assertThat(event.ttftMs()).isNotNull();
        assertThat(ContractValidator.get().validate(ContractType.AGENT_EVENT, ContractJson.write(event)))
                .isEmpty();
    }

    @Test
    void refusesAMalformedRunIdAsTheCallersMistake() {
        HttpResponse<String> r =
                gateway.post("/v1/chat/completions", ask("chat", "hi", false), "x-auraison-run-id", "run-1");
        OpenAiEndpointIT.assertError(r, 400, "invalid_request_error");
    }

    @Test
    void limitsRequestsPerKeyWithRetryAfter() {
        String body = ask("chat", "hi", false);
        int ok = 0;
        HttpResponse<String> limited = null;
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = gateway.post("/v1/chat/completions", body, "authorization", "Bearer sk-tiny");
            if (r.statusCode() == 200) ok++;
            else limited = r;
        }
        assertThat(ok).isEqualTo(2);
        assertThat(limited).isNotNull();
        OpenAiEndpointIT.assertError(limited, 429, "rate_limit_error");
        assertThat(Long.parseLong(limited.headers().firstValue("retry-after").orElseThrow()))
                .isBetween(1L, 60L);
    }

    @Test
    void limitsTokensPerTenantOnceTheAnswersUsedThem() {
        String body = ask("chat", "hi", false);
        // 17 tokens per answer, 20 per minute: the second fits under the window, the third does not
        HttpResponse<String> first = gateway.post("/v1/chat/completions", body, "x-api-key", "sk-thrifty");
        gateway.record(first);
        HttpResponse<String> second = gateway.post("/v1/chat/completions", body, "x-api-key", "sk-thrifty");
        gateway.record(second);
        HttpResponse<String> third = gateway.post(
                "/v1/messages",
                "{\"model\":\"chat\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "x-api-key",
                "sk-thrifty");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);
        AnthropicEndpointIT.assertError(third, 429, "rate_limit_error");
        assertThat(third.headers().firstValue("retry-after")).isPresent();
    }

    @Test
    void reservesAndSettlesEachCallThroughThePolicyHooks() {
        HttpResponse<String> r = gateway.post("/v1/chat/completions", ask("chat", "hi", false));
        ModelCallRecord record = gateway.record(r);
        var seen = gateway.hook().forCall(record.callId());
        assertThat(seen).extracting(TestGateway.RecordingHook.Seen::phase).containsExactly("reserve", "settle");
        assertThat(seen.get(0).subject().estimatedTokensOut()).isEqualTo(1024);
        assertThat(seen.get(1).subject().estimatedTokensIn()).isEqualTo(12);
        assertThat(seen.get(1).subject().estimatedCostUsd()).isEqualByComparingTo(record.costUsd());
        assertThat(record.policyDecisions()).hasSize(1).first().isInstanceOf(PolicyDecision.Allow.class);
    }

    @Test
    void refusesACallThePolicyDeniesWith403() {
        int before = gateway.upstream.requestCount("gpt-4o-mini");
        HttpResponse<String> r = gateway.post("/v1/chat/completions", ask("budget-capped", "hi", false));
        OpenAiEndpointIT.assertError(r, 403, "permission_error");
        assertThat(json(r.body()).at("/error/message").asString()).contains("test-budget.cap");
        assertThat(gateway.upstream.requestCount("gpt-4o-mini")).isEqualTo(before);
        assertThat(gateway.record(r).outcome()).isEqualTo("rejected");
    }

    @Test
    void autoPicksTheCheapestCandidateAndRecordsWhy() {
        HttpResponse<String> cheap = gateway.post("/v1/chat/completions", ask("auto", "hi", false));
        assertThat(cheap.statusCode()).as(cheap.body()).isEqualTo(200);
        ModelCallRecord record = gateway.record(cheap);
        assertThat(record.deployment()).isEqualTo("cf-llama");
        assertThat(record.selectionReason()).startsWith("best by cost").contains("cf-llama");
        assertThat(cheap.headers().firstValue("x-auraison-selection-reason")).isPresent();

        HttpResponse<String> good =
                gateway.post("/v1/chat/completions", ask("auto", "hi", false), "x-auraison-min-quality", "0.8");
        assertThat(gateway.record(good).deployment()).isEqualTo("claude");
        HttpResponse<String> best =
                gateway.post("/v1/chat/completions", ask("auto", "hi", false), "x-auraison-optimize", "quality");
        assertThat(gateway.record(best).deployment()).isEqualTo("claude");
    }

    @Test
    void tracesEachCallWithGenAiAttributes() {
        HttpResponse<String> r = gateway.post("/v1/chat/completions", ask("chat", "hi", false));
        String id = gateway.record(r).callId().toString();
        Observation.Context context = await().atMost(Duration.ofSeconds(5))
                .until(
                        () -> gateway.observations().stream()
                                .filter(c -> id.equals(value(c, "auraison.gateway.call_id")))
                                .findFirst()
                                .orElse(null),
                        c -> c != null);
        assertThat(context.getContextualName()).isEqualTo("chat chat");
        assertThat(value(context, "gen_ai.operation.name")).isEqualTo("chat");
        assertThat(value(context, "gen_ai.request.model")).isEqualTo("chat");
        assertThat(value(context, "gen_ai.response.model")).isEqualTo("gpt-4o-mini");
        assertThat(value(context, "gen_ai.provider.name")).isEqualTo("oa");
        assertThat(value(context, "gen_ai.usage.input_tokens")).isEqualTo("12");
        assertThat(value(context, "gen_ai.usage.output_tokens")).isEqualTo("5");
    }

    private static String value(Observation.Context context, String key) {
        KeyValue kv = context.getLowCardinalityKeyValue(key);
        if (kv == null) kv = context.getHighCardinalityKeyValue(key);
        return kv == null ? null : kv.getValue();
    }
}
