package ai.auraison.testfixtures;

import ai.auraison.contract.ContractJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** A small JSON-over-HTTP client for tests that drive the apps over real HTTP. Thread-safe. */
public final class HttpJson {

    /** A response: status, headers and the body parsed as JSON (a missing node when empty). */
    public record Response(int status, Map<String, List<String>> headers, String text) {

        public JsonNode json() {
            return text == null || text.isBlank() ? ContractJson.tree("null") : ContractJson.tree(text);
        }

        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream())
                    .findFirst()
                    .orElse(null);
        }

        /** The problem type slug, for problem responses. */
        public String problemType() {
            String type = json().path("type").asString("");
            return type.substring(type.lastIndexOf('/') + 1);
        }

        @Override
        public String toString() {
            return status + " " + text;
        }
    }

    private final String base;
    private final HttpClient client;
    private final Duration timeout;

    private HttpJson(String base, Duration timeout) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.timeout = timeout;
    }

    /** A client for {@code http://127.0.0.1:port}. */
    public static HttpJson local(int port) {
        return new HttpJson("http://127.0.0.1:" + port, Duration.ofSeconds(60));
    }

    public static HttpJson at(String base) {
        return new HttpJson(base, Duration.ofSeconds(60));
    }

    public String base() {
        return base;
    }

    public Response get(String path, String... headers) {
        return send(request(path, headers).GET());
    }

    public Response post(String path, Object body, String... headers) {
        String json = body == null ? "" : body instanceof String s ? s : ContractJson.write(body);
        return send(request(path, headers)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response put(String path, Object body, String... headers) {
        String json = body == null ? "" : body instanceof String s ? s : ContractJson.write(body);
        return send(request(path, headers)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Sends {@code body} as it is, with its own content type. */
    public Response send(String method, String path, String contentType, String body, String... headers) {
        HttpRequest.Builder b = request(path, headers);
        if (contentType != null) b.header("Content-Type", contentType);
        return send(b.method(
                method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    public Response delete(String path, String... headers) {
        return send(request(path, headers).DELETE());
    }

    private HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
        for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return b;
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
