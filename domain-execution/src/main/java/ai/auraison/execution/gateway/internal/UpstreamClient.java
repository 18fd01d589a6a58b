package ai.auraison.execution.gateway.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Sends requests to providers with the JDK HTTP client: HTTP/1.1 to plain-HTTP servers (vLLM, local), HTTP/2 where
 * TLS offers it. The response body is an input stream read as it arrives, so streams are never buffered whole;
 * closing it before the end aborts the upstream request. Thread-safe.
 */
final class UpstreamClient implements AutoCloseable {

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /**
     * POSTs {@code body} to {@code upstream}; {@code firstByteTimeout} bounds the wait for the response headers.
     *
     * @throws java.net.http.HttpTimeoutException when the headers do not arrive in time
     * @throws IOException when the connection fails
     */
    HttpResponse<InputStream> send(
            Upstream upstream, byte[] body, Duration firstByteTimeout, Map<String, String> extraHeaders)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(upstream.endpoint())
                .timeout(firstByteTimeout)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if ("http".equals(upstream.endpoint().getScheme())) request.version(HttpClient.Version.HTTP_1_1);
        upstream.headers().forEach(request::setHeader);
        extraHeaders.forEach(request::setHeader);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    @Override
    public void close() {
        http.close();
    }
}
