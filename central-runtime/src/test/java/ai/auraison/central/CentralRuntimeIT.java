package ai.auraison.central;

import static org.assertj.core.api.Assertions.assertThat;

import ai.auraison.contract.ContractJson;
import ai.auraison.testfixtures.PostgresFixture;
import ai.auraison.testfixtures.TestDatabase;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** The central runtime against a real PostgreSQL, driven over HTTP with the bootstrap admin's key. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "auraison.governance.bootstrap-admin-key=" + CentralRuntimeIT.ADMIN_KEY)
class CentralRuntimeIT {

    static final String ADMIN_KEY = "central-it-admin-key-0123456789abcdef";

    static final TestDatabase DB = PostgresFixture.newDatabase();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        registry.add("spring.datasource.url", DB::jdbcUrl);
        registry.add("spring.datasource.username", DB::username);
        registry.add("spring.datasource.password", DB::password);
        Path dataDir = Files.createTempDirectory("central-it");
        registry.add("auraison.data-dir", dataDir::toString);
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder at(String path) {
        return anonymous(path).header("Authorization", "Bearer " + ADMIN_KEY);
    }

    private HttpRequest.Builder anonymous(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    }

    private HttpResponse<String> postJson(String path, String body) throws Exception {
        return send(
                at(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static JsonNode json(HttpResponse<String> response) {
        return ContractJson.tree(response.body());
    }

    private static void assertProblem(HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        JsonNode body = json(response);
        assertThat(body.get("type").asString()).isEqualTo("https://auraison.ai/problems/" + slug);
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("detail").asString()).isNotBlank();
    }

    private static String validIntent() throws Exception {
        return Files.readString(Path.of("../runtime-contract/src/test/resources/golden/intent/maze-solve.json"));
    }

    @Test
    void isHealthyOnARealPostgres() throws Exception {
        HttpResponse<String> health = send(at("/actuator/health"));
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json(health).get("status").asString()).isEqualTo("UP");
        assertThat(json(health).at("/components/db/details/database").asString())
                .isEqualTo("PostgreSQL");
    }

    @Test
    void answersEveryApiCallWithoutAKeyWith401ButHealthAndApiDocs() throws Exception {
        assertThat(send(anonymous("/actuator/health")).statusCode()).isEqualTo(200);
        assertThat(send(anonymous("/v3/api-docs")).statusCode()).isEqualTo(200);
        assertThat(send(anonymous("/swagger-ui/index.html")).statusCode()).isEqualTo(200);
        for (String path : new String[] {
            "/actuator/info",
            "/actuator/prometheus",
            "/api/v1/intents",
            "/api/v1/agents",
            "/api/v1/runs",
            "/api/v1/skills",
            "/api/v1/contract/schemas/intent",
            "/api/v1/audit",
            "/api/v1/nothing-here"
        }) {
            assertProblem(send(anonymous(path)), 401, "unauthorized");
        }
        assertProblem(
                send(anonymous("/api/v1/contract/validate/intent")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(validIntent()))),
                401,
                "unauthorized");
    }

    @Test
    void theOpenApiDocumentNamesEveryOperationWithASummary() throws Exception {
        JsonNode paths = json(send(anonymous("/v3/api-docs"))).get("paths");
        java.util.List<String> missing = new java.util.ArrayList<>();
        // /error is the servlet container's error page (ProblemErrorController), not an operation of the API
        paths.properties().stream()
                .filter(p -> !p.getKey().equals("/error"))
                .forEach(p -> p.getValue().properties().forEach(op -> {
                    if (!op.getValue().hasNonNull("summary")
                            || op.getValue().get("summary").asString().isBlank()) {
                        missing.add(op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + p.getKey());
                    }
                }));
        assertThat(missing).isEmpty();
        assertThat(paths.has("/api/v1/policy:explain")).isTrue();
    }

    @Test
    void servesInfoPrometheusAndOpenApi() throws Exception {
        assertThat(send(at("/actuator/info")).statusCode()).isEqualTo(200);
        HttpResponse<String> prometheus = send(at("/actuator/prometheus"));
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body()).contains("jvm_memory_used_bytes");
        HttpResponse<String> api = send(at("/v3/api-docs"));
        assertThat(api.statusCode()).isEqualTo(200);
        assertThat(json(api).at("/paths").has("/api/v1/contract/validate/{type}"))
                .isTrue();
        assertThat(send(at("/swagger-ui/index.html")).statusCode()).isEqualTo(200);
    }

    @Test
    void acceptsAValidIntent() throws Exception {
        HttpResponse<String> response = postJson("/api/v1/contract/validate/intent", validIntent());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("valid").asBoolean()).isTrue();
    }

    @Test
    void namesTheOffendingFieldOfASchemaViolatingIntent() throws Exception {
        String intent = validIntent().replace("\"priority\": 6", "\"priority\": \"high\"");
        HttpResponse<String> response = postJson("/api/v1/contract/validate/intent", intent);
        assertProblem(response, 400, "contract-violation");
        JsonNode errors = json(response).get("errors");
        assertThat(errors.size()).isEqualTo(1);
        assertThat(errors.get(0).get("pointer").asString()).isEqualTo("/priority");
        assertThat(json(response).get("detail").asString()).contains("/priority");
    }

    @Test
    void answersAnUnknownContractTypeWith404() throws Exception {
        assertProblem(postJson("/api/v1/contract/validate/widget", "{}"), 404, "contract-type-not-found");
    }

    @Test
    void servesTheCommittedSchemas() throws Exception {
        HttpResponse<String> response = send(at("/api/v1/contract/schemas/agent-event"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("$id").asString()).endsWith("agent-event.schema.json");
    }

    @Test
    void answersMalformedJsonWithAProblem() throws Exception {
        HttpResponse<String> response = postJson("/api/v1/contract/validate/intent", "{\"intentId\": ");
        assertProblem(response, 400, "malformed-request-body");
        assertThat(json(response).get("detail").asString()).contains("line 1");
    }

    @Test
    void answersAWrongContentTypeWithAProblem() throws Exception {
        assertProblem(
                send(at("/api/v1/contract/validate/intent")
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString("hello"))),
                415,
                "unsupported-media-type");
    }

    @Test
    void answersAnUnknownRouteWithAProblemEvenToABrowser() throws Exception {
        assertProblem(send(at("/api/v1/nothing-here").header("Accept", "text/html")), 404, "not-found");
    }

    @Test
    void answersAWrongMethodWithAProblem() throws Exception {
        assertProblem(send(at("/api/v1/contract/validate/intent").DELETE()), 405, "method-not-allowed");
    }

    @Test
    void refusesABodyOverTheLimitByItsContentLength() throws Exception {
        String big = "{\"pad\":\"" + "a".repeat(1_100_000) + "\"}";
        HttpResponse<String> response = postJson("/api/v1/contract/validate/intent", big);
        assertProblem(response, 413, "request-body-too-large");
    }

    @Test
    void refusesAChunkedBodyThatGrowsOverTheLimit() throws Exception {
        byte[] big = ("{\"pad\":\"" + "a".repeat(1_100_000) + "\"}").getBytes();
        HttpResponse<String> response = send(at("/api/v1/contract/validate/intent")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))));
        assertProblem(response, 413, "request-body-too-large");
    }
}
