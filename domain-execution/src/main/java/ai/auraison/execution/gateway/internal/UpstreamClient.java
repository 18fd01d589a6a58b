package ai.auraison.execution.gateway.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sends requests to providers: plain-HTTP servers (vLLM, local, central, scripted) through {@link Http1Client} on the
 * calling virtual thread, TLS providers through the JDK client (HTTP/2 where offered). The body is read as it
 * arrives, so streams are never buffered whole; closing it before the end aborts the upstream request.
 * Thread-safe.
 */
final class UpstreamClient implements AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Http1Client plain = new Http1Client(CONNECT_TIMEOUT);
    private final HttpClient tls = HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /**
     * POSTs {@code body} to {@code upstream}; {@code firstByteTimeout} bounds the wait for the response headers.
     *
     * @throws java.net.http.HttpTimeoutException when the headers do not arrive in time
     * @throws IOException when the connection fails
     */
    UpstreamResponse send(Upstream upstream, byte[] body, Duration firstByteTimeout, Map<String, String> extraHeaders)
            throws IOException, InterruptedException {
        Map<String, String> headers = new LinkedHashMap<>(upstream.headers().size() + extraHeaders.size() + 1);
        headers.put("content-type", "application/json");
        headers.putAll(upstream.headers());
        headers.putAll(extraHeaders);
        if ("http".equals(upstream.endpoint().getScheme())) {
            return plain.post(upstream.endpoint(), headers, body, firstByteTimeout);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(upstream.endpoint())
                .timeout(firstByteTimeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::setHeader);
        HttpResponse<InputStream> response = tls.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        return new UpstreamResponse() {
            @Override
            public int status() {
                return response.statusCode();
            }

            @Override
            public String header(String name) {
                return response.headers().firstValue(name).orElse(null);
            }

            @Override
            public InputStream body() {
                return response.body();
            }
        };
    }

    @Override
    public void close() {
        plain.close();
        tls.close();
    }
}
