package ai.auraison.edge.internal.link;

import ai.auraison.contract.ContractJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/** JSON over HTTP to the central runtime, with the edge's key when one is configured. Thread-safe. */
final class CentralClient {

    /** An answer from central. */
    record Reply(int status, JsonNode body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final URI base;
    private final String key;
    private final HttpClient http;
    private final Duration timeout;

    CentralClient(URI base, String key, Duration timeout) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.key = key;
        this.timeout = timeout;
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    }

    URI base() {
        return base;
    }

    /** An answer from central, as its bytes (for signed documents, which are verified as received). */
    record RawReply(int status, byte[] body) {}

    /** GETs {@code path}; throws {@link IOException} when central is unreachable. */
    RawReply getBytes(String path) throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).GET();
        if (key != null && !key.isBlank()) request.header("Authorization", "Bearer " + key);
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new RawReply(response.statusCode(), response.body());
    }

    /** POSTs {@code body} (any JSON-able value or a JSON string); throws {@link IOException} when central is unreachable. */
    Reply post(String path, Object body, Duration extraWait) throws IOException, InterruptedException {
        String json = body instanceof String s ? s : ContractJson.write(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout.plus(extraWait))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (key != null && !key.isBlank()) request.header("Authorization", "Bearer " + key);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String text = response.body();
        JsonNode parsed;
        try {
            parsed = text == null || text.isBlank() ? ContractJson.tree("{}") : ContractJson.tree(text);
        } catch (RuntimeException e) {
            parsed = ContractJson.tree("{}");
        }
        return new Reply(response.statusCode(), parsed);
    }
}
