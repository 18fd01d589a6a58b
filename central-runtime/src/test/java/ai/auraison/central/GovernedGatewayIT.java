package ai.auraison.central;

import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.auraison.testfixtures.HttpJson;
import ai.auraison.testfixtures.PostgresFixture;
import ai.auraison.testfixtures.TestDatabase;
import ai.auraison.testfixtures.models.ScriptedModelServer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The model gateway behind governance: callers authenticate with governance keys, calls are billed to the caller's
 * tenant, reserved against its budget before they go out and settled after, and refused once the budget is spent.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "auraison.governance.bootstrap-admin-key=" + GovernedGatewayIT.ROOT_KEY,
            // every trace sampled, so that each call's span can be checked
            "management.tracing.sampling.probability=1.0"
        })
@Import(GovernedGatewayIT.Spans.class)
class GovernedGatewayIT {

    /** The spans the app finishes, kept in memory (OpenTelemetry's own testing exporter). */
    @TestConfiguration(proxyBeanMethods = false)
    static class Spans {
        @Bean
        InMemorySpanExporter inMemorySpans() {
            return InMemorySpanExporter.create();
        }
    }

    @Autowired
    InMemorySpanExporter spans;

    static final String ROOT_KEY = "governed-gateway-root-key-0123456789";
    static final TestDatabase DB = PostgresFixture.newDatabase("governed_gateway_it");
    static final ScriptedModelServer UPSTREAM = ScriptedModelServer.start();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        registry.add("spring.datasource.url", DB::jdbcUrl);
        registry.add("spring.datasource.username", DB::username);
        registry.add("spring.datasource.password", DB::password);
        String dataDir = Files.createTempDirectory("governed-gateway-it").toString();
        registry.add("auraison.data-dir", () -> dataDir);
        registry.add("auraison.gateway.providers.oa.kind", () -> "OPENAI");
        registry.add("auraison.gateway.providers.oa.base-url", () -> UPSTREAM.baseUrl() + "/v1");
        registry.add("auraison.gateway.providers.oa.api-key", () -> "sk-upstream");
        // a dollar per token, so that costs are easy to read
        registry.add("auraison.gateway.deployments.gpt.provider", () -> "oa");
        registry.add("auraison.gateway.deployments.gpt.model", () -> "gpt-4o-mini");
        registry.add("auraison.gateway.deployments.gpt.input-price-per-million", () -> "1000000");
        registry.add("auraison.gateway.deployments.gpt.output-price-per-million", () -> "1000000");
    }

    @AfterAll
    static void stop() {
        UPSTREAM.close();
    }

    @LocalServerPort
    int port;

    HttpJson api;
    String admin;
    String app;

    private static String[] bearer(String key) {
        return new String[] {"Authorization", "Bearer " + key};
    }

    @BeforeEach
    void tenant() {
        api = HttpJson.local(port);
        String tenant = "gw-" + UUID.randomUUID().toString().substring(0, 8);
        admin = api.post("/api/v1/tenants", Map.of("tenant", tenant), bearer(ROOT_KEY))
                .json()
                .at("/admin/key")
                .asString();
        api.post(
                "/api/v1/principals",
                Map.of("principal", "app-1", "kind", "application", "roles", List.of("app")),
                bearer(admin));
        app = api.post("/api/v1/principals/app-1/keys", "{}", bearer(admin))
                .json()
                .get("key")
                .asString();
    }

    private HttpJson.Response chat(String key) {
        Map<String, Object> body =
                Map.of("model", "gpt", "max_tokens", 10, "messages", List.of(Map.of("role", "user", "content", "hi")));
        return key == null
                ? api.post("/v1/chat/completions", body)
                : api.post("/v1/chat/completions", body, bearer(key));
    }

    @Test
    void needsAGovernanceKeyWithAModelCallingRole() {
        assertThat(chat(null).status()).isEqualTo(401);
        assertThat(chat("ak_unknown0_nope").status()).isEqualTo(401);
        api.post(
                "/api/v1/principals",
                Map.of("principal", "viewer", "kind", "operator", "roles", List.of("viewer")),
                bearer(admin));
        String viewer = api.post("/api/v1/principals/viewer/keys", "{}", bearer(admin))
                .json()
                .get("key")
                .asString();
        assertThat(chat(viewer).status()).isEqualTo(403);
        HttpJson.Response ok = chat(app);
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
    }

    @Test
    void eachModelCallIsAnOpenTelemetrySpanWithTheGenAiAttributes() {
        HttpJson.Response ok = chat(app);
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        String callId = ok.header("cf-aig-log-id");
        SpanData span = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> spans.getFinishedSpanItems().stream()
                                .filter(x ->
                                        callId.equals(x.getAttributes().get(stringKey("auraison.gateway.call_id"))))
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow();
        assertThat(span.getName()).isEqualTo("chat gpt");
        var attributes = span.getAttributes();
        assertThat(attributes.get(stringKey("gen_ai.operation.name"))).isEqualTo("chat");
        assertThat(attributes.get(stringKey("gen_ai.request.model"))).isEqualTo("gpt");
        assertThat(attributes.get(stringKey("gen_ai.response.model"))).isEqualTo("gpt-4o-mini");
        assertThat(attributes.get(stringKey("gen_ai.provider.name"))).isEqualTo("oa");
        assertThat(attributes.get(stringKey("gen_ai.usage.input_tokens")))
                .isEqualTo(Long.toString(ScriptedModelServer.TOKENS_IN));
        // inside the trace of the HTTP request that carried it (the request's span ends, and is exported, after)
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(spans.getFinishedSpanItems()).anySatisfy(x -> {
                    assertThat(x.getTraceId()).isEqualTo(span.getTraceId());
                    assertThat(x.getSpanId()).isEqualTo(span.getParentSpanId());
                }));
    }

    @Test
    void billsTheCallersTenantAndRefusesCallsOnceItsBudgetIsSpent() {
        api.post(
                "/api/v1/budgets",
                Map.of("name", "models", "scope", "tenant", "period", "month", "limitUsd", 1000),
                bearer(admin));
        HttpJson.Response first = chat(app);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);

        HttpJson.Response budget = api.get("/api/v1/budgets/models", bearer(admin));
        long tokens = budget.json().get("spentTokens").asLong();
        assertThat(tokens).isEqualTo(ScriptedModelServer.TOKENS_IN + ScriptedModelServer.TOKENS_OUT_TEXT);
        assertThat(budget.json().get("spentUsd").decimalValue()).isEqualByComparingTo(Long.toString(tokens));
        assertThat(budget.json().get("reservedUsd").decimalValue()).isEqualByComparingTo("0");
        HttpJson.Response usage = api.get("/api/v1/usage", bearer(admin));
        assertThat(usage.json().at("/items/0/calls").asLong()).isEqualTo(1);
        assertThat(usage.json().at("/items/0/tokensIn").asLong()).isEqualTo(ScriptedModelServer.TOKENS_IN);

        // leave less than the next call's estimate (its max_tokens alone is $10)
        api.put("/api/v1/budgets/models", Map.of("limitUsd", tokens + 5), bearer(admin));
        HttpJson.Response refused = chat(app);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.text()).contains("budget.models");
        assertThat(api.get("/api/v1/budgets/models", bearer(admin))
                        .json()
                        .get("spentUsd")
                        .decimalValue())
                .isEqualByComparingTo(Long.toString(tokens));
    }
}
